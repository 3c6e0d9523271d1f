"""States and dates, and the staff preview, seen from the public site."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.factories import InitiativeFactory, PublicationFactory, TermFactory

pytestmark = pytest.mark.django_db

FACTORIES = {"initiative": InitiativeFactory, "publication": PublicationFactory, "term": TermFactory}
LISTS = {"initiative": "initiatives:list", "publication": "initiatives:publication_list", "term": "glossary:index"}


def url_of(item, language):
    with translation.override(language):
        return item.get_absolute_url()


def list_url(kind, language):
    from django.urls import reverse

    with translation.override(language):
        return reverse(LISTS[kind])


def visible(client, item, kind, language="es"):
    """Whether the item's page answers and its list shows it."""
    detail = client.get(url_of(item, language))
    listed = url_of(item, language) in client.get(list_url(kind, language)).content.decode()
    assert (detail.status_code == 200) == listed, "the list and the page disagree"
    return detail.status_code == 200


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize(
    ("state", "shown"), [("draft", False), ("review", False), ("published", True), ("archived", False)]
)
def test_only_published_items_are_public(client, kind, state, shown):
    item = FACTORIES[kind](state=state)
    assert visible(client, item, kind, "es") is shown
    assert visible(client, item, kind, "en") is shown


@pytest.mark.parametrize("kind", FACTORIES)
def test_an_item_appears_and_disappears_on_its_dates_without_a_command(client, kind, monkeypatch):
    now = timezone.now()
    item = FACTORIES[kind](publish_at=now + timedelta(hours=1), unpublish_at=now + timedelta(hours=3))
    assert not visible(client, item, kind)

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    assert visible(client, item, kind)

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=3))
    assert not visible(client, item, kind)


def test_a_publish_date_in_the_past_shows_the_item_at_once(client):
    item = InitiativeFactory(publish_at=timezone.now() - timedelta(minutes=1))
    assert visible(client, item, "initiative")


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("language", ["es", "en"])
def test_staff_preview_a_draft_on_its_real_page(client, editor, kind, language):
    item = FACTORIES[kind](state="draft")
    client.force_login(editor)
    response = client.get(url_of(item, language) + "?preview")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="preview-banner"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # Without the parameter, staff see the public site like everyone else.
    assert client.get(url_of(item, language)).status_code == 404


def test_public_pages_are_not_marked_as_previews(client):
    item = InitiativeFactory()
    response = client.get(url_of(item, "es"))
    assert "preview-banner" not in response.content.decode()
    assert "noindex" not in response.content.decode()
    assert "X-Robots-Tag" not in response


@pytest.mark.parametrize("kind", FACTORIES)
def test_nobody_else_sees_a_preview(client, django_user_model, delegate_a, kind):
    item = FACTORIES[kind](state="review")
    assert client.get(url_of(item, "es") + "?preview").status_code == 404

    client.force_login(delegate_a)
    assert client.get(url_of(item, "es") + "?preview").status_code == 404

    # Staff without the right to see the content in the admin (a moderator) get no preview either.
    outsider = django_user_model.objects.create_user("staff-without-content", is_staff=True)
    client.force_login(outsider)
    assert client.get(url_of(item, "en") + "?preview").status_code == 404


@pytest.mark.parametrize("state", ["draft", "review", "archived"])
def test_search_and_home_counts_leave_out_what_is_not_published(client, state):
    InitiativeFactory(title_es="Zanahoria publicada", title_en="Published carrot")
    InitiativeFactory(title_es="Zanahoria oculta", title_en="Hidden carrot", state=state)
    results = client.get("/en/search/?q=carrot").content.decode()
    assert "Published carrot" in results and "Hidden carrot" not in results
    assert client.get("/es/").context["counts"]["initiatives"] == 1
