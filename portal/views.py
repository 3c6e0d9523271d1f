from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.generic import TemplateView

from glossary.models import Term
from initiatives.charts import initiative_charts
from initiatives.models import Initiative, Publication, Theme
from portal.search import KIND_LABELS, MAX_QUERY_LENGTH, fill, search


class HomeView(TemplateView):
    template_name = "portal/home.html"
    extra_context = {"section": "home"}

    def get_context_data(self, **kwargs):
        published_initiatives = Initiative.objects.published()
        return super().get_context_data(
            featured=published_initiatives.filter(featured=True).for_list()[:6],
            latest_publications=Publication.objects.published().exclude(kind=Publication.Kind.COUNCIL_DOCUMENT)[:5],
            council_document=Publication.objects.published().council_documents().order_by("-year").first(),
            themes=Theme.objects.all(),
            charts=initiative_charts(),
            counts={
                "initiatives": published_initiatives.count(),
                "publications": Publication.objects.published().count(),
                "terms": Term.objects.published().count(),
            },
            **kwargs,
        )


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def robots_txt(request):
    """Crawlers may read every public page; accounts, the admin and search results are not content."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lines += [f"Disallow: {reverse('accounts:login').rsplit('/', 2)[0]}/", f"Disallow: {reverse('search')}"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class SearchView(TemplateView):
    """One search over every kind of public content; `kind` and `theme` narrow it, `page` pages it."""

    template_name = "portal/search.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        raw = self.request.GET.get("q", "")
        kind = self.request.GET.get("kind") or None
        theme = self.request.GET.get("theme") or None
        language = get_language()
        results = search(raw, language, kind=kind, theme=theme)
        page = Paginator(results.hits, self.paginate_by).get_page(self.request.GET.get("page"))
        fill(page.object_list, raw, language)
        query_without_page = self.request.GET.copy()
        query_without_page.pop("page", None)
        return super().get_context_data(
            section="search",
            query=raw[:MAX_QUERY_LENGTH],
            results=results,
            kind=kind if kind in KIND_LABELS else None,
            theme=theme,
            kinds=[(code, label, results.kind_counts.get(code, 0)) for code, label in KIND_LABELS.items()],
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query_without_page=query_without_page.urlencode(),
            **kwargs,
        )


def constant(request):
    return HttpResponse(b"constant", content_type="text/plain")
