from django.urls import path
from django.utils.translation import gettext_lazy as _

from initiatives import views

app_name = "initiatives"

urlpatterns = [
    path(_("initiatives/"), views.InitiativeListView.as_view(), name="list"),
    path(_("initiatives/map.svg"), views.initiatives_map, name="map"),
    path(_("initiatives/<slug:slug>/"), views.InitiativeDetailView.as_view(), name="detail"),
    path(_("publications/"), views.PublicationListView.as_view(), name="publication_list"),
    path(_("publications/<slug:slug>/"), views.PublicationDetailView.as_view(), name="publication"),
    path(_("publications/<slug:slug>/pdf/"), views.publication_download, name="download"),
    path(_("documents/<slug:slug>/"), views.DocumentView.as_view(), name="document"),
]
