from modeltranslation.translator import TranslationOptions, register

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
