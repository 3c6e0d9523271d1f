"""Security as a visitor or an attacker meets it: headers, throttled sign-in, rate limits, a second factor."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from initiatives.models import Comment
from portal.models import OutboundEmail
from tests.initiatives.test_comments import post_comment

pytestmark = pytest.mark.django_db

LOGIN_EN = "/en/account/login/"
LOGIN_ES = "/es/cuenta/entrar/"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/es/", "/en/initiatives/", LOGIN_EN, "/admin/login/", "/healthz"])
def test_every_response_carries_the_security_headers(client, seed_content, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'self'"]  # only our own SVG map
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_page_allows_inline_script(client, seed_content):
    public = directives(client.get("/es/"))
    assert "'unsafe-inline'" not in public["script-src"] and "'unsafe-eval'" not in public["script-src"]
    # server-drawn charts carry their own <style>: inline styles are allowed, they run no code
    assert public["style-src"] == ["'self'", "'unsafe-inline'"]
    assert public["object-src"] == ["'self'"] and public["frame-ancestors"] == ["'none'"]
    world_map = directives(client.get("/es/iniciativas/mapa.svg"))
    assert world_map["frame-ancestors"] == ["'self'"]
    client.force_login(User.objects.create_superuser("root", "root@iom.example", "x"))
    admin = directives(client.get("/admin/initiatives/initiative/add/"))
    assert "'unsafe-inline'" not in admin["script-src"]
    # the rich-text editor's import map, by its hash, is the only inline script allowed
    assert [source for source in admin["script-src"] if source.startswith("'sha256-")] != []


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, delegate_a):
    client.post(LOGIN_EN, {"username": "ana@mexico.example", "password": "a-long-delegate-passphrase"})
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    client.get(LOGIN_EN)
    csrf = client.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


def test_production_settings_pass_the_deployment_checks():
    """`check --deploy` in a fresh process with production's environment: HSTS, Secure cookies, HTTPS."""
    env = {
        **os.environ,
        "DJANGO_ALLOWED_HOSTS": "portal.iom.example",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_DEBUG": "0",
    }
    env.pop("DJANGO_HTTPS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_responses_carry_hsts_and_secure_cookies(client, delegate_a, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.post(
        LOGIN_EN, {"username": "ana@mexico.example", "password": "a-long-delegate-passphrase"}, secure=True
    )
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.cookies[settings.SESSION_COOKIE_NAME]["secure"]
    assert not client.get("/es/").has_header("Strict-Transport-Security")


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, delegate_a):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN_ES, {"username": "ana@mexico.example", "password": "wrong guess"})
        assert response.status_code == 200  # the form again, with its error
    last_straw = client.post(LOGIN_ES, {"username": "ana@mexico.example", "password": "wrong guess"})
    assert last_straw.status_code == 429
    locked = client.post(LOGIN_ES, {"username": "ana@mexico.example", "password": "a-long-delegate-passphrase"})
    assert locked.status_code == 429
    assert "Inicio de sesión en pausa" in locked.content.decode()
    assert django_settings.SESSION_COOKIE_NAME not in client.cookies or not client.session.get("_auth_user_id")


def test_failures_from_one_address_across_accounts_lock_the_address(client, delegate_a):
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_EN, {"username": f"guess{attempt}@example.org", "password": "wrong"})
    locked = client.post(LOGIN_EN, {"username": "ana@mexico.example", "password": "a-long-delegate-passphrase"})
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    # another address is not affected
    other = client.post(LOGIN_EN, {"username": "ana@mexico.example", "password": "wrong"}, REMOTE_ADDR="192.0.2.10")
    assert other.status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(client, delegate_a):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN_EN, {"username": "ana@mexico.example", "password": "wrong"})
    assert (
        client.post(LOGIN_EN, {"username": "ana@mexico.example", "password": "a-long-delegate-passphrase"}).status_code
        == 302
    )
    client.logout()
    assert client.post(LOGIN_EN, {"username": "ana@mexico.example", "password": "wrong"}).status_code == 200


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client, delegate_a):
    known = client.post("/en/account/password/reset/", {"email": "ana@mexico.example"})
    unknown = client.post("/en/account/password/reset/", {"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["ana@mexico.example"]


def test_comment_posting_is_rate_limited_per_user(client, consultation, delegate_a, delegate_b, settings):
    settings.COMMENT_RATE_LIMIT = 3
    client.force_login(delegate_a)
    for _number in range(3):
        assert post_comment(client).status_code == 302
    refused = post_comment(client)
    assert refused.status_code == 429
    assert "many comments within the hour" in refused.content.decode()
    assert Comment.objects.filter(author=delegate_a).count() == 3
    client.force_login(delegate_b)
    assert post_comment(client).status_code == 302


def test_moderators_must_confirm_a_second_factor_when_required(client, moderator, editor, settings):
    settings.PORTAL_STAFF_OTP_REQUIRED = True
    client.force_login(moderator)
    sent_away = client.get("/admin/initiatives/comment/")
    assert sent_away.status_code == 302
    assert sent_away["Location"].startswith("/es/cuenta/segundo-factor/?next=")
    no_device = client.get(sent_away["Location"])
    assert "registre" in no_device.content.decode()

    device = TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)
    wrong = client.post(sent_away["Location"], {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert wrong.status_code == 200
    assert "no es válido" in wrong.content.decode()
    # django-otp also slows down guessing: after a failure the device waits a second
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(sent_away["Location"], {"token": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 302
    assert right["Location"] == "/admin/initiatives/comment/"
    assert client.get("/admin/initiatives/comment/").status_code == 200

    # an editor cannot publish or moderate, and is not asked
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_without_the_requirement_moderators_enter_directly(client, moderator, settings):
    settings.PORTAL_STAFF_OTP_REQUIRED = False
    client.force_login(moderator)
    assert client.get("/admin/initiatives/comment/").status_code == 200


def test_the_first_authenticator_is_registered_from_the_command_line(moderator, capsys):
    from django.core.management import call_command

    call_command("add_totp_device", "moderator")
    address = capsys.readouterr().out.strip()
    assert address.startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=moderator)
    assert device.confirmed
    assert device.verify_token(f"{totp(device.bin_key):06d}")
