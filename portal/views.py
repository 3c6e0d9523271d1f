import sys

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device

from glossary.models import Term
from initiatives.models import Initiative, Publication, Theme
from portal.forms import SecondFactorForm
from portal.middleware import DATABASE_ERRORS, database_unavailable
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


def server_error(request):
    """Django's last resort (handler500): a lost database still gets the 503 page, anything else the 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


class SecondFactorView(LoginRequiredMixin, FormView):
    """Staff who moderate or publish confirm a one-time code once per session (see portal.security)."""

    form_class = SecondFactorForm
    template_name = "accounts/second_factor.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(has_device=user_has_device(self.request.user), **kwargs)

    def form_valid(self, form):
        otp_login(self.request, form.device)
        target = self.request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            target = "/admin/"
        return redirect(target)
