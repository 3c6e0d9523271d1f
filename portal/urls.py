from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import views

handler500 = "portal.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("initiatives.urls")),
    path(_("search/"), views.SearchView.as_view(), name="search"),
    path(_("glossary/"), include("glossary.urls")),
    path("", include("initiatives.comment_urls")),
    path(_("account/"), include("portal.account_urls")),
)
