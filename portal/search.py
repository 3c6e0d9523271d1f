"""Full-text search over everything public, in the reader's language.

Every searchable row keeps one stored tsvector per language (`search_es`, `search_en`: generated
columns with GIN indexes, see `portal.models.search_document`). PostgreSQL's `spanish`
configuration stems and drops accents ("migracion" finds "migración"); the text search parser
lowercases. Acronyms are expanded through the glossary so that GFMD also finds FMMD, and OHCHR
both OACDH and ACNUDH.

A search runs in two steps: one query ranks each kind's matches (ids and ranks only), and the themes
of the ranked initiatives and publications are counted against bitmaps of each theme's items; then,
after the merged list is cut to a page, one query per kind fetches the page's rows with their
highlighted snippets (not their stored vectors or long texts), so `ts_headline` never runs over rows
nobody sees.
"""

import functools
import re
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Cast, Length
from django.db.models.lookups import GreaterThan
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from psycopg import pq
from pyroaring import BitMap

from glossary.linking import acronym_family
from glossary.models import Term
from initiatives.countries import country_name
from initiatives.models import Comment, Initiative, Paragraph, Publication, Theme
from portal.addresses import addresses
from portal.compiled import KEYS, Slot, compiled_once
from portal.facets import NOTHING, bitmaps
from portal.models import (
    SEARCH_CONFIGS,
    as_rows,
    in_stated_order,
    planned_each_time,
    published_condition,
    translated,
)
from portal.page_cache import kept_per_generation

MAX_QUERY_LENGTH = 200
# Ranking reads every match's stored vector, and a word such as "migración" matches nearly every row:
# a kind's newest 200 matches are ranked and listed (all of them for any rarer word), and the page says
# so. Ranking the newest 500 to list the best 200 of them took twice the work in PostgreSQL (9.5 against
# 4.4 ms for "migración" among 20,000 initiatives and 100,000 comments), and the themes' counts then
# covered matches that were not listed.
RANKED_PER_KIND = 200
WORD = re.compile(r"\w+", re.UNICODE)
# A long text's snippet is cut from this many characters around the first of the words found in it (see the
# migration portal/0003_search_snippet_source): ts_headline reads each word of what it is given.
SNIPPET_SPAN = 600
START, STOP = "\u0002", "\u0003"  # highlight marks that cannot occur in content, made HTML after escaping

KIND_LABELS = {
    "initiative": _("Initiatives"),
    "publication": _("Publications"),
    "term": _("Glossary terms"),
    "paragraph": _("Council document"),
    "comment": _("Comments"),
}

HIT_LABELS = {  # a hit's type, above its title
    "initiative": _("Initiative"),
    "publication": _("Publication"),
    "term": _("Glossary term"),
    "paragraph": _("Council document"),
    "comment": _("Comment"),
}


@dataclass
class Hit:
    kind: str
    pk: int
    rank: float
    title: str = ""
    url: str = ""
    snippet: str = ""

    @property
    def label(self):
        return HIT_LABELS[self.kind]


# A ranked match as the ranking query returns it: (kind's place in `public_rows()`, pk, rank). Only the
# twenty of the page shown become `Hit`s, in `fill`. When a theme is chosen, the query also returns the
# matches of any theme that the themes' counts cover, as (-1 - kind's place, pk, NULL).


@dataclass
class Results:
    query: str
    matches: list = field(default_factory=list)  # ranked matches, best first, of the chosen kind
    kind_counts: dict = field(default_factory=dict)
    theme_counts: list = field(default_factory=list)  # [(theme, count)]
    capped: bool = False  # a kind has more matches than are listed
    forms: list = field(default_factory=list)  # the acronym forms searched with the words, for `fill`


def clean_query(raw):
    """Only words reach PostgreSQL: operators, quotes and wildcards are dropped, never interpreted."""
    return " ".join(WORD.findall((raw or "")[: MAX_QUERY_LENGTH * 10]))[:MAX_QUERY_LENGTH].strip()


def acronym_forms(words):
    """Every language's acronym and variants of the glossary terms that the words name."""
    upper = {word.upper() for word in words if len(word) >= 2}
    family = acronym_family()
    forms = set()
    for word in upper:
        forms |= family.get(word, frozenset())
    return forms - upper


