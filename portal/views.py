import sys
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Value
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device

from glossary.models import Term
from initiatives.charts import initiative_charts
from initiatives.models import Initiative, Publication
from portal.addresses import without_page
from portal.compiled import compiled_once
from portal.forms import SecondFactorForm
from portal.middleware import DATABASE_ERRORS, database_unavailable
from portal.models import built_once
from portal.page_cache import kept_per_generation
from portal.search import KIND_LABELS, MAX_QUERY_LENGTH, RANKED_PER_KIND, fill, search, theme_tags


class HomeView(TemplateView):
    template_name = "portal/home.html"
    extra_context = {"section": "home"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            featured=compiled_once(featured_initiatives(), "home:featured"),
            latest_publications=compiled_once(latest_publications(), "home:latest-publications"),
            council_document=next(iter(compiled_once(latest_council_document(), "home:council-document")), None),
            themes=theme_tags(get_language()),
            charts=initiative_charts(),
            counts=published_counts(),
            **kwargs,
        )


@built_once
def featured_initiatives():
    return Initiative.objects.published().filter(featured=True).as_cards()[:6]


@built_once
def latest_publications():
    return Publication.objects.published().exclude(kind=Publication.Kind.COUNCIL_DOCUMENT)[:5]


@built_once
def latest_council_document():
    return Publication.objects.published().council_documents().order_by("-year")[:1]


def published_counts():
    """How many initiatives, publications and glossary terms the public sees: one query, once per
    content generation (counting 20,000 rows is the costliest query of the home page)."""

    def count():
        parts = [
            model.objects.published()
            .order_by()
            .annotate(label=Value(label))
            .values("label")
            .annotate(n=Count("pk"))
            .values_list("label", "n")
            for label, model in (("initiatives", Initiative), ("publications", Publication), ("terms", Term))
        ]
        return {"initiatives": 0, "publications": 0, "terms": 0, **dict(parts[0].union(*parts[1:], all=True))}

    return kept_per_generation("published-counts", count)


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
        page = Paginator(results.matches, self.paginate_by).get_page(self.request.GET.get("page"))
        page.object_list = fill(page.object_list, raw, language, results.forms)
        pairs = without_page(self.request.GET)
        by_kind = narrowed(pairs, "kind", KIND_LABELS)
        by_theme = narrowed(pairs, "theme", [tag.code for tag, _count in results.theme_counts])
        return super().get_context_data(
            section="search",
            query=raw[:MAX_QUERY_LENGTH],
            results=results,
            kind=kind if kind in KIND_LABELS else None,
            theme=theme,
            kinds=[
                (code, label, results.kind_counts.get(code, 0), by_kind[code]) for code, label in KIND_LABELS.items()
            ],
            every_kind=by_kind[None],
            themes=[(tag, count, by_theme[tag.code]) for tag, count in results.theme_counts],
            every_theme=by_theme[None],
            max_per_kind=RANKED_PER_KIND,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query_without_page=urlencode(pairs),
            **kwargs,
        )


def narrowed(pairs, name, values):
    """{value: the query string of `pairs` with `name` set to `value` in its place (at the end if it has
    none), and for None without `name`}: the search's links by kind or theme. Each pair is encoded once
    and the links joined from the encoded pairs, what `urlencode()` would write for each (twenty links of
    the same few pairs cost a search page more than its hits)."""
    encoded = [(key, f"{quote_plus(key)}={quote_plus(current)}") for key, current in pairs]
    others = [text for key, text in encoded if key != name]
    addresses = {None: f"?{'&'.join(others)}"}
    position = next((index for index, (key, _text) in enumerate(encoded) if key == name), None)
    prefix = f"{quote_plus(name)}="
    for value in values:
        chosen = prefix + quote_plus(value)
        if position is None:
            addresses[value] = f"?{'&'.join([*others, chosen])}"
        else:  # the first `name` pair takes the value; the others of that name go
            before = [text for key, text in encoded[:position] if key != name]
            after = [text for key, text in encoded[position + 1 :] if key != name]
            addresses[value] = f"?{'&'.join([*before, chosen, *after])}"
    return addresses


def constant(request):
    return HttpResponse(b"constant", content_type="text/plain")


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
