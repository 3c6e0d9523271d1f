from itertools import groupby

from django.db.models import Prefetch
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from glossary.models import Term
from initiatives.models import Organization
from portal.mixins import PublishedMixin, SectionMixin
from portal.text import index_letter

LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


class TermIndexView(SectionMixin, ListView):
    """The A–Z index in the reader's language; `q` finds a term by its acronym in either language."""

    template_name = "glossary/term_index.html"
    section = "glossary"

    def get_queryset(self):
        terms = Term.objects.published().prefetch_related("variants")
        self.query = self.request.GET.get("q", "").strip()[:100]
        self.letter = self.request.GET.get("letter", "").strip().upper()[:1]
        if self.query:
            by_acronym = terms.matching_acronym(self.query)
            terms = by_acronym if by_acronym.exists() else terms.filter(term__icontains=self.query)
        return sorted(terms, key=lambda term: (term.initial, term.term.casefold()))

    def get_context_data(self, **kwargs):
        terms = self.object_list
        present = {term.initial for term in terms}
        if self.letter:
            terms = [term for term in terms if term.initial == self.letter]
        groups = [(letter, list(group)) for letter, group in groupby(terms, key=lambda term: term.initial)]
        return super().get_context_data(
            groups=groups,
            letters=[(letter, letter in present) for letter in LETTERS],
            query=self.query,
            letter=self.letter,
            language=get_language(),
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