def build_query(text, language, forms=None):
    """The words as typed, or'ed with the acronym forms (`acronym_forms` of the words unless given)."""
    config = SEARCH_CONFIGS[language]
    query = SearchQuery(text, config=config, search_type="websearch")
    for form in sorted(acronym_forms(text.split())) if forms is None else forms:
        query |= SearchQuery(form, config=config, search_type="plain")
    return query


def plain_text(expression):
    """Rich text without its tags, so that a snippet never cuts a tag in half."""
    return Func(expression, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace")


def highlighted(headline):
    text = escape(headline or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


Kind = namedtuple("Kind", ["rows", "snippet", "row", "read", "shown"])
# Per kind of hit: its public rows; the column its snippet comes from; the namedtuple a hit is read as
# (its key, the values of its title and address, its snippet); the columns or expressions of those
# values that are not plain columns of the same name; and `shown(rows)`, each row's title and address.


def hit_row(name, *fields):
    return namedtuple(f"{name}Hit", ["pk", *fields, "snippet"])


InitiativeHit = hit_row("Initiative", "slug", "title")
PublicationHit = hit_row("Publication", "slug", "title", "subtitle", "kind")
TermHit = hit_row("Term", "slug", "term", "acronym")
ParagraphHit = hit_row("Paragraph", "number", "symbol", "document_slug", "document_kind")
CommentHit = hit_row("Comment", "state", "paragraph", "symbol", "initiative", "publication")


def shown_initiatives(rows):
    address_of = addresses("initiatives:detail", "slug")
    return [(row.title, address_of(row.slug)) for row in rows]


def shown_publications(rows):
    address_of = {kind: addresses(Publication.page_of(kind), "slug") for kind in {row.kind for row in rows}}
    return [(Publication.titled(row.title, row.subtitle), address_of[row.kind](row.slug)) for row in rows]


def shown_terms(rows):
    address_of = addresses("glossary:detail", "slug")
    return [(Term.named(row.term, row.acronym), address_of(row.slug)) for row in rows]


def shown_paragraphs(rows):
    address_of = {kind: addresses(Publication.page_of(kind), "slug") for kind in {row.document_kind for row in rows}}
    return [
        (
            Paragraph.named(row.symbol, row.number),
            f"{address_of[row.document_kind](row.document_slug)}#{Paragraph.anchor_of(row.number)}",
        )
        for row in rows
    ]


def shown_comments(rows):
    address_of = addresses("comments:detail", "pk")
    return [
        (
            _("Comment by %(state)s on %(target)s")
            % {
                "state": country_name(row.state),
                "target": Paragraph.named(row.symbol, row.paragraph)
                if row.paragraph is not None
                else row.initiative or row.publication,
            },
            address_of(row.pk),
        )
        for row in rows
    ]


@functools.lru_cache(maxsize=8)
def public_rows(language):
    """Per kind (a `Kind`): its public rows, the column the snippet comes from, and how a hit is read
    and shown (its title and address, from its row alone: a model instance each cost more).

    The querysets are built once per process and language (`published()` takes the time when each
    query runs, so they hold no moment of their own): never run these, only copies."""
    published_documents = Publication.objects.published()
    with translation.override(language):
        text = {field: translated(field) for field in ("slug", "title", "subtitle", "term", "acronym")}
        return {
            "initiative": Kind(
                Initiative.objects.published(),
                f"summary_{language}",
                InitiativeHit,
                {"slug": text["slug"], "title": text["title"]},
                shown_initiatives,
            ),
            "publication": Kind(
                published_documents,
                f"description_{language}",
                PublicationHit,
                {"slug": text["slug"], "title": text["title"], "subtitle": text["subtitle"]},
                shown_publications,
            ),
            "term": Kind(
                Term.objects.published(),
                f"definition_{language}",
                TermHit,
                {"slug": text["slug"], "term": text["term"], "acronym": text["acronym"]},
                shown_terms,
            ),
            "paragraph": Kind(
                Paragraph.objects.filter(document__in=published_documents),
                f"text_{language}",
                ParagraphHit,
                {
                    "symbol": F("document__symbol"),
                    "document_slug": translated("document__slug"),
                    "document_kind": F("document__kind"),
                },
                shown_paragraphs,
            ),
            "comment": Kind(
                # on a public paragraph, initiative or publication, for the page's hits; ranking checks
                # the targets against `hidden_targets()` instead of joining them
                Comment.objects.approved().filter(
                    published_condition("paragraph__document__")
                    | published_condition("initiative__")
                    | published_condition("publication__")
                ),
                "body",
                CommentHit,
                {
                    "state": F("member_state__country"),
                    "paragraph": F("paragraph__number"),
                    "symbol": F("paragraph__document__symbol"),
                    "initiative": translated("initiative__title"),
                    "publication": translated("publication__title"),
                },
                shown_comments,
            ),
        }


THEMED_KINDS = ("initiative", "publication")
HIDDEN_TARGETS = ("initiative", "publication", "paragraph")  # what a comment is on


def hidden_targets():
    """The keys of the initiatives, publications and paragraphs the public cannot see now (drafts,
    withdrawn or scheduled items, the paragraphs of such documents), by `HIDDEN_TARGETS`: ranking finds
    a comment only if its target is not among them. Kept per content generation, which moves when an
    editor saves and when a scheduled date falls due, as the page cache does.

    There are few of them. Joining each comment to its three possible targets to check them made
    PostgreSQL's plan of a search take twice as long (2.0 against 1.1 ms); joining the paragraphs to
    their documents was then the costliest part of the plan (0.28 of 0.68 ms)."""

    def read():
        documents = Publication.objects.published()
        hidden = {
            "initiative": Initiative.objects.exclude(pk__in=Initiative.objects.published().values("pk")),
            "publication": Publication.objects.exclude(pk__in=documents.values("pk")),
            "paragraph": Paragraph.objects.exclude(document__in=documents),
        }
        return {target: list(rows.values_list("pk", flat=True)) for target, rows in hidden.items()}

    return kept_per_generation("search-hidden-targets", read)


def search(raw, language, *, kind=None, theme=None):
    """The ranked matches of `raw`, narrowed to one kind and one theme code when given.

    Counts by kind ignore the kind filter (so the reader sees what the other tabs hold) but honour
    the theme; counts by theme honour neither, so every theme link stays reachable.
    """
    text = clean_query(raw)
    results = Results(query=text)
    if not text:
        return results
    forms = results.forms = sorted(acronym_forms(text.split()))
    catalogue = public_rows(language)
    kinds = list(catalogue)
    sql, slots = ranking_query(language, len(forms), theme is not None, RANKED_PER_KIND)
    values = {slot("text"): text, slot("theme"): theme, **{slot(f"form {n}"): form for n, form in enumerate(forms)}}
    values.update((slot(f"hidden {target}"), keys) for target, keys in hidden_targets().items())
    now = timezone.now()
    params = {name: now if isinstance(value, datetime) else values.get(value, value) for name, value in slots.items()}
    connection = connections[catalogue["initiative"].rows.db]
    with connection.cursor() as cursor, planned_each_time(connection):
        # up to a thousand rows of numbers: in binary, psycopg reads them in a fifth less time than as text
        cursor.cursor.format = pq.Format.BINARY
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results.kind_counts = dict.fromkeys(kinds, 0)
    matches, counted = [], {name: BitMap() for name in THEMED_KINDS}
    # Each kind's rows at once, not row by row: up to a thousand rows, in the kinds' order already
    rows.sort(key=itemgetter(0))
    for place, group in groupby(rows, itemgetter(0)):
        ranked = list(group)
        if place < 0:  # matches counted for the themes only
            counted[kinds[-1 - place]].update(map(itemgetter(1), ranked))
            continue
        name = kinds[place]
        results.kind_counts[name] = len(ranked)
        if kind not in kinds or name == kind:
            matches += ranked
        if theme is None and name in counted:
            counted[name].update(map(itemgetter(1), ranked))
    results.capped = max(results.kind_counts.values()) >= RANKED_PER_KIND
    results.theme_counts = counted_by_theme(counted, language)
    # best rank first, then by key and kind: two stable sorts on C keys (a Python key was 0.3 ms a page)
    matches.sort(key=itemgetter(1, 0))
    matches.sort(key=itemgetter(2), reverse=True)
    results.matches = matches
    return results


def slot(name):
    """A stand-in for a search's own value in the compiled ranking query: words never hold these marks."""
    return f"{START}{name}{STOP}"


@functools.lru_cache(maxsize=64)
def ranking_query(language, forms, themed, window):
    """Every kind's newest `window` matches with their ranks, and the themes' counts over them, as one
    query of one shape (a number of acronym forms, a theme or none), compiled once per process.

    Returns the SQL and its parameters by name (`named_once`), where `slot()`s stand for the words, the
    forms and the theme, and a datetime for the moment the search runs (`published()` compares with it)."""
    catalogue = public_rows(language)
    query = build_query(slot("text"), language, [slot(f"form {n}") for n in range(forms)])
    theme = slot("theme") if themed else None
    vector = f"search_{language}"
    windows, ranked, params = {}, [], []

    def newest(queryset, **columns):
        """The newest matches of a kind as a named part of the query, with `columns` (names: values)."""
        part = in_stated_order(queryset).order_by("-pk").values_list(*columns.values())[:window]
        sql, part_params = part.query.sql_with_params()
        params.extend(part_params)
        name = f"newest_{len(windows)}"
        windows[name] = f"{name} ({', '.join(columns)}) AS ({sql})"
        return name

    for index, (name, kind) in enumerate(catalogue.items()):
        queryset = kind.rows
        if theme and name not in THEMED_KINDS:
            continue
        if name == "comment":  # checked against what is hidden, not by joining each comment's target
            queryset = Comment.objects.approved()
            for target in HIDDEN_TARGETS:
                queryset = queryset.exclude(**{f"{target}__any": slot(f"hidden {target}")})
        elif name == "paragraph":  # the same, for a paragraph's document: planning the join took longest
            queryset = Paragraph.objects.exclude(pk__any=slot("hidden paragraph"))
        matching = queryset.filter(**{vector: query})
        if theme:
            matching = matching.filter(themes__code=theme)
        matching = matching.annotate(hit_kind=Value(index), hit_rank=SearchRank(F(vector), query))
        part = newest(matching, place="hit_kind", key="pk", rank="hit_rank")
        # Ranked in the same pass that finds the newest matches: each stored vector is read once.
        ranked.append(f"SELECT * FROM {part}")
    if theme:  # the themes' counts cover every theme's matches, not only the chosen theme's
        for index, name in enumerate(catalogue):
            if name in THEMED_KINDS:
                part = newest(catalogue[name].rows.filter(**{vector: query}), key="pk")
                ranked.append(f"SELECT {-1 - index}, key, NULL FROM {part}")
    return named_once(f"WITH {', '.join(windows.values())} {' UNION ALL '.join(ranked)}", params)


PLACEHOLDER = re.compile(r"%%|%s")


def named_once(sql, params):
    """`sql` with a name for each distinct value of `params` (`%(0)s`...), and {name: value}.

    The words, the moment and the kinds' constants come back in every kind's part: named, each is sent
    once, and the query keeps under the 50 parameters up to which psycopg keeps its conversion of a query
    (an acronym's search had 59, and psycopg split the whole query anew for each search)."""
    values, names = iter(params), {}

    def named(placeholder):
        if placeholder[0] == "%%":
            return "%%"
        value = next(values)
        key = datetime if isinstance(value, datetime) else (type(value), value)  # every moment is the search's
        return f"%({names.setdefault(key, (str(len(names)), value))[0]})s"

    named_sql = PLACEHOLDER.sub(named, sql)
    return named_sql, dict(names.values())


def counted_by_theme(counted, language):
    """[(ThemeTag, count)] in the themes' order, for the themes with matches among `counted` ({a themed
    kind: BitMap of its matches' keys}).

    Counted against each theme's items kept as bitmaps (`themed_keys`), not in the ranking query: joining
    the 400 matches to the links there was a third of PostgreSQL's time for a search."""
    themed = themed_keys()
    found = []
    for key, tag in theme_tags(language):
        count = sum(themed[name].get(key, NOTHING).intersection_cardinality(keys) for name, keys in counted.items())
        if count:
            found.append((tag, count))
    return found


def themed_keys():
    """{a themed kind: {theme's pk: FrozenBitMap of its items' keys}}, drafts and withdrawn items too
    (they are never among the matches counted): kept per content generation."""

    def read():
        themed = {}
        for name, model in zip(THEMED_KINDS, (Initiative, Publication), strict=True):
            links = model.themes.through.objects
            pairs = links.values_list(f"{name}_id", "theme_id").query.sql_with_params()
            with connections[links.db].cursor() as cursor:
                cursor.execute(*pairs)  # a plain cursor, as `portal.facets.placed` reads its pairs
                themed[name] = bitmaps(cursor.fetchall())
        return themed

    return kept_per_generation("search-themed-keys", read)


ThemeTag = namedtuple("ThemeTag", ["code", "name"])


def theme_tags(language):
    """Every theme as (pk, ThemeTag) in `language`, in the themes' order: kept per content generation."""

    def read():
        themes = Theme.objects.annotate(label=translated("name")).order_by("order", "label")
        return [(key, ThemeTag(code, label)) for key, code, label in themes.values_list("pk", "code", "label")]

    return kept_per_generation(f"theme-tags:{language or get_language()}", read)


def fill(matches, raw, language, forms):
    """The matches of one page as `Hit`s, with title, address and highlighted snippet: one query per
    kind, compiled once per kind and number of acronym forms (`snippet_rows`), read as rows.

    `forms` are the search's acronym forms (`Results.forms`): the glossary is not asked twice. A match
    that is no longer public when its row is read (its date fell due in between) is left out."""
    text = clean_query(raw)
    if not matches or not text:
        return []
    catalogue = public_rows(language)
    kinds = list(catalogue)
    hits = [Hit(kinds[place], key, rank) for place, key, rank in matches]
    by_kind = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    words = {"text": text, **{f"form {number}": form for number, form in enumerate(forms)}}
    for name, kind in catalogue.items():
        if name not in by_kind:
            continue
        shape = f"search-snippets:{language}:{name}:{len(forms)}"
        keys = [hit.pk for hit in by_kind[name]]
        rows = {
            row.pk: row for row in compiled_once(snippet_rows(language, name, len(forms)), shape, keys=keys, **words)
        }
        found = [hit for hit in by_kind[name] if hit.pk in rows]
        for hit, (title, url) in zip(found, kind.shown([rows[hit.pk] for hit in found]), strict=True):
            hit.title, hit.url, hit.snippet = title, url, highlighted(rows[hit.pk].snippet)
    return [hit for hit in hits if hit.url]


@functools.lru_cache(maxsize=64)
def snippet_rows(language, name, forms):
    """A kind's public rows by key (the `Slot` KEYS) as its hit rows, each with its snippet, the words
    and `forms` acronym forms highlighted (slots too): kept once per process; never run it, only copies."""
    kind = public_rows(language)[name]
    text = Slot("text", TextField())
    form_slots = [Slot(f"form {number}", TextField()) for number in range(forms)]
    query = build_query(text, language, form_slots)
    words = Func(Value(" "), *(Cast(word, TextField()) for word in [text, *form_slots]), function="concat_ws")
    stems = Func(
        Func(SearchConfig(SEARCH_CONFIGS[language]), words, function="to_tsvector"),
        function="tsvector_to_array",
        output_field=ArrayField(TextField()),
    )
    text_of = F(kind.snippet)
    source = Case(  # a long text cut around its first match (without its tags too), a short one whole
        When(
            GreaterThan(Length(text_of), SNIPPET_SPAN),
            then=Func(text_of, stems, Value(SNIPPET_SPAN), function="search_snippet_source", output_field=TextField()),
        ),
        default=plain_text(text_of),
        output_field=TextField(),
    )
    snippet = SearchHeadline(
        source,
        query,
        config=SEARCH_CONFIGS[language],
        start_sel=START,
        stop_sel=STOP,
        max_fragments=2,
    )
    return as_rows(kind.rows.filter(pk__any=KEYS), kind.row, **kind.read, snippet=snippet)
