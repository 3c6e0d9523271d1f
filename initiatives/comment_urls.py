from django.urls import path
from django.utils.translation import gettext_lazy as _

from initiatives import comment_views as views

app_name = "comments"

urlpatterns = [
    path(
        _("documents/<slug:slug>/p<int:key>/comment/"),
        views.CommentCreateView.as_view(),
        {"kind": "paragraph"},
        name="paragraph",
    ),
    path(
        _("documents/<slug:slug>/p<int:key>/latest-comments/"),
        views.latest_comments,
        name="latest",
    ),
    path(
        _("initiatives/<slug:key>/comment/"),
        views.CommentCreateView.as_view(),
        {"kind": "initiative"},
        name="initiative",
    ),
    path(
        _("publications/<slug:key>/comment/"),
        views.CommentCreateView.as_view(),
        {"kind": "publication"},
        name="publication",
    ),
    path(_("comments/<int:pk>/"), views.CommentDetailView.as_view(), name="detail"),
    path(_("account/comments/"), views.MyCommentsView.as_view(), name="mine"),
    path(_("account/comments/<int:pk>/edit/"), views.CommentEditView.as_view(), name="edit"),
    path(_("account/comments/<int:pk>/withdraw/"), views.CommentWithdrawView.as_view(), name="withdraw"),
]
