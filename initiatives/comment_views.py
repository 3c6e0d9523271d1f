"""Member-state delegates comment; the public reads what the Secretariat approved."""

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin, LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, UpdateView
from django.views.generic.edit import BaseDeleteView

from initiatives.forms import CommentEditForm, CommentForm
from initiatives.markup import comment_cards
from initiatives.models import Comment, Initiative, Paragraph, Publication, previews
from initiatives.services import (
    CommentRateLimited,
    CommentRefused,
    comment_edit,
    comment_submit,
    comment_withdraw,
    open_consultation_for,
)
from portal.compiled import Slot, compiled_once
from portal.mixins import SectionMixin
from portal.models import built_once


class CommentCreateView(AccessMixin, SectionMixin, FormView):
    """One page per target: the text commented on, its published comments and the form. Anyone reads
    the comments; whoever posts without being signed in is sent to sign in, and nothing is saved."""

    form_class = CommentForm
    template_name = "comments/comment_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.target = self.get_target()
        self.section = "document" if isinstance(self.target, Paragraph) else None
        if request.method not in {"GET", "HEAD"} and not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_target(self):
        kind, key = self.kwargs["kind"], self.kwargs["key"]
        if kind == "paragraph":
            return public_paragraph(Paragraph.objects.select_related("document"), self.kwargs["slug"], key)
        model = Initiative if kind == "initiative" else Publication
        return get_object_or_404(model.objects.published(), slug=key)

    def get_initial(self):
        initial = super().get_initial()
        parent = self.get_parent()
        if parent:
            initial["language"] = parent.language
        return initial

    def get_parent(self):
        parent_id = self.request.POST.get("parent") or self.request.GET.get("reply_to")
        if not parent_id or not str(parent_id).isdigit():
            return None
        return Comment.objects.approved().filter(pk=parent_id).first()

    def get_context_data(self, **kwargs):
        comments, comments_page = thread_of(self.target, self.request.GET.get("page"))
        return super().get_context_data(
            target=self.target,
            target_kind=Comment.target_field(self.target),
            comments=comments,
            comments_page=comments_page,
            parent=self.get_parent(),
            consultation=open_consultation_for(self.target),
            delegate=getattr(self.request.user, "delegate", None),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            comment_submit(
                author=self.request.user,
                target=self.target,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
                official_position=form.cleaned_data["official_position"],
                parent=self.get_parent(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except CommentRefused as refusal:
            form.add_error(None, str(refusal))
            status = 429 if isinstance(refusal, CommentRateLimited) else 403
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(
            self.request,
            _("Thank you. Your comment was received and will be published once the Secretariat approves it."),
        )
        return redirect("comments:mine")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def public_paragraph(paragraphs, slug, number):
    """The paragraph `number` of the published council document `slug`, from `paragraphs`, in one
    query; otherwise a 404."""
    documents = Publication.objects.published().council_documents().filter(slug=slug)
    return get_object_or_404(paragraphs, document__in=documents, number=number)


LATEST_PER_PARAGRAPH = 3


def latest_comments(request, slug, key):
    """A paragraph's latest published comments as cards: the council document shows them when a reader
    opens them (with a script; without one, its link leads to the paragraph's comments page)."""
    paragraph = public_paragraph(Paragraph.objects.only("pk"), slug, key)
    latest = Comment.objects.approved().filter(paragraph=paragraph).order_by("-created_at")
    response = HttpResponse(comment_cards(previews(latest.card_rows()[:LATEST_PER_PARAGRAPH])))
    response["X-Robots-Tag"] = "noindex"  # a part of the document's page, not a page of its own
    return response


THREADS_PER_PAGE = 20
MAX_REPLY_DEPTH = 3
READ_WHOLE = 200  # a target with at most this many approved comments is read in one query


@built_once
def whole_threads(field):
    """The approved comments on the target (a `Slot`) that `field` holds, as cards: up to READ_WHOLE + 1."""
    target = Slot("target", models.BigIntegerField())
    return Comment.objects.approved().filter(**{field: target}).order_by("created_at").card_rows()[: READ_WHOLE + 1]


def thread_of(target, page_number=1):
    """A page of approved comments on a target, each followed by its approved replies.

    Returns (comments in reading order with their `depth`, the page). A page holds 20 threads,
    whatever the number of comments. Most targets have a few comments: they are read in one query,
    and threaded here. Past `READ_WHOLE`, one query counts the threads, one reads the page, and one
    more reads each level of replies."""
    field = Comment.target_field(target)
    everything = previews(compiled_once(whole_threads(field), f"threads:{field}", target=target.pk))
    children = {}
    if len(everything) <= READ_WHOLE:
        for comment in everything:
            if comment.parent_id is not None:
                children.setdefault(comment.parent_id, []).append(comment)
        page = Paginator([c for c in everything if c.parent_id is None], THREADS_PER_PAGE).get_page(page_number)
        threads = page.object_list
    else:
        approved = Comment.objects.approved().filter(**{field: target}).order_by("created_at")
        page = Paginator(approved.filter(parent__isnull=True), THREADS_PER_PAGE).get_page(page_number)
        level = threads = previews(page.object_list.card_rows())
        for _depth in range(MAX_REPLY_DEPTH):
            if not level:
                break
            level = previews(approved.filter(parent__in=[comment.pk for comment in level]).card_rows())
            for reply in level:
                children.setdefault(reply.parent_id, []).append(reply)
    ordered = []

    def walk(comments, depth):
        for comment in comments:
            ordered.append(comment._replace(depth=depth))
            if depth < MAX_REPLY_DEPTH:
                walk(children.get(comment.pk, []), depth + 1)

    walk(threads, 0)
    return ordered, page


class CommentDetailView(SectionMixin, DetailView):
    """A published comment's permalink."""

    template_name = "comments/comment_detail.html"

    def get_queryset(self):
        return Comment.objects.approved().select_related(
            "member_state", "paragraph__document", "initiative", "publication", "parent"
        )

    def get_context_data(self, **kwargs):
        replies = previews(
            Comment.objects.approved().filter(parent=self.object).order_by("created_at").card_rows(), depth=1
        )
        return super().get_context_data(object_as_list=[self.object, *replies], **kwargs)


class MyCommentsView(LoginRequiredMixin, SectionMixin, ListView):
    template_name = "comments/my_comments.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Comment.objects.filter(author=self.request.user)
            .select_related("member_state", "paragraph__document", "initiative", "publication")
            .order_by("-created_at")
        )


class OwnPendingCommentMixin(LoginRequiredMixin):
    """The author's own comment, while pending; anything else is not found for this user."""

    def get_object(self, queryset=None):
        comment = get_object_or_404(Comment, pk=self.kwargs["pk"])
        if not comment.can_be_edited_by(self.request.user):
            raise Http404
        return comment


class CommentEditView(OwnPendingCommentMixin, SectionMixin, UpdateView):
    form_class = CommentEditForm
    template_name = "comments/comment_edit.html"

    def form_valid(self, form):
        comment_edit(comment=self.object, user=self.request.user, body=form.cleaned_data["body"])
        messages.success(self.request, _("Your comment was changed. The earlier text is kept in its history."))
        return redirect("comments:mine")


class CommentWithdrawView(OwnPendingCommentMixin, SectionMixin, BaseDeleteView):
    """POST only: a withdrawn comment is kept, marked withdrawn, never deleted."""

    http_method_names = ["post"]

    def form_valid(self, form):
        comment_withdraw(comment=self.object, user=self.request.user)
        messages.success(self.request, _("Your comment was withdrawn."))
        return redirect("comments:mine")
