from collections import namedtuple

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_prose_editor.fields import ProseEditorField

from portal.addresses import addresses
from portal.models import Publishable, PublishableQuerySet, as_rows, related_values, search_document, translated
from portal.rich_text import RICH_TEXT


def country_codes():
    """CountryField(multiple=True) keeps "CH,MU" in one column; as an array it can be indexed (GIN)."""
    return Func(F("countries"), Value(","), function="string_to_array", output_field=ArrayField(models.TextField()))


class InitiativeQuerySet(PublishableQuerySet):
    def in_theme(self, code):
        return self.filter(themes__code=code)

    def with_organization(self, code):
        return self.filter(participations__organization__code=code)

    def for_country(self, code):
        # A whole code, never a part of one, read from the GIN index of the codes.
        return self.alias(country_codes=country_codes()).filter(country_codes__contains=[code])

    def in_region(self, code):
        return self.filter(regions__code=code)

    def active_in(self, year):
        return self.filter(
            Q(start_year__lte=year) | Q(start_year__isnull=True),
            Q(end_year__gte=year) | Q(end_year__isnull=True),
        ).exclude(start_year__isnull=True, end_year__isnull=True)

    def as_cards(self):
        """What an initiative card shows, as `InitiativeCard` rows in the page's language, the names of
        its themes included: one query, with no model instance per card nor per theme."""
        return as_rows(
            self,
            InitiativeCard,
            slug=translated("slug"),
            title=translated("title"),
            summary=translated("summary"),
            theme_names=related_values(self.model, "themes", translated("theme__name"), ["theme__order", "shown"]),
        )


class Initiative(Publishable):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        COMPLETED = "completed", _("completed")

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=250)
    summary = ProseEditorField(_("summary"), **RICH_TEXT)
    body = ProseEditorField(_("body"), blank=True, **RICH_TEXT)
    themes = models.ManyToManyField("initiatives.Theme", verbose_name=_("themes"), related_name="initiatives")
    organizations = models.ManyToManyField(
        "initiatives.Organization",
        verbose_name=_("organizations"),
        through="initiatives.Participation",
        related_name="initiatives",
        blank=True,
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    regions = models.ManyToManyField(
        "initiatives.Region", verbose_name=_("regions"), related_name="initiatives", blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ONGOING)
    source_paragraphs = models.ManyToManyField(
        "initiatives.Paragraph",
        verbose_name=_("source paragraphs"),
        related_name="initiatives",
        blank=True,
        help_text=_("The paragraphs of the council document this initiative comes from."),
    )
    publications = models.ManyToManyField(
        "initiatives.Publication", verbose_name=_("related publications"), related_name="initiatives", blank=True
    )
    featured = models.BooleanField(_("featured on the home page"), default=False)
    search_es = search_document("es", {"A": ["title_es"], "B": ["summary_es"], "C": ["body_es"]})
    search_en = search_document("en", {"A": ["title_en"], "B": ["summary_en"], "C": ["body_en"]})

    translation_required_fields = ("slug", "title", "summary")

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        permissions = [("publish_initiative", _("Can publish and unpublish initiatives"))]
        ordering = [F("start_year").desc(nulls_last=True), "title"]
        indexes = [
            GinIndex(fields=["search_es"]),
            GinIndex(fields=["search_en"]),
            # The public list's order, per language: a page is read from the index, not sorted from 20,000 rows.
            *(
                models.Index(
                    F("start_year").desc(nulls_last=True),
                    F(f"title_{language}"),
                    name=f"initiative_list_{language}",
                    # the list's filters are read on the index alone (the pages' bitmaps, the API's status and
                    # year filters): a row holds its search vectors, so reading the table costs a page each
                    include=["id", "publish_at", "unpublish_at", "status", "end_year", "countries"],
                    condition=Q(state="published"),
                )
                for language in ("es", "en")
            ),
            GinIndex(country_codes(), name="initiative_countries"),
            # The home page's few featured initiatives, without scanning the others.
            models.Index(fields=["start_year"], name="initiative_featured", condition=Q(featured=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="initiative_years_in_order",
                violation_error_message=_("The end year cannot come before the start year."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.addressed()(self)

    @staticmethod
    def addressed():
        """`get_absolute_url` for many initiatives in the active language, its pattern looked up once."""
        of = addresses("initiatives:detail", "slug")
        return lambda initiative: of(initiative.slug)

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end year cannot come before the start year.")})

    @property
    def years(self):
        if self.start_year and self.end_year and self.start_year != self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")


class InitiativeCard(
    namedtuple("InitiativeCard", ["pk", "slug", "title", "summary", "status", "start_year", "end_year", "theme_names"])
):
    """An initiative as its card shows it (`as_cards()`)."""

    __slots__ = ()
    years = Initiative.years


class Participation(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        PARTNER = "partner", _("partner")
        FUNDER = "funder", _("funder")

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "initiatives.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.PARTNER)

    class Meta:
        verbose_name = _("participating organization")
        verbose_name_plural = _("participating organizations")
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "organization", "role"], name="participation_unique"),
        ]

    def __str__(self):
        return f"{self.organization.short_name} ({self.get_role_display()})"
