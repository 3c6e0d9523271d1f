import contextlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from initiatives.council_document import CouncilDocumentError, ParsedDocument
from initiatives.models import Comment, Consultation, Delegate, Footnote, MemberState, Paragraph, Publication, Section
from portal.mail import queue_mail

User = get_user_model()

OTHER_LANGUAGE = {"es": "en", "en": "es"}


def check_translation(parsed: ParsedDocument, translation: dict):
    numbers = {paragraph.number for paragraph in parsed.paragraphs}
    translated = {int(number) for number in translation.get("paragraphs", {})}
    if numbers != translated:
        raise CouncilDocumentError(
            f"The translation does not have the same paragraphs: missing {sorted(numbers - translated)}, "
            f"extra {sorted(translated - numbers)}."
        )
    notes = {note.number for note in parsed.footnotes}
    translated_notes = {int(number) for number in translation.get("footnotes", {})}
    if notes != translated_notes:
        raise CouncilDocumentError(
            f"The translation does not have the same footnotes: missing {sorted(notes - translated_notes)}, "
            f"extra {sorted(translated_notes - notes)}."
        )
    headings = translation.get("headings", [])
    if len(headings) != len(parsed.headings):
        raise CouncilDocumentError(
            f"The document has {len(parsed.headings)} headings, the translation {len(headings)}."
        )


@transaction.atomic
def council_document_import(*, symbol, language, parsed: ParsedDocument, translation=None) -> Publication:
    """Store a parsed council document; paragraphs keep their identity (and comments) by number."""
    other = OTHER_LANGUAGE[language]
    if translation is not None:
        check_translation(parsed, translation)
    document = Publication.objects.filter(symbol=symbol, kind=Publication.Kind.COUNCIL_DOCUMENT).first()
    if document is None:
        slug = symbol.lower().replace("/", "-")
        titles = {f"title_{code}": (translation or {}).get(f"title_{code}") or symbol for code in ("es", "en")}
        document = Publication.objects.create(
            symbol=symbol,
            kind=Publication.Kind.COUNCIL_DOCUMENT,
            slug_es=slug,
            slug_en=slug,
            description_es=f"<p>{symbol}</p>",
            description_en=f"<p>{symbol}</p>",
            **titles,
        )

    document.sections.all().delete()
    sections = []
    headings_other = (translation or {}).get("headings", [])
    parent = None
    for order, heading in enumerate(parsed.headings):
        extra = headings_other[order] if order < len(headings_other) else {}
        level = int(extra.get("level", 1))
        section = Section.objects.create(
            document=document,
            order=order,
            parent=parent if level > 1 else None,
            **{f"title_{language}": heading.title, f"title_{other}": extra.get(other, "")},
        )
        if level == 1:
            parent = section
        sections.append(section)

    translated_paragraphs = {int(k): v for k, v in (translation or {}).get("paragraphs", {}).items()}
    kept = set()
    for item in parsed.paragraphs:
        values = {
            f"text_{language}": item.text,
            "section": sections[item.heading_index] if item.heading_index is not None else None,
        }
        if item.number in translated_paragraphs:
            values[f"text_{other}"] = " ".join(str(translated_paragraphs[item.number]).split())
        paragraph, _created = Paragraph.objects.update_or_create(document=document, number=item.number, defaults=values)
        kept.add(paragraph.pk)
    paragraph_by_number = {paragraph.number: paragraph for paragraph in document.paragraphs.all()}

    translated_notes = {int(k): v for k, v in (translation or {}).get("footnotes", {}).items()}
    for item in parsed.footnotes:
        values = {f"text_{language}": item.text, "paragraph": paragraph_by_number.get(item.paragraph_number)}
        if item.number in translated_notes:
            values[f"text_{other}"] = " ".join(str(translated_notes[item.number]).split())
        Footnote.objects.update_or_create(document=document, number=item.number, defaults=values)
    document.footnotes.exclude(number__in=[item.number for item in parsed.footnotes]).delete()

    for paragraph in document.paragraphs.exclude(pk__in=kept):
        with contextlib.suppress(ProtectedError):  # a paragraph with comments is kept, never lost with them
            paragraph.delete()
    return document


class CommentRefused(Exception):
    """A comment the rules do not allow; the message is for the user, in their language."""


class CommentRateLimited(CommentRefused):
    """Too many comments from one delegate within the hour."""


def open_consultation_for(target, at=None):
    consultations = Consultation.objects.open_at(at)
    if isinstance(target, Paragraph):
        consultations = consultations.filter(document_id=target.document_id)
    return consultations.order_by("closes_at").first()


