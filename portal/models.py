from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublishableQuerySet(models.QuerySet):
    def published(self, at=None):
        """What the public may see: published, and inside its publish/unpublish window."""
        now = at or timezone.now()
        return self.filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now),
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            state=Publishable.State.PUBLISHED,
        )


class Publishable(models.Model):
    """Workflow fields shared by everything editors publish."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Leave empty to publish at once.")
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"), null=True, blank=True, help_text=_("Leave empty to keep it published.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_published(self, at=None):
        now = at or timezone.now()
        return (
            self.state == self.State.PUBLISHED
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            from django.core.exceptions import ValidationError

            raise ValidationError({"unpublish_at": _("The unpublish date must come after the publish date.")})


class OutboundEmail(models.Model):
    """Mail waits here until the mail server takes it: a server that is down loses nothing."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to}: {self.subject}"


SEARCH_CONFIGS = {"es": "spanish", "en": "english"}


def search_document(language, weighted_columns):
    """A stored tsvector over the given columns, weighted A (titles) to D, in one language's configuration.

    PostgreSQL computes it on every write (a generated column), so no save path can forget it and a
    search reads an indexed column instead of parsing every row. `weighted_columns` is
    `{"A": ["title_es"], "B": ["summary_es", "body_es"]}`.
    """
    from django.contrib.postgres.search import SearchVector, SearchVectorField

    config = SEARCH_CONFIGS[language]
    vectors = [SearchVector(*columns, config=config, weight=weight) for weight, columns in weighted_columns.items()]
    expression = vectors[0]
    for vector in vectors[1:]:
        expression = expression + vector
    return models.GeneratedField(
        expression=expression, output_field=SearchVectorField(), db_persist=True, editable=False
    )
