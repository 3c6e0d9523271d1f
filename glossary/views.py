from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import get_language
from django.views.generic import DetailView, TemplateView

from glossary.models import Term
from initiatives.models import Organization
from portal.mixins import PublishedMixin, SectionMixin
from portal.text import index_letter

LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


class TermIndexView(SectionMixin, TemplateView):
    """The A–Z index in the reader's language; `q` finds a term by its acronym in either language.

    Sorting happens on (id, term) pairs, accents folded; only the page's 100 terms are loaded."""

    template_name = "glossary/term_index.html"
    section = "glossary"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        language = get_language()
        query = self.request.GET.get("q", "").strip()[:100]
        letter = self.request.GET.get("letter", "").strip().upper()[:1]
        terms = Term.objects.published()
        if query:
            by_acronym = terms.matching_acronym(query)
            terms = by_acronym if by_acronym.exists() else terms.filter(term__icontains=query)
        # Plain rows, not modeltranslation's per-row fallback: a published term has both languages.
        names = terms.rewrite(False).values_list("pk", f"term_{language}")
        entries = sorted((index_letter(name), (name or "").casefold(), pk) for pk, name in names)
        present = {initial for initial, _name, _pk in entries}
        if letter:
            entries = [entry for entry in entries if entry[0] == letter]
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        shown = ("slug", "term", "acronym", "definition")
        loaded = Term.objects.only(*shown).in_bulk([pk for _initial, _name, pk in page.object_list])
        page_terms = [loaded[pk] for _initial, _name, pk in page.object_list]
        groups = [(initial, list(group)) for initial, group in groupby(page_terms, key=lambda term: term.initial)]
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            groups=groups,
            letters=[(value, value in present) for value in LETTERS],
            query=query,
            letter=letter,
            found=len(entries),
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.paginator.num_pages > 1,
            query_without_page=params.urlencode(),
            **kwargs,
        )


class TermDetailView(SectionMixin, PublishedMixin, DetailView):
    model = Term
    template_name = "glossary/term_detail.html"
    section = "glossary"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "variants",
                Prefetch("related", queryset=Term.objects.published()),
                Prefetch("organizations", queryset=Organization.objects.all()),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(letter=index_letter(self.object.term), **kwargs)
