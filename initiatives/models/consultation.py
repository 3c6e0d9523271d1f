from collections import namedtuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from initiatives.countries import country_name
from portal.addresses import addresses
from portal.models import search_document

COMMENT_MAX_LENGTH = 5000


class MemberState(models.Model):
    country = CountryField(_("country"), unique=True)
    member_since = models.PositiveSmallIntegerField(_("member since"), null=True, blank=True)

    class Meta:
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        ordering = ["country"]

    def __str__(self):
        return country_name(self.country.code)


class Delegate(models.Model):
    """A user who speaks for one member state."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="delegate"
    )
    member_state = models.ForeignKey(
        MemberState, verbose_name=_("member state"), on_delete=models.PROTECT, related_name="delegates"
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["member_state", "user__email"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.member_state})"


class ConsultationQuerySet(models.QuerySet):
    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Consultation(models.Model):
    document = models.ForeignKey(
        "initiatives.Publication",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="consultations",
        limit_choices_to={"kind": "council-document"},
    )
    title = models.CharField(_("title"), max_length=250)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
                violation_error_message=_("A consultation must close after it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def card_rows(self):
        """What a comment card reads, as rows for `previews()`: a thread shows dozens of cards, and a
        model instance each cost more than the card."""
        return self.values_list(*CARD_FIELDS)


CARD_FIELDS = ("pk", "member_state__country", "official_position", "created_at", "language", "parent_id", "body")


# A comment as its card reads it (initiatives.markup), with its `depth` in a thread
CommentPreview = namedtuple(
    "CommentPreview",
    ["pk", "member_state", "official_position", "created_at", "language", "parent_id", "body", "depth"],
    defaults=[0],
)


def previews(rows, depth=0):
    """`card_rows()` as CommentPreviews, the member state named in the active language."""
    return [CommentPreview(key, country_name(state), *rest, depth) for key, state, *rest in rows]


class Comment(models.Model):
    """A delegate's comment on one paragraph, initiative or publication; public once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Language(models.TextChoices):
        ES = "es", _("Spanish")
        EN = "en", _("English")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="comments"
    )
    member_state = models.ForeignKey(
        MemberState, verbose_name=_("member state"), on_delete=models.PROTECT, related_name="comments"
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    paragraph = models.ForeignKey(
        "initiatives.Paragraph",
        verbose_name=_("paragraph"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    publication = models.ForeignKey(
        "initiatives.Publication",
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    language = models.CharField(_("language"), max_length=2, choices=Language)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    official_position = models.BooleanField(_("official position of the member state"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    moderation_reason = models.TextField(_("reason"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    submission_key = models.UUIDField(
        _("submission key"),
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Makes a double submission of one form create one comment."),
    )
    # a default, not auto_now_add: the same for a form, and the generated dataset can spread its comments
    # over the consultation's weeks as it creates them (updating each row afterwards wrote the table twice)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # A comment is written in one language but read on both sites: each configuration indexes it.
    search_es = search_document("es", {"C": ["body"]})
    search_en = search_document("en", {"C": ["body"]})

    history = HistoricalRecords(excluded_fields=["submission_key", "search_es", "search_en"])
    objects = CommentQuerySet.as_manager()

    # Its place in a thread, set by the thread view; a comment shown on its own is at the top. (Without
    # it, the template's lookup of a missing attribute costs a dir() of the whole model instance.)
    depth = 0

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        permissions = [("moderate_comment", _("Can approve and reject comments"))]
        indexes = [
            GinIndex(fields=["search_es"]),
            GinIndex(fields=["search_en"]),
            # What the public reads: a target's published comments, newest first.
            *(
                models.Index(
                    fields=[target, "-created_at"], name=f"comment_approved_{target}", condition=Q(status="approved")
                )
                for target in ("paragraph", "initiative", "publication")
            ),
            # Search's newest matching comments: read through the approved ones alone, a search visits
            # two rows in five fewer (the pending and rejected), and its comments' part took half as long.
            models.Index(fields=["id"], name="comment_approved_newest", condition=Q(status="approved")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(paragraph__isnull=False, initiative__isnull=True, publication__isnull=True)
                    | Q(paragraph__isnull=True, initiative__isnull=False, publication__isnull=True)
                    | Q(paragraph__isnull=True, initiative__isnull=True, publication__isnull=False)
                ),
                name="comment_has_exactly_one_target",
            ),
        ]

    def __str__(self):
        return _("Comment %(id)s by %(state)s") % {"id": self.pk, "state": self.member_state}

    def get_absolute_url(self):
        return self.addressed()(self)

    @staticmethod
    def addressed():
        """`get_absolute_url` for many comments in the active language, its pattern looked up once."""
        of = addresses("comments:detail", "pk")
        return lambda comment: of(comment.pk)

    @staticmethod
    def target_field(target):
        """The foreign key that holds a target of this type: paragraph, initiative or publication."""
        return type(target)._meta.model_name

    @property
    def target(self):
        return self.paragraph or self.initiative or self.publication

    @property
    def target_kind(self):
        if self.paragraph_id:
            return "paragraph"
        return "initiative" if self.initiative_id else "publication"

    def is_public(self):
        return self.status == self.Status.APPROVED

    def can_be_edited_by(self, user):
        """Only the author, only while it waits for moderation."""
        return self.status == self.Status.PENDING and user.is_authenticated and self.author_id == user.pk
