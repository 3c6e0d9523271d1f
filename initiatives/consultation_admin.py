"""The Secretariat's side of the consultation: member states, delegates, consultations, moderation."""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from initiatives.charts import consultation_numbers, dashboard_chart
from initiatives.models import Comment, Consultation, Delegate, MemberState
from initiatives.services import CommentRefused, comment_moderate, delegate_invite


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["country", "member_since"]
    search_fields = ["country"]


class DelegateInviteForm(forms.ModelForm):
    email = forms.EmailField(label=_("email"))
    name = forms.CharField(label=_("name"), required=False, max_length=150)
    language = forms.ChoiceField(label=_("language of the invitation"), choices=Comment.Language.choices)

    class Meta:
        model = Delegate
        fields = ["member_state"]


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "member_state", "invited_at", "has_password"]
    list_filter = ["member_state"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["member_state"]

    @admin.display(boolean=True, description=_("password set"))
    def has_password(self, delegate):
        return delegate.user.has_usable_password()

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = DelegateInviteForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["email", "name", "member_state", "language"] if obj is None else ["user", "member_state"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            delegate = delegate_invite(
                email=form.cleaned_data["email"],
                country_code=form.cleaned_data["member_state"].country.code,
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
            )
        except CommentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        obj.pk, obj.user = delegate.pk, delegate.user
        messages.success(request, _("The invitation was sent to %(email)s.") % {"email": delegate.user.email})


class ModerationActionForm(ActionForm):
    reason = forms.CharField(label=_("reason (sent to the author)"), required=False, max_length=1000)


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    """The moderation queue: filter, read, approve or reject in bulk with a reason."""

    list_display = ["__str__", "status", "member_state", "target_label", "language", "official_position", "created_at"]
    list_filter = ["status", "consultation", "member_state", "language", "official_position"]
    search_fields = ["body", "author__email"]
    date_hierarchy = "created_at"
    action_form = ModerationActionForm
    actions = ["approve", "reject"]
    readonly_fields = [
        "author",
        "member_state",
        "consultation",
        "paragraph",
        "initiative",
        "publication",
        "parent",
        "language",
        "body",
        "official_position",
        "status",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "created_at",
    ]
    list_select_related = ["member_state", "paragraph__document", "initiative", "publication"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # nothing accepted is ever deleted: reject or let the author withdraw

    @admin.display(description=_("on"))
    def target_label(self, comment):
        if comment.paragraph_id:
            return _("%(symbol)s, paragraph %(number)d") % {
                "symbol": comment.paragraph.document.symbol,
                "number": comment.paragraph.number,
            }
        return comment.target.title

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.moderate_comment")

    def moderate(self, request, queryset, approve):
        reason = request.POST.get("reason", "")
        done, refused = 0, []
        for comment in queryset.order_by("pk"):
            try:
                comment_moderate(comment=comment, moderator=request.user, approve=approve, reason=reason)
                done += 1
            except CommentRefused as refusal:
                refused.append(f"#{comment.pk}: {refusal}")
        if done:
            self.message_user(request, _("%(count)d comment(s) moderated.") % {"count": done}, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Approve the selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self.moderate(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected comments (give a reason)"), permissions=["moderate"])
    def reject(self, request, queryset):
        self.moderate(request, queryset, approve=False)


@admin.register(Consultation)
class ConsultationAdmin(TabbedTranslationAdmin):
    list_display = ["title", "document", "opens_at", "closes_at", "export_links"]

    def get_urls(self):
        return [
            path("<int:pk>/comments.csv", self.admin_site.admin_view(self.export_csv), name="consultation_csv"),
            path("<int:pk>/report/", self.admin_site.admin_view(self.report), name="consultation_report"),
            path("<int:pk>/dashboard/", self.admin_site.admin_view(self.dashboard), name="consultation_dashboard"),
            *super().get_urls(),
        ]

    @admin.display(description=_("export"))
    def export_links(self, consultation):
        return format_html(
            '<a href="{}">CSV</a> · <a href="{}?language=es">{}</a> · <a href="{}?language=en">{}</a>',
            f"{consultation.pk}/comments.csv",
            f"{consultation.pk}/report/",
            _("report (es)"),
            f"{consultation.pk}/report/",
            _("report (en)"),
        )

    def comments_of(self, request, pk):
        if not request.user.has_perm("initiatives.view_comment"):
            raise PermissionDenied
        consultation = get_object_or_404(Consultation, pk=pk)
        comments = (
            consultation.comments.exclude(status=Comment.Status.WITHDRAWN)
            .select_related("member_state", "paragraph__document", "initiative", "publication", "author")
            .order_by("paragraph__number", "initiative__title", "publication__title", "member_state", "created_at")
        )
        return consultation, comments

    def export_csv(self, request, pk):
        _consultation, comments = self.comments_of(request, pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="consultation-{pk}-comments.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "status",
                "member_state",
                "country_code",
                "on",
                "paragraph",
                "language",
                "official_position",
                "submitted_at",
                "in_reply_to",
                "body",
            ]
        )
        for comment in comments:
            writer.writerow(
                [
                    comment.pk,
                    comment.status,
                    comment.member_state.country.name,
                    comment.member_state.country.code,
                    comment.target_kind,
                    comment.paragraph.number if comment.paragraph_id else "",
                    comment.language,
                    "yes" if comment.official_position else "no",
                    comment.created_at.isoformat(),
                    comment.parent_id or "",
                    comment.body,
                ]
            )
        return response

    def report(self, request, pk):
        language = request.GET.get("language", translation.get_language())
        language = language if language in {"es", "en"} else "es"
        with translation.override(language):
            consultation, comments = self.comments_of(request, pk)
            groups = {}
            for comment in comments:
                groups.setdefault(self.group_label(comment), {}).setdefault(str(comment.member_state), []).append(
                    comment
                )
            return TemplateResponse(
                request,
                "initiatives/consultation_report.html",
                {"consultation": consultation, "groups": groups, "report_language": language},
            ).render()

    @staticmethod
    def group_label(comment):
        if comment.paragraph_id:
            return _("Paragraph %(number)d") % {"number": comment.paragraph.number}
        return str(comment.target.title)

    def dashboard(self, request, pk):
        """Where the debate is: charts with their tables, each table also as CSV (`?csv=name`)."""
        consultation, _comments = self.comments_of(request, pk)
        numbers = consultation_numbers(consultation)
        wanted = request.GET.get("csv")
        if wanted in numbers:
            _title, header, rows = numbers[wanted]
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="consultation-{pk}-{wanted}.csv"'
            writer = csv.writer(response)
            writer.writerow([header, _("Comments")])
            writer.writerows(rows)
            return response
        charts = [
            {
                "name": name,
                "title": title,
                "header": header,
                "rows": rows,
                "svg": dashboard_chart(title, rows, horizontal=name == "states") if name != "silent" else "",
            }
            for name, (title, header, rows) in numbers.items()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Consultation dashboard"),
            "subtitle": str(consultation),
            "consultation": consultation,
            "charts": charts,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/initiatives/consultation_dashboard.html", context)
