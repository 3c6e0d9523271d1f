import functools
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def without_page(query):
    """A query's parameters, in their order, but the page number: (name, value) pairs."""
    return [(key, value) for key, values in query.lists() if key != "page" for value in values]


def query_without_page(query):
    """The query string of a list's other pages and downloads: the query without its page number."""
    return urlencode(without_page(query))


PLACEHOLDER = "424242424242"  # fits a slug and a key pattern, and no other part of an address


def address(name, argument, value, **fixed):
    """`reverse(name, kwargs={argument: value, **fixed})` for a slug or a key, with the address pattern
    worked out once per language (and per `fixed` arguments): lists, the council document and search
    link dozens or hundreds of items, and a reverse() each cost more than the rest of an item."""
    if value is None or value == "":
        return reverse(name, kwargs={argument: value, **fixed})  # fails as reverse() fails
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = address_pattern(
        name, argument, tuple(sorted(fixed.items())), get_language(), get_script_prefix(), urlconf
    )
    return pattern.replace(PLACEHOLDER, str(value))


def addresses(name, argument, **fixed):
    """`address()` for the many items of one kind that a page links: the pattern is looked up once, in
    the active language, and each item then costs one replace (the council document links hundreds)."""
    pattern = address(name, argument, PLACEHOLDER, **fixed)

    def of(value):
        if value is None or value == "":
            return address(name, argument, value, **fixed)  # fails as reverse() fails
        return pattern.replace(PLACEHOLDER, str(value))

    return of


@functools.lru_cache(maxsize=256)
def address_pattern(name, argument, fixed, _language, _script_prefix, urlconf):
    return reverse(name, kwargs={argument: PLACEHOLDER, **dict(fixed)}, urlconf=urlconf)
