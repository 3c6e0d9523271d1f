from collections import namedtuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from portal.addresses import addresses
from portal.models import Publishable, PublishableQuerySet, as_rows, related_values, search_document, translated
from portal.rich_text import RICH_TEXT

PUBLICATION_LANGUAGES = [
    ("es", _("Spanish")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
    ("pt", _("Portuguese")),
]


def validate_pdf(upload):
    """A PDF is judged by its bytes, not by its name, and may not exceed the size limit."""
    limit = settings.PUBLICATION_FILE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)d MB; the limit is %(limit)d MB."),
            params={"size": upload.size // (1024 * 1024), "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a PDF."), code="not_pdf")


class PublicationQuerySet(PublishableQuerySet):
    def in_theme(self, code):
        return self.filter(themes__code=code)

    def in_language(self, code):
        return self.filter(languages__contains=[code])

    def council_documents(self):
        return self.filter(kind=Publication.Kind.COUNCIL_DOCUMENT)

    def as_entries(self):
        """What a publication list's entry shows, as `PublicationEntry` rows in the page's language, the
        short names of its publishers included: one query, with no model instance per entry."""
        text = models.TextField()
        short_name = Coalesce(
            NullIf(translated("organization__acronym"), Value(""), output_field=text),
            translated("organization__name"),
            output_field=text,
        )
        return as_rows(
            self,
            PublicationEntry,
            slug=translated("slug"),
            title=translated("title"),
            subtitle=translated("subtitle"),
            publisher_names=related_values(self.model, "publishers", short_name, [translated("organization__name")]),
        )


PublicationEntry = namedtuple(
    "PublicationEntry", ["pk", "slug", "title", "subtitle", "kind", "year", "symbol", "publisher_names"]
)


class Publication(Publishable):
    class Kind(models.TextChoices):
        HANDBOOK = "handbook", _("handbook")
        REPORT = "report", _("report")
        SERIES = "series", _("series")
        GUIDE = "guide", _("guide")
        COUNCIL_DOCUMENT = "council-document", _("council document")
        RESOLUTION = "resolution", _("resolution")

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("The languages the publication exists in."),
    )
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    publishers = models.ManyToManyField(
        "initiatives.Organization", verbose_name=_("publishers"), related_name="publications", blank=True
    )
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    issn = models.CharField(_("ISSN"), max_length=9, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=40, blank=True, help_text=_("e.g. MC/2353"))
    description = ProseEditorField(_("description"), **RICH_TEXT)
    file = models.FileField(
        _("PDF file"),
        upload_to="publications/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )
    url = models.URLField(_("external link"), blank=True)
    themes = models.ManyToManyField(
        "initiatives.Theme", verbose_name=_("themes"), related_name="publications", blank=True
    )
    search_es = search_document(
        "es", {"A": ["title_es", "symbol"], "B": ["subtitle_es", "authors"], "C": ["description_es"]}
    )
    search_en = search_document(
        "en", {"A": ["title_en", "symbol"], "B": ["subtitle_en", "authors"], "C": ["description_en"]}
    )

    translation_required_fields = ("slug", "title", "description")

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        permissions = [("publish_publication", _("Can publish and unpublish publications"))]
        ordering = [models.F("year").desc(nulls_last=True), "title"]
        indexes = [
            GinIndex(fields=["search_es"]),
            GinIndex(fields=["search_en"]),
            # The home page's council document (a few rows of 5,000) and the list's filter by kind
            models.Index(fields=["kind", "-year"], name="publication_kind"),
            *(
                models.Index(
                    models.F("year").desc(nulls_last=True),
                    models.F(f"title_{language}"),
                    name=f"publication_list_{language}",
                    include=["id", "publish_at", "unpublish_at"],
                    condition=models.Q(state="published"),
                )
                for language in ("es", "en")
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.addressed()(self)

    @classmethod
    def addressed(cls):
        """`get_absolute_url` for many publications in the active language, each page's pattern looked up
        once, when a publication first needs it."""
        of = {}

        def address_of(publication):
            name = cls.page_of(publication.kind)
            if name not in of:
                of[name] = addresses(name, "slug")
            return of[name](publication.slug)

        return address_of

    @classmethod
    def page_of(cls, kind):
        """The name of the address of a publication of this kind: the council document has its own page."""
        return "initiatives:document" if kind == cls.Kind.COUNCIL_DOCUMENT else "initiatives:publication"

    @property
    def is_council_document(self):
        return self.kind == self.Kind.COUNCIL_DOCUMENT

    @property
    def full_title(self):
        return self.titled(self.title, self.subtitle)

    @staticmethod
    def titled(title, subtitle):
        return f"{title}: {subtitle}" if subtitle else title

    def download_filename(self):
        base = slugify(self.symbol.replace("/", "-")) if self.symbol else self.slug
        return f"{base}.pdf"

    def language_names(self):
        names = dict(PUBLICATION_LANGUAGES)
        return [names.get(code, code) for code in self.languages]
