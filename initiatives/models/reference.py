from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Theme(models.Model):
    """An area of IOM's work on migration and development, as the council document groups it."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Used in addresses and filters; the same in both languages."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Region(models.Model):
    """A region the document names instead of countries (West and Central Africa...)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    class Kind(models.TextChoices):
        IOM = "iom", _("IOM")
        UN = "un", _("UN entity")
        GOVERNMENT = "government", _("government")
        REGIONAL = "regional", _("regional body")
        RESEARCH = "research", _("research")
        CIVIL_SOCIETY = "civil-society", _("civil society")
        PRIVATE = "private", _("private sector")

    code = models.SlugField(_("code"), max_length=60, unique=True, help_text=_("The same in both languages."))
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    country = CountryField(_("country"), blank=True)
    glossary_term = models.ForeignKey(
        "glossary.Term",
        verbose_name=_("glossary entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self):
        return self.acronym or self.name
