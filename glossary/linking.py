"""Glossary terms and acronyms in displayed text, linked to their entry in the reader's language.

One lookup table per language (every published term's wording, acronym and variants in that
language) is built with two queries and cached; linking a page's text is then pure string work, so
a page with a hundred acronyms costs no more queries than one with none. The table is dropped
whenever a term or variant changes, and expires on its own so that scheduled publishing shows.
"""

import re
import time
import uuid
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


VERSION_KEY = "glossary:link-table-version"
_COMPILED = {}  # {(language, version): (table, pattern)}: this process's copy, rebuilt when the version moves


def forget_tables(**kwargs):
    cache.delete_many([cache_key(code) for code in ("es", "en")])
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    forget_this_process_copy()  # this process sees its own change at once


VERSION_CHECK_EVERY = 1.0  # seconds: a page links dozens of texts, and each check reads the shared cache
_seen_version = (0.0, None)  # (when this process last read the version, the version)


def forget_this_process_copy():
    """Makes this process read the version again at its next use (tests clear the cache between them)."""
    global _seen_version
    _seen_version = (0.0, None)


def table_version():
    """A token that changes whenever a term changes (or the cache forgets it): every process rebuilds.

    Read from the shared cache at most once a second per process."""
    global _seen_version
    read_at, version = _seen_version
    now = time.monotonic()
    if version is not None and now - read_at < VERSION_CHECK_EVERY:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    _seen_version = (now, version)
    return version


def compiled(language):
    """The language's table and its pattern, unpickled and compiled once per process and version."""
    key = (language, table_version(), int(time.time() // CACHE_TIMEOUT))  # scheduled terms show too
    found = _COMPILED.get(key)
    if found is None:
        table = link_table(language)
        found = (table, Finder(table))
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        _COMPILED[key] = found
    return found


_ACRONYMS = {}  # {(version, period): {acronym or variant: every acronym and variant of its term}}


def acronym_family():
    """{acronym or variant, as stored: all the acronyms and variants of its term, in both languages},
    built with one query once per process and version: search expands GFMD to FMMD with it."""
    key = (table_version(), int(time.time() // CACHE_TIMEOUT))
    family = _ACRONYMS.get(key)
    if family is None:
        from django.contrib.postgres.aggregates import ArrayAgg
        from django.db.models import Value

        from glossary.models import Term

        family = {}
        rows = (
            Term.objects.published()
            .annotate(variant_texts=ArrayAgg("variants__text", default=Value([])))
            .values_list("acronym_es", "acronym_en", "variant_texts")
        )
        for es, en, variants in rows.rewrite(False):
            forms = frozenset(filter(None, (es, en, *variants)))
            for form in forms:
                family[form] = family.get(form, frozenset()) | forms
        _ACRONYMS.clear()
        _ACRONYMS[key] = family
    return family


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


class Finder:
    """Finds the table's forms in text word by word: one dictionary lookup per word, whatever the
    size of the glossary (a regular expression of thousands of alternatives is slow to run).

    Acronyms match as written (case matters: "ONU", never "onu"); wordings in any case; a form
    never starts after a letter, "&" or "/", nor ends before a letter or "-"."""

    WORD = re.compile(r"\w+")

    def __init__(self, table):
        self.memo = {}  # {text: linked text}, filled by link_terms
        self.by_first_word = {}
        for form, entry in table.items():
            escaped = escape(form)
            words = self.WORD.findall(escaped)
            if words:
                first = words[0] if entry.acronym else words[0].lower()
                self.by_first_word.setdefault((first, entry.acronym), []).append(escaped)
        for forms in self.by_first_word.values():
            forms.sort(key=len, reverse=True)

    def __bool__(self):
        return bool(self.by_first_word)

    def sub(self, replace, text):
        pieces, position = [], 0
        for word in self.WORD.finditer(text):
            start = word.start()
            if start < position or (start and (text[start - 1].isalnum() or text[start - 1] in "_&/")):
                continue
            found = self.longest_at(text, start, word[0])
            if found:
                pieces += [text[position:start], replace(found)]
                position = start + len(found)
        return "".join([*pieces, text[position:]])

    def longest_at(self, text, start, word):
        candidates = self.by_first_word.get((word, True), []) + self.by_first_word.get((word.lower(), False), [])
        for form in sorted(candidates, key=len, reverse=True):
            end = start + len(form)
            segment = text[start:end]
            acronym = form in self.by_first_word.get((word, True), ())
            if (segment == form if acronym else segment.lower() == form.lower()) and (
                end == len(text) or not (text[end].isalnum() or text[end] in "_-")
            ):
                return segment
        return None


MEMO_SIZE = 1024  # linked texts kept per process and table: the council document's paragraphs, the lists' summaries


def link_terms(html, language):
    """`html` (already safe) with each term's first occurrence linked; existing links, abbreviations,
    footnote markers and headings are left alone.

    The same text with the same table always gives the same result, so each process keeps the latest
    results beside its table: they go when the table does."""
    return link_made(html, lambda: html, language) if html else html


def link_made(key, make, language):
    """`link_terms(make(), language)`, kept under `key` beside the table as link_terms keeps its own
    results (under the text itself): for a text that is marked up before it is linked (a council
    document's paragraph, escaped and with its note markers), so that a process does both once per
    text and table."""
    table, finder = compiled(language)
    linked_html = finder.memo.get(key)
    if linked_html is None:
        html = make()
        if len(finder.memo) >= MEMO_SIZE:
            finder.memo.clear()
        linked_html = finder.memo[key] = link_with(table, finder, html) if finder and html else html
    return linked_html


def link_with(table, finder, html):
    linked = set()

    def replace(form):
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
            pieces.append(finder.sub(replace, piece))
    return "".join(pieces)
