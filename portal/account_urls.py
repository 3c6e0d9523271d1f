from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.forms import QueuedPasswordResetForm
from portal.views import SecondFactorView

app_name = "accounts"

urlpatterns = [
    path(_("login/"), auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path(_("logout/"), auth_views.LogoutView.as_view(next_page=reverse_lazy("home")), name="logout"),
    path(_("second-factor/"), SecondFactorView.as_view(), name="second_factor"),
    path(
        _("password/reset/"),
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=QueuedPasswordResetForm,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        _("password/reset/sent/"),
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        _("password/set/<uidb64>/<token>/"),
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_set.html", success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        _("password/set/done/"),
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_set_done.html"),
        name="password_reset_complete",
    ),
]
