from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
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
