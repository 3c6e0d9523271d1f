from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.views.generic import TemplateView

from glossary.models import Term
from initiatives.charts import initiative_charts
from initiatives.models import Initiative, Publication, Theme
from portal.search import search


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


class SearchView(TemplateView):
    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        raw = self.request.GET.get("q", "")
        hits = search(raw, get_language())
        return super().get_context_data(section="search", query=raw[:200], hits=hits, **kwargs)


def constant(request):
    return HttpResponse(b"constant", content_type="text/plain")
