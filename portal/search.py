"""Full-text search over everything public, in the reader's language.

Every searchable row keeps one stored tsvector per language (`search_es`, `search_en`: generated
columns with GIN indexes, see `portal.models.search_document`). PostgreSQL's `spanish`
configuration stems and drops accents ("migracion" finds "migración"); the text search parser
lowercases. Acronyms are expanded through the glossary so that GFMD also finds FMMD, and OHCHR
both OACDH and ACNUDH.

A search runs in two steps: one query ranks each kind's matches (ids and ranks only), then,
after the merged list is cut to a page, one query per kind fetches the page's rows with their
highlighted snippets, so `ts_headline` never runs over rows nobody sees.
"""

import re
from collections import namedtuple
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Func, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from glossary.linking import acronym_family
from glossary.models import Term
from initiatives.models import Comment, Initiative, Paragraph, Publication, Theme
from portal.models import SEARCH_CONFIGS, translated

MAX_QUERY_LENGTH = 200
MAX_MATCHES_PER_KIND = 200
# Ranking reads every match's stored vector, and a word such as "migración" matches nearly every row:
# only the newest matches of a kind are ranked (all of them for any rarer word), and the page says so.
RANK_WINDOW = 1000
WORD = re.compile(r"\w+", re.UNICODE)
START, STOP = "\u0002", "\u0003"  # highlight marks that cannot occur in content, made HTML after escaping

KIND_LABELS = {
    "initiative": _("Initiatives"),
    "publication": _("Publications"),
    "term": _("Glossary terms"),
    "paragraph": _("Council document"),
    "comment": _("Comments"),
}


@dataclass
class Hit:
    kind: str
    pk: int
    rank: float
    title: str = ""
    url: str = ""
    snippet: str = ""


@dataclass
class Results:
    query: str
    hits: list = field(default_factory=list)
    kind_counts: dict = field(default_factory=dict)
    theme_counts: list = field(default_factory=list)  # [(theme, count)]
    capped: bool = False  # a kind has more matches than are listed
    search_query: object = None  # the SearchQuery, acronyms expanded, for `fill`
    sources: dict = field(default_factory=dict)  # `sources(language)`, built once per search, for `fill`


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


def build_query(text, language):
    config = SEARCH_CONFIGS[language]
    query = SearchQuery(text, config=config, search_type="websearch")
    for form in sorted(acronym_forms(text.split())):
        query |= SearchQuery(form, config=config, search_type="plain")
    return query


