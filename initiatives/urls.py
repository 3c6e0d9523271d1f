from django.urls import path
from django.utils.translation import gettext_lazy as _

from initiatives import feeds, views

app_name = "initiatives"

urlpatterns = [
    path(_("initiatives/feed.atom"), feeds.InitiativeFeed(), name="initiative_feed"),
    path(_("publications/feed.atom"), feeds.PublicationFeed(), name="publication_feed"),
    path(_("initiatives/"), views.InitiativeListView.as_view(), name="list"),
    path(_("initiatives/map.svg"), views.initiatives_map, name="map"),
    path(_("initiatives/<slug:slug>/"), views.InitiativeDetailView.as_view(), name="detail"),
    path(_("publications/"), views.PublicationListView.as_view(), name="publication_list"),
    path(_("publications/<slug:slug>/"), views.PublicationDetailView.as_view(), name="publication"),
    path(_("publications/<slug:slug>/pdf/"), views.publication_download, name="download"),
    path(
        _("publications/<slug:slug>/citation.ris"),
        views.publication_citation,
        {"file_format": "ris"},
        name="citation_ris",
    ),
    path(
        _("publications/<slug:slug>/citation.bib"),
        views.publication_citation,
        {"file_format": "bib"},
        name="citation_bib",
    ),
    path(_("documents/<slug:slug>/"), views.DocumentView.as_view(), name="document"),
    path(
        _("documents/<slug:slug>/p<int:key>/initiatives/"),
        views.ParagraphInitiativesView.as_view(),
        name="paragraph_initiatives",
    ),
]
