from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from initiatives.models import (
    Consultation,
    Footnote,
    Initiative,
    Organization,
    Paragraph,
    Publication,
    Region,
    Section,
    Theme,
)
from portal.models import HISTORY_EXCLUDED_FIELDS


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("es", "en")


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("es", "en")


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("acronym", "name")
    required_languages = {"es": ("name",), "en": ("name",)}


@register(Initiative)
class InitiativeTranslationOptions(TranslationOptions):
    fields = ("slug", "title", "summary", "body")
    required_languages = {"es": ("slug", "title", "summary")}
    empty_values = {"slug": None}


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("slug", "title", "subtitle", "description")
    required_languages = {"es": ("slug", "title", "description")}
    empty_values = {"slug": None}


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("es",)


@register(Paragraph)
class ParagraphTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("es",)


@register(Footnote)
class FootnoteTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("es",)


@register(Consultation)
class ConsultationTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("es", "en")


# History is registered after the translations so that the historical tables hold the _es and _en columns
# (a HistoricalRecords field on the model would copy the fields before modeltranslation adds them).
# Slugs stay out: the copied translation fields keep their unique constraint, and a restore keeps the current URL.
register_history(Initiative, app="initiatives", excluded_fields=HISTORY_EXCLUDED_FIELDS)
register_history(Publication, app="initiatives", excluded_fields=HISTORY_EXCLUDED_FIELDS)
