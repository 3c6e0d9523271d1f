from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from portal.addresses import addresses
from portal.models import Publishable, PublishableQuerySet, search_document
from portal.rich_text import RICH_TEXT

LANGUAGE_CHOICES = [("es", _("Spanish")), ("en", _("English"))]


class TermQuerySet(PublishableQuerySet):
    def matching_acronym(self, text):
        """Terms whose acronym or variant, in either language, is `text` (IOM finds OIM)."""
        text = text.strip()
        named = Term.objects.filter(
            models.Q(acronym_es__iexact=text)
            | models.Q(acronym_en__iexact=text)
            | models.Q(variants__text__iexact=text)
        )
        # a subquery rather than DISTINCT, which PostgreSQL refuses with an ORDER BY expression whose
        # parameters it cannot match to the select list's (parameters are bound on the server)
        return self.filter(pk__in=named.values("pk"))

    def starting_with(self, letter, language):
        return self.filter(**{f"term_{language}__istartswith": letter})


class Term(Publishable):
    class Kind(models.TextChoices):
        ACRONYM = "acronym", _("acronym")
        CONCEPT = "concept", _("concept")
        ORGANIZATION = "organization", _("organization")
        PROCESS = "process", _("process")
        DOCUMENT = "document", _("document")

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("A short identifier that does not change with the language."),
    )
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    term = models.CharField(_("term"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    definition = ProseEditorField(_("definition"), **RICH_TEXT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CONCEPT)
    related = models.ManyToManyField("self", verbose_name=_("related terms"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Both languages' acronyms go into both documents, so GFMD finds FMMD on either site.
    search_es = search_document("es", {"A": ["term_es", "acronym_es", "acronym_en"], "C": ["definition_es"]})
    search_en = search_document("en", {"A": ["term_en", "acronym_en", "acronym_es"], "C": ["definition_en"]})

    translation_required_fields = ("slug", "term", "definition")

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        permissions = [("publish_term", _("Can publish and unpublish glossary terms"))]
        ordering = ["term"]
        indexes = [GinIndex(fields=["search_es"]), GinIndex(fields=["search_en"])]
        constraints = [
            models.UniqueConstraint(
                Lower("term_es"),
                name="glossary_term_unique_es",
                violation_error_message=_("A term with this wording already exists in Spanish."),
            ),
            models.UniqueConstraint(
                Lower("term_en"),
                name="glossary_term_unique_en",
                violation_error_message=_("A term with this wording already exists in English."),
            ),
        ]

    def __str__(self):
        return self.named(self.term, self.acronym)

    @staticmethod
    def named(term, acronym):
        return f"{term} ({acronym})" if acronym else term

    def get_absolute_url(self):
        return self.addressed()(self)

    @staticmethod
    def addressed():
        """`get_absolute_url` for many terms in the active language, its pattern looked up once."""
        of = addresses("glossary:detail", "slug")
        return lambda term: of(term.slug)

    @property
    def initial(self):
        from portal.text import index_letter

        return index_letter(self.term)


class Variant(models.Model):
    """Another spelling or a synonym: the seed writes OHCHR both OACDH and ACNUDH."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    text = models.CharField(_("text"), max_length=200)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["term", "language", "text"], name="glossary_variant_unique"),
        ]

    def __str__(self):
        return self.text
