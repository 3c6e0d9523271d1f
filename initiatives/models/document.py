from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import search_document


class Section(models.Model):
    """A heading of a council document; subsections point at their section."""

    document = models.ForeignKey(
        "initiatives.Publication", verbose_name=_("document"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="section_unique_order"),
        ]

    def __str__(self):
        return self.title

    @property
    def level(self):
        return self.level_of(self.parent_id)

    @staticmethod
    def level_of(parent_id):
        return 2 if parent_id else 1


class Paragraph(models.Model):
    """A numbered paragraph; its number is its identity, so comments survive a re-import."""

    document = models.ForeignKey(
        "initiatives.Publication", verbose_name=_("document"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paragraphs",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), help_text=_("Plain text; footnote markers are written [^N]."))
    search_es = search_document("es", {"B": ["text_es"]})
    search_en = search_document("en", {"B": ["text_en"]})

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["document", "number"]
        indexes = [GinIndex(fields=["search_es"]), GinIndex(fields=["search_en"])]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="paragraph_unique_number"),
        ]

    def __str__(self):
        return self.named(self.document.symbol, self.number)

    def get_absolute_url(self):
        return f"{self.document.get_absolute_url()}#{self.anchor}"

    @staticmethod
    def named(symbol, number):
        return _("%(symbol)s, paragraph %(number)d") % {"symbol": symbol, "number": number}

    @property
    def anchor(self):
        return self.anchor_of(self.number)

    @staticmethod
    def anchor_of(number):
        return f"p{number}"


class Footnote(models.Model):
    document = models.ForeignKey(
        "initiatives.Publication", verbose_name=_("document"), on_delete=models.CASCADE, related_name="footnotes"
    )
    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("paragraph"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="footnotes",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="footnote_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    @property
    def anchor(self):
        return self.anchor_of(self.number)

    @staticmethod
    def anchor_of(number):
        return f"fn{number}"