def target_is_public(target):
    if isinstance(target, Paragraph):
        return target.document.is_published()
    return target.is_published()


@transaction.atomic
def comment_submit(
    *, author, target, body, language, official_position=False, parent=None, submission_key=None, at=None
) -> Comment:
    """Record a delegate's comment, pending moderation. Submitting the same form twice gives one comment."""
    # Locking the delegate serializes one delegate's submissions: a form sent twice at once is
    # stored once, and the hourly count is exact.
    delegate = (
        Delegate.objects.select_for_update(of=("self",)).filter(user=author).select_related("member_state").first()
    )
    if submission_key is not None:
        existing = Comment.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.author_id != author.pk:
                raise CommentRefused(_("This form was already used by someone else; reload the page."))
            return existing
    if delegate is None:
        raise CommentRefused(_("Only delegates of member states can comment."))
    recent = Comment.objects.filter(author=author, created_at__gt=timezone.now() - timedelta(hours=1)).count()
    if recent >= settings.COMMENT_RATE_LIMIT:
        raise CommentRateLimited(
            _("You have sent many comments within the hour. Please wait a while before sending more.")
        )
    if not target_is_public(target):
        raise CommentRefused(_("You can only comment on published content."))
    consultation = open_consultation_for(target, at)
    if consultation is None:
        raise CommentRefused(_("Comments are accepted only while a consultation is open; none is open now."))
    if parent is not None and (not parent.is_public() or parent.target != target):
        raise CommentRefused(_("You can only reply to a published comment on the same text."))
    return Comment.objects.create(
        author=author,
        member_state=delegate.member_state,
        consultation=consultation,
        parent=parent,
        language=language,
        body=body,
        official_position=official_position,
        submission_key=submission_key,
        **{Comment.target_field(target): target},
    )


@transaction.atomic
def comment_edit(*, comment, user, body) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.can_be_edited_by(user):
        raise CommentRefused(_("Only the author can change a comment, and only while it waits for moderation."))
    comment.body = body
    comment.save(update_fields=["body", "updated_at"])
    return comment


@transaction.atomic
def comment_withdraw(*, comment, user) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.can_be_edited_by(user):
        raise CommentRefused(_("Only the author can withdraw a comment, and only while it waits for moderation."))
    comment.status = Comment.Status.WITHDRAWN
    comment.save(update_fields=["status", "updated_at"])
    return comment


@transaction.atomic
def comment_moderate(*, comment, moderator, approve, reason="") -> Comment:
    """Approve or reject a pending comment and tell its author, by mail queued with the decision."""
    comment = Comment.objects.select_for_update().select_related("author").get(pk=comment.pk)
    if comment.status != Comment.Status.PENDING:
        raise CommentRefused(_("Only comments waiting for moderation can be approved or rejected."))
    if not approve and not reason.strip():
        raise CommentRefused(_("Say why the comment is rejected: the author will read it."))
    comment.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    comment.moderation_reason = reason.strip()
    comment.moderated_by = moderator
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at", "updated_at"])
    with translation.override(comment.language):
        context = {"comment": comment, "url": absolute_url(comment.get_absolute_url())}
        queue_mail(
            to=comment.author.email,
            subject=str(_("Your comment was approved") if approve else _("Your comment was not approved")),
            body=render_to_string("initiatives/email/comment_moderated.txt", context),
        )
    return comment


def absolute_url(path):
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


@transaction.atomic
def delegate_invite(*, email, country_code, name="", language="es") -> Delegate:
    """Create (or find) a delegate of a member state and mail a one-time link to set a password."""
    email = User.objects.normalize_email(email).lower()
    member_state = MemberState.objects.filter(country=country_code).first()
    if member_state is None:
        raise CommentRefused(_("%(country)s is not a member state of the portal.") % {"country": country_code})
    user, created = User.objects.get_or_create(username=email, defaults={"email": email, "first_name": name[:150]})
    if created:
        user.set_unusable_password()  # until the delegate chooses one through the link
        user.save(update_fields=["password"])
    existing = Delegate.objects.filter(user=user).first()
    if existing is not None and existing.member_state_id != member_state.pk:
        raise CommentRefused(
            _("%(email)s is already a delegate of %(state)s.") % {"email": email, "state": existing.member_state}
        )
    delegate, _created = Delegate.objects.get_or_create(user=user, defaults={"member_state": member_state})
    with translation.override(language):
        link = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        queue_mail(
            to=email,
            subject=str(_("Your invitation to comment on the Migration and Development Portal")),
            body=render_to_string(
                "initiatives/email/delegate_invitation.txt",
                {"delegate": delegate, "link": absolute_url(link)},
            ),
        )
    return delegate
