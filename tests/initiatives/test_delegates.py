import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from initiatives.models import Delegate, MemberState
from portal.mail import deliver_queued_mail
from portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def mexico(db):
    return MemberState.objects.create(country="MX")


def invitation_link(email):
    body = OutboundEmail.objects.get(to=email).body
    return re.search(r"http://\S+", body)[0].replace("http://127.0.0.1:8000", "")


def test_invite_a_delegate_who_sets_a_password_once_and_signs_in(client, mexico, mailoutbox):
    call_command("invite_delegate", "ana@mexico.example", "MEX", "--language", "en", verbosity=0)
    delegate = Delegate.objects.get(user__email="ana@mexico.example")
    assert delegate.member_state == mexico
    assert not delegate.user.has_usable_password()
    deliver_queued_mail()
    assert mailoutbox[0].to == ["ana@mexico.example"]

    link = invitation_link("ana@mexico.example")
    assert link.startswith("/en/account/password/set/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Migration-2013-dialogue", "new_password2": "Migration-2013-dialogue"}
    )
    assert response.status_code == 302
    # through the sign-in form: django-axes needs the request that client.login() does not pass
    signed_in = client.post(
        reverse("accounts:login"), {"username": "ana@mexico.example", "password": "Migration-2013-dialogue"}
    )
    assert signed_in.status_code == 302
    client.logout()
    again = client.get(link, follow=True)
    assert "This link has already been used or has expired." in again.content.decode()


def test_invitation_refuses_unknown_states_and_bad_codes(mexico):
    with pytest.raises(CommandError, match="PE no es un Estado Miembro del portal"):
        call_command("invite_delegate", "pia@peru.example", "PER", verbosity=0)
    with pytest.raises(CommandError, match="not an ISO 3166 country code"):
        call_command("invite_delegate", "x@example.org", "XYZ", verbosity=0)
    with pytest.raises(CommandError, match="not an email address"):
        call_command("invite_delegate", "not-an-email", "MEX", verbosity=0)
    assert not User.objects.exists()


def test_the_secretariat_invites_from_the_admin(client, admin_user, mexico):
    client.force_login(admin_user)
    response = client.post(
        "/admin/initiatives/delegate/add/",
        {"email": "luis@mexico.example", "name": "Luis", "member_state": mexico.pk, "language": "es"},
    )
    assert response.status_code == 302
    assert Delegate.objects.get(user__email="luis@mexico.example").member_state == mexico
    assert "/es/cuenta/contrasena/nueva/" in OutboundEmail.objects.get().body


def test_password_reset_never_reveals_whether_an_account_exists(client, mexico):
    call_command("invite_delegate", "ana@mexico.example", "MX", verbosity=0)
    known = client.post("/en/account/password/reset/", {"email": "ana@mexico.example"})
    unknown = client.post("/en/account/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_mail_that_cannot_be_sent_stays_queued_and_is_retried(
    settings, mexico, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.initiatives.test_delegates.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_delegate", "ana@mexico.example", "MX", verbosity=0)
    message = OutboundEmail.objects.get()
    assert message.sent_at is None and message.attempts >= 1 and "refused" in message.last_error
    assert Delegate.objects.filter(user__email="ana@mexico.example").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_queued_mail() == 1
    message.refresh_from_db()
    assert message.sent_at is not None


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refused the connection")