def plain_text(expression):
    """Rich text without its tags, so that a snippet never cuts a tag in half."""
    return Func(expression, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace")


def highlighted(headline):
    text = escape(headline or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def sources(language):
    """Per kind: the public rows, the column the snippet comes from, and how a row is titled."""
    published_documents = Publication.objects.published()
    return {
        "initiative": (Initiative.objects.published(), f"summary_{language}", lambda row: row.title),
        "publication": (published_documents, f"description_{language}", lambda row: row.full_title),
        "term": (Term.objects.published(), f"definition_{language}", str),
        "paragraph": (
            Paragraph.objects.filter(document__in=published_documents).select_related("document"),
            f"text_{language}",
            str,
        ),
        "comment": (
            Comment.objects.approved()
            .filter(
                Q(paragraph__document__in=published_documents)
                | Q(initiative__in=Initiative.objects.published())
                | Q(publication__in=published_documents)
            )
            .select_related("member_state", "paragraph__document", "initiative", "publication"),
            "body",
            lambda row: _("Comment by %(state)s on %(target)s") % {"state": row.member_state, "target": row.target},
        ),
    }


THEMED_KINDS = ("initiative", "publication")


def in_stated_order(queryset):
    """modeltranslation rewrites values_list() and may reorder its columns; a UNION needs them as stated."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def search(raw, language, *, kind=None, theme=None):
    """The ranked matches of `raw`, narrowed to one kind and one theme code when given.

    Counts by kind ignore the kind filter (so the reader sees what the other tabs hold) but honour
    the theme; counts by theme honour neither, so every theme link stays reachable.
    """
    text = clean_query(raw)
    results = Results(query=text)
    if not text:
        return results
    query = build_query(text, language)
    results.search_query = query
    vector = f"search_{language}"
    parts, params = [], []
    results.sources = sources(language)
    kinds = list(results.sources)
    for index, (name, (queryset, _snippet, _title)) in enumerate(results.sources.items()):
        matching = queryset.filter(**{vector: query})
        if theme and name in THEMED_KINDS:
            matching = matching.filter(themes__code=theme)
        elif theme:
            continue
        # the kind rides in the key (pk × 10 + kind), so every part of the union has two numeric columns
        newest = (
            in_stated_order(matching)
            .annotate(hit_key=F("pk") * 10 + index, hit_rank=SearchRank(F(vector), query))
            .order_by("-pk")
            .values_list("hit_key", "hit_rank")[:RANK_WINDOW]
        )
        sql, part_params = newest.query.sql_with_params()
        # Ranked in the same pass that finds the newest matches: each stored vector is read once.
        parts.append(f"(SELECT * FROM ({sql}) AS newest ORDER BY 2 DESC, 1 LIMIT {MAX_MATCHES_PER_KIND})")
        params.extend(part_params)
        database = matching.db
    matches = {name: [] for name in kinds}
    if parts:
        # every kind's best matches in one query: a UNION ALL of the ranked parts
        with connections[database].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
    else:
        rows = []
    for key, rank in rows:
        matches[kinds[key % 10]].append(Hit(kinds[key % 10], key // 10, rank))
    results.kind_counts = {name: len(hits) for name, hits in matches.items()}
    results.capped = max(results.kind_counts.values(), default=0) >= MAX_MATCHES_PER_KIND
    results.theme_counts = theme_counts(query, vector)
    chosen = [kind] if kind in matches else list(matches)
    results.hits = sorted((hit for name in chosen for hit in matches[name]), key=lambda hit: (-hit.rank, hit.pk))
    return results


ThemeTag = namedtuple("ThemeTag", ["code", "name"])


def theme_counts(query, vector):
    """How many matching initiatives and publications each theme holds (among the newest matches that
    are ranked): [(ThemeTag, count)] in the themes' order, counted by PostgreSQL."""
    parts, params = [], []
    for model, link in ((Initiative, "initiative"), (Publication, "publication")):
        newest = model.objects.published().filter(**{vector: query}).order_by("-pk").values("pk")[:RANK_WINDOW]
        links = model.themes.through.objects.filter(**{f"{link}__in": newest}).values_list("theme_id")
        sql, part_params = links.query.sql_with_params()
        parts.append(sql)
        params.extend(part_params)
    with connections[newest.db].cursor() as cursor:
        cursor.execute(f"SELECT theme_id, COUNT(*) FROM ({' UNION ALL '.join(parts)}) AS links GROUP BY 1", params)
        counts = dict(cursor.fetchall())
    themes = Theme.objects.filter(pk__in=counts).annotate(label=translated("name")).order_by("order", "label")
    return [(ThemeTag(code, label), counts[key]) for key, code, label in themes.values_list("pk", "code", "label")]


def fill(hits, raw, language, query=None, catalogue=None):
    """Title, address and highlighted snippet for the hits of one page (one query per kind).

    `query` and `catalogue` are the search's own query and sources, when the caller has them: the
    glossary is not asked twice, nor the querysets built twice."""
    text = clean_query(raw)
    if not hits or not text:
        return hits
    query = query or build_query(text, language)
    config = SEARCH_CONFIGS[language]
    by_kind = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    for name, (queryset, snippet_field, title) in (catalogue or sources(language)).items():
        if name not in by_kind:
            continue
        rows = queryset.filter(pk__in=[hit.pk for hit in by_kind[name]]).annotate(
            snippet=SearchHeadline(
                plain_text(F(snippet_field)),
                query,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_fragments=2,
            )
        )
        rows = {row.pk: row for row in rows}
        for hit in by_kind[name]:
            row = rows[hit.pk]
            hit.title, hit.url, hit.snippet = title(row), row.get_absolute_url(), highlighted(row.snippet)
    return hits
