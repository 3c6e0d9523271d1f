"""Glossary terms and acronyms in displayed text, linked to their entry in the reader's language.

One lookup table per language (every published term's wording, acronym and variants in that
language) is built with two queries and cached; linking a page's text is then pure string work, so
a page with a hundred acronyms costs no more queries than one with none. The table is dropped
whenever a term or variant changes, and expires on its own so that scheduled publishing shows.
"""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape

CACHE_TIMEOUT = 300
TAG = re.compile(r"(<[^>]*>)")
SKIPPED_ELEMENTS = {"a", "abbr", "sup", "h3", "h4"}


@dataclass(frozen=True)
class Entry:
    url: str
    expansion: str  # the full term, for an acronym; empty for a term written out
    acronym: bool


def cache_key(language):
    return f"glossary:link-table:{language}"


def forget_tables(**kwargs):
    cache.delete_many([cache_key(code) for code in ("es", "en")])


def build_table(language):
    """{surface form: Entry}, the longest forms first so that "FMMD" never wins over a longer wording."""
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import Q, Value

    from glossary.models import Term

    table = {}
    with translation.override(language):
        terms = (
            Term.objects.published()
            .only("pk", f"slug_{language}", f"term_{language}", f"acronym_{language}")
            .annotate(
                variant_texts=ArrayAgg("variants__text", filter=Q(variants__language=language), default=Value([]))
            )
        )
        for term in terms:  # one query, variants included
            wording = getattr(term, f"term_{language}") or ""
            acronym = getattr(term, f"acronym_{language}") or ""
            url = term.get_absolute_url()
            if acronym:
                table[acronym] = Entry(url, wording, True)
            if len(wording) >= 4:
                table.setdefault(wording.lower(), Entry(url, "", False))
            for text in term.variant_texts:
                table.setdefault(text, Entry(url, wording, True))
    return table


def link_table(language):
    table = cache.get(cache_key(language))
    if table is None:
        table = build_table(language)
        cache.set(cache_key(language), table, CACHE_TIMEOUT)
    return table


def pattern_for(table):
    """Acronyms match as written (case matters: "ONU", never "onu"); wordings in any case."""
    acronyms = sorted((form for form, entry in table.items() if entry.acronym), key=len, reverse=True)
    wordings = sorted((form for form, entry in table.items() if not entry.acronym), key=len, reverse=True)
    alternatives = [re.escape(escape(form)) for form in acronyms]
    alternatives += [f"(?i:{re.escape(escape(form))})" for form in wordings]
    if not alternatives:
        return None
    return re.compile(r"(?<![\w&/])(" + "|".join(alternatives) + r")(?![\w-])")


def link_terms(html, language):
    """`html` (already safe) with each term's first occurrence linked; existing links, abbreviations,
    footnote markers and headings are left alone."""
    table = link_table(language)
    pattern = pattern_for(table)  # the re module keeps the compiled pattern between calls
    if pattern is None or not html:
        return html
    linked = set()

    def replace(match):
        form = match[1]
        entry = table.get(form) or table.get(form.lower())
        if entry is None or entry.url in linked:
            return form
        linked.add(entry.url)
        inner = f'<abbr title="{escape(entry.expansion)}">{form}</abbr>' if entry.acronym else form
        return f'<a class="glossary-link" href="{escape(entry.url)}">{inner}</a>'

    pieces = []
    open_skipped = 0
    for piece in TAG.split(html):
        if piece.startswith("<"):
            name = piece[1:].lstrip("/").split()[0].rstrip(">").rstrip("/").lower() if len(piece) > 2 else ""
            if name in SKIPPED_ELEMENTS:
                open_skipped += -1 if piece.startswith("</") else 1
            pieces.append(piece)
        elif open_skipped > 0 or not piece.strip():
            pieces.append(piece)
        else:
            pieces.append(pattern.sub(replace, piece))
    return "".join(pieces)
