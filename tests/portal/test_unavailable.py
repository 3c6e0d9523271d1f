"""The 503 page, in process: whatever the view, a lost database gives a readable page in the visitor's language."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.utils import translation

from initiatives.models import Comment
from portal import views
from portal.views import HomeView
from tests.initiatives.test_comments import PARAGRAPH_ES, post_comment

pytestmark = pytest.mark.django_db


def fail_with(error):
    def view_method(*args, **kwargs):
        raise error("server closed the connection unexpectedly")

    return view_method


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize(
    ("language", "title", "retry"),
    [
        ("es", "Servicio no disponible temporalmente", "vuelva a intentarlo"),
        ("en", "Temporarily unavailable", "try again"),
    ],
)
def test_a_lost_database_gives_a_503_page_in_the_visitors_language(client, monkeypatch, error, language, title, retry):
    monkeypatch.setattr(HomeView, "get_context_data", fail_with(error))
    response = client.get(f"/{language}/")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert f'<html lang="{language}">' in page
    assert title in page and retry in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_a_comment_sent_while_the_database_fails_is_refused_unsaved(client, consultation, delegate_a, monkeypatch):
    client.force_login(delegate_a)
    monkeypatch.setattr("initiatives.comment_views.comment_submit", fail_with(OperationalError))
    response = post_comment(client, path=PARAGRAPH_ES)
    assert response.status_code == 503
    assert "vuelva a intentarlo" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_last_resort_handler_also_answers_503_for_database_errors():
    request = RequestFactory().get("/en/")
    with translation.override("en"):
        try:
            raise OperationalError("gone")
        except OperationalError:
            response = views.server_error(request)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert views.server_error(request).status_code == 500
