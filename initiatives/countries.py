"""Country names in the page's language, read once per process.

django-countries translates and sorts its 250 names on each reading; menus, count tables and the
name of every commenting member state read them on every request.
"""

import functools

from django.utils import translation
from django_countries import countries


@functools.cache
def country_names(language):
    """Every country as (code, name) in `language`, sorted by name."""
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


@functools.cache
def names_by_code(language):
    return dict(country_names(language))


def country_name(code):
    """The name of a country in the active language (its code, for a code django-countries lacks)."""
    return names_by_code(translation.get_language() or "es").get(code, code)
