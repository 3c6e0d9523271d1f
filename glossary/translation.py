from modeltranslation.translator import TranslationOptions, register

from glossary.models import Term


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = ("slug", "term", "acronym", "definition")
    required_languages = ("es",)
    empty_values = {"slug": None}
