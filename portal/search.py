"""Full-text search over everything public, in the reader's language.

PostgreSQL's `spanish` and `english` configurations stem and fold accents; acronyms are
expanded through the glossary so that GFMD also finds FMMD, and OHCHR both OACDH and ACNUDH.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from glossary.models import Term, Variant
from initiatives.models import Initiative, Paragraph, Publication

CONFIG = {"es": "spanish", "en": "english"}
MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+", re.UNICODE)
START, STOP = "\u0002", "\u0003"  # highlight marks that cannot occur in content, made HTML after escaping


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: str
    rank: float


def clean_query(raw):
    """Only words reach PostgreSQL: operators, quotes and wildcards are dropped, never interpreted."""
    return " ".join(WORD.findall(raw or ""))[:MAX_QUERY_LENGTH].strip()


def acronym_forms(words):
    """Every language's acronym and variants of the glossary terms that the words name."""
    upper = {word.upper() for word in words if len(word) >= 2}
    if not upper:
        return set()
    forms = set()
    terms = Term.objects.published().filter(acronym_es__in=upper) | Term.objects.published().filter(
        acronym_en__in=upper
    )
    term_ids = set(terms.values_list("pk", flat=True))
    term_ids |= set(Variant.objects.filter(text__in=upper).values_list("term_id", flat=True))
    for es, en in Term.objects.filter(pk__in=term_ids).values_list("acronym_es", "acronym_en"):
        forms.update(filter(None, (es, en)))
    forms.update(Variant.objects.filter(term_id__in=term_ids).values_list("text", flat=True))
    return forms - upper


def build_query(text, language):
    config = CONFIG[language]
    query = SearchQuery(text, config=config, search_type="websearch")
    for form in sorted(acronym_forms(text.split())):
        query |= SearchQuery(form, config=config, search_type="plain")
    return query


def highlighted(headline):
    text = escape(strip_tags(headline))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def search(raw, language):
    text = clean_query(raw)
    if not text:
        return []
    config = CONFIG[language]
    query = build_query(text, language)
    sources = [
        (
            "initiative",
            Initiative.objects.published(),
            [f"title_{language}", f"summary_{language}", f"body_{language}"],
            f"title_{language}",
            f"summary_{language}",
        ),
        (
            "publication",
            Publication.objects.published(),
            [f"title_{language}", f"subtitle_{language}", f"description_{language}", "symbol"],
            f"title_{language}",
            f"description_{language}",
        ),
        (
            "term",
            Term.objects.published(),
            [f"term_{language}", "acronym_es", "acronym_en", f"definition_{language}"],
            f"term_{language}",
            f"definition_{language}",
        ),
        (
            "paragraph",
            Paragraph.objects.filter(document__in=Publication.objects.published()).select_related("document"),
            [f"text_{language}"],
            None,
            f"text_{language}",
        ),
    ]
    hits = []
    for kind, queryset, fields, title_field, snippet_field in sources:
        vector = SearchVector(*fields, config=config)
        rows = (
            queryset.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .annotate(
                snippet=SearchHeadline(
                    F(snippet_field),
                    query,
                    config=config,
                    start_sel=START,
                    stop_sel=STOP,
                    max_fragments=2,
                )
            )
            .order_by("-rank")[:50]
        )
        for row in rows:
            title = getattr(row, title_field) if title_field else str(row)
            hits.append(Hit(kind, title, row.get_absolute_url(), highlighted(row.snippet), row.rank))
    hits.sort(key=lambda hit: -hit.rank)
    return hits
