from collections import namedtuple
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Case, F, Func, OuterRef, TextField, Value, When
from django.db.models.functions import Coalesce, Collate, JSONObject, Left, Lower, NullIf, Trim, Upper
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from glossary.models import LANGUAGE_CHOICES, Term, Variant
from initiatives.models import Organization
from portal.addresses import addresses, query_without_page
from portal.compiled import KEYS, compiled_once
from portal.mixins import PublishedMixin, SectionMixin
from portal.models import as_one_json, built_once, translated
from portal.page_cache import kept_per_generation
from portal.rich_text import excerpt
from portal.text import index_letter

LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


IndexEntry = namedtuple("IndexEntry", ["url", "term", "acronym", "excerpt"])
EXCERPT_WORDS = 30


def index_entries(keys):
    """{key: IndexEntry} of the terms an index page shows, read as rows in the page's language: a
    page lists a hundred, and a model instance and a reverse() each cost more than the rest."""
    if not keys:
        return {}
    rows = compiled_once(index_rows(), "glossary-index-rows", keys=keys)
    term_address = addresses("glossary:detail", "slug")
    return {
        key: IndexEntry(term_address(slug), term, acronym, excerpt(definition, EXCERPT_WORDS))
        for key, slug, term, acronym, definition in rows
    }


@built_once
def index_rows():
    """The index's columns of the terms whose keys are the `Slot` KEYS, in the page's language."""
    columns = translated("slug"), translated("term"), translated("acronym"), translated("definition")
    # `rewrite(False)`: plain rows, not modeltranslation's dict a row for its fallbacks (the columns have theirs)
    return Term.objects.rewrite(False).filter(pk__any=KEYS).order_by().values_list("pk", *columns)


def filed_by_letter(terms):
    """Terms with the letter they file under (`initial`: what `portal.text.index_letter` gives, in SQL)
    and their name folded for sorting (`folded`), in the page's language."""
    first = Func(Left(Trim(translated("term")), 1), template="normalize(%(expressions)s, NFD)")
    return terms.annotate(
        first_letter=Collate(Upper(Left(first, 1)), "C"), folded=Collate(Lower(translated("term")), "C")
    ).annotate(
        initial=Case(When(first_letter__gte="A", first_letter__lte="Z", then=F("first_letter")), default=Value("#"))
    )


def filed(terms):
    """[(initial, pk)] of the terms, filed and sorted by PostgreSQL: only keys leave the database, not
    every name."""
    return list(filed_by_letter(terms).order_by("initial", "folded", "pk").values_list("initial", "pk"))


def with_letters(rows):
    """`filed()` rows and the set of letters they fall under."""
    return rows, frozenset(initial for initial, _pk in rows)


class TermIndexView(SectionMixin, TemplateView):
    """The A–Z index in the reader's language; `q` finds a term by its acronym in either language.

    PostgreSQL files the terms under their letters and sorts them, once per content generation and
    language for the whole index; only the page's 100 are read."""

    template_name = "glossary/term_index.html"
    section = "glossary"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:100]
        letter = self.request.GET.get("letter", "").strip().upper()[:1]
        if query:
            terms = Term.objects.published()
            by_acronym = terms.matching_acronym(query)
            ordered, present = with_letters(
                filed(by_acronym if by_acronym.exists() else terms.filter(term__icontains=query))
            )
        else:
            # the published terms' queryset is built only when the index is filed anew: building it was a
            # tenth of a page's work
            ordered, present = kept_per_generation(
                f"glossary-index-and-letters:{get_language()}", lambda: with_letters(filed(Term.objects.published()))
            )
        if letter:
            ordered = [row for row in ordered if row[0] == letter]
        page = Paginator(ordered, self.paginate_by).get_page(self.request.GET.get("page"))
        shown = index_entries([pk for _initial, pk in page.object_list])
        groups = [
            (initial, [shown[pk] for _initial, pk in group])
            for initial, group in groupby(page.object_list, key=lambda row: row[0])
        ]
        return super().get_context_data(
            groups=groups,
            letters=[(value, value in present) for value in LETTERS],
            query=query,
            letter=letter,
            found=page.paginator.count,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.paginator.num_pages > 1,
            query_without_page=query_without_page(self.request.GET),
            **kwargs,
        )


TermLink = namedtuple("TermLink", ["url", "term", "acronym"])
VariantShown = namedtuple("VariantShown", ["language", "text", "language_name"])
OrganizationLink = namedtuple("OrganizationLink", ["code", "short_name"])


class TermDetailView(SectionMixin, PublishedMixin, DetailView):
    """A term in both languages, with its variants, its published related terms and its organizations:
    all three are JSON columns of the term's own query, in the page's language."""

    model = Term
    template_name = "glossary/term_detail.html"
    section = "glossary"

    @classmethod
    def shown(cls, queryset):
        term = OuterRef("pk")
        language = get_language()  # related terms and organizations in the order of their names in it
        variants = Variant.objects.filter(term=term).order_by("pk")
        related = Term.objects.published().rewrite(False).filter(related=term).order_by(f"term_{language}")
        organizations = Organization.objects.rewrite(False).filter(glossary_term=term).order_by(f"name_{language}")
        short_name = Coalesce(NullIf(translated("acronym"), Value("")), translated("name"), output_field=TextField())
        return queryset.annotate(
            variant_values=as_one_json(variants.values(json=JSONObject(language="language", text="text"))),
            related_values=as_one_json(
                related.values(
                    json=JSONObject(slug=translated("slug"), term=translated("term"), acronym=translated("acronym"))
                )
            ),
            organization_values=as_one_json(organizations.values(json=JSONObject(code="code", short_name=short_name))),
        )

    def get_context_data(self, **kwargs):
        term = self.object
        term_address = addresses("glossary:detail", "slug")
        language_names = dict(LANGUAGE_CHOICES)
        return super().get_context_data(
            letter=index_letter(term.term),
            variants=[
                VariantShown(row["language"], row["text"], language_names.get(row["language"], row["language"]))
                for row in term.variant_values
            ],
            related=[TermLink(term_address(row["slug"]), row["term"], row["acronym"]) for row in term.related_values],
            organizations=[OrganizationLink(row["code"], row["short_name"]) for row in term.organization_values],
            **kwargs,
        )
