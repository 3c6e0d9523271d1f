from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from portal import api, views
from portal.admin import TranslationDashboardView
from portal.sitemaps import SITEMAPS

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("initiatives", api.InitiativeViewSet, basename="initiative")
router.register("publications", api.PublicationViewSet, basename="publication")
router.register("glossary-terms", api.TermViewSet, basename="term")
router.register("comments", api.CommentViewSet, basename="comment")

handler500 = "portal.views.server_error"

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include((router.urls, "api"))),
    path(
        "admin/translations/",
        admin.site.admin_view(TranslationDashboardView.as_view()),
        name="translation_dashboard",
    ),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.BENCHMARK:
    # The framework's floor for `make bench`: Django answering without templates or queries.
    urlpatterns.append(path("bench/constant", views.constant, name="bench_constant"))

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("initiatives.urls")),
    path(_("search/"), views.SearchView.as_view(), name="search"),
    path(_("glossary/"), include("glossary.urls")),
    path("", include("initiatives.comment_urls")),
    path(_("account/"), include("portal.account_urls")),
)
