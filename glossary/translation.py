from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from glossary.models import Term
from portal.models import HISTORY_EXCLUDED_FIELDS


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = ("slug", "term", "acronym", "definition")
    required_languages = ("es",)
    empty_values = {"slug": None}


# History is registered after the translations so that the historical tables hold the _es and _en columns
# (a HistoricalRecords field on the model would copy the fields before modeltranslation adds them).
# Slugs stay out: the copied translation fields keep their unique constraint, and a restore keeps the current URL.
register_history(Term, app="glossary", excluded_fields=HISTORY_EXCLUDED_FIELDS)
