import pickle
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from initiatives.services import comment_moderate, comment_submit
from portal import page_cache
from portal.page_cache import LocalCopies, content_changed, current_generation, kept_per_generation, local_copies
from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_served_from_the_cache(client, django_assert_num_queries):
    InitiativeFactory(title_en="Skills databases")
    first = client.get("/en/initiatives/")
    assert first["X-Portal-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=5"
    with django_assert_num_queries(0):
        second = client.get("/en/initiatives/")
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content


def test_each_language_and_query_is_its_own_page(client):
    InitiativeFactory(title_es="Bases de datos", title_en="Skills databases")
    assert "Bases de datos" in client.get("/es/iniciativas/").content.decode()
    assert "Skills databases" in client.get("/en/initiatives/").content.decode()
    assert client.get("/en/initiatives/?status=planned")["X-Portal-Cache"] == "miss"


def test_an_editors_change_shows_at_once(client):
    initiative = InitiativeFactory(title_en="Old title", slug_en="item")
    assert "Old title" in client.get("/en/initiatives/").content.decode()
    initiative.title_en = "New title"
    initiative.save()
    response = client.get("/en/initiatives/")
    assert response["X-Portal-Cache"] == "miss"
    assert "New title" in response.content.decode()
    initiative.state = "archived"
    initiative.save()
    assert client.get("/en/initiatives/item/").status_code == 404


def test_a_page_stored_before_a_change_commits_is_dropped_at_the_commit(client, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(title_en="Before")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        initiative.title_en = "After"
        initiative.save()
        # another request, between the save and the commit, stores a page under the new generation
        assert client.get("/en/initiatives/")["X-Portal-Cache"] == "miss"
        assert client.get("/en/initiatives/")["X-Portal-Cache"] == "hit"
    assert client.get("/en/initiatives/")["X-Portal-Cache"] == "miss"


def test_an_approved_comment_shows_at_once(client, consultation, delegate_a, moderator):
    paragraph = consultation.document.paragraphs.get(number=29)
    comment = comment_submit(author=delegate_a, target=paragraph, body="Visible after approval.", language="en")
    latest = "/en/documents/mc-2353/p29/latest-comments/"
    assert "Visible after approval." not in client.get(latest).content.decode()
    assert "0 published comments" in client.get("/en/documents/mc-2353/").content.decode()
    assert client.get(latest)["X-Portal-Cache"] == "hit"
    comment_moderate(comment=comment, moderator=moderator, approve=True)
    assert "Visible after approval." in client.get(latest).content.decode()
    assert "1 published comment" in client.get("/en/documents/mc-2353/").content.decode()


def test_the_api_is_cached_but_not_its_streamed_downloads_and_follows_changes(
    client, consultation, delegate_a, moderator
):
    """The JSON is cached; the CSV at the same address is streamed (`ReadOnly.download`), never cached."""
    initiative = InitiativeFactory(title_en="Skills databases")
    first = client.get("/api/initiatives/")
    assert first["X-Portal-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=5"
    assert client.get("/api/initiatives/")["X-Portal-Cache"] == "hit"
    as_csv = client.get("/api/initiatives/", HTTP_ACCEPT="text/csv")
    assert as_csv.streaming and as_csv["Content-Type"].startswith("text/csv")
    assert "X-Portal-Cache" not in as_csv and "private" in as_csv["Cache-Control"]
    initiative.title_en = "Skills and jobs databases"
    initiative.save()
    assert "Skills and jobs databases" in client.get("/api/initiatives/").content.decode()
    paragraph = consultation.document.paragraphs.get(number=29)
    comment = comment_submit(author=delegate_a, target=paragraph, body="Seen by the API.", language="en")
    assert "Seen by the API." not in client.get("/api/comments/").content.decode()
    comment_moderate(comment=comment, moderator=moderator, approve=True)
    assert "Seen by the API." in client.get("/api/comments/").content.decode()


def test_home_counts_follow_publishing_for_signed_in_readers_too(client, delegate_a):
    """The counts are kept per content generation, outside the page cache: a change moves them."""
    client.force_login(delegate_a)
    InitiativeFactory()
    assert client.get("/en/").context["counts"]["initiatives"] == 1
    draft = InitiativeFactory(state="draft")
    assert client.get("/en/").context["counts"]["initiatives"] == 1
    draft.state = "published"
    draft.save()
    assert client.get("/en/").context["counts"]["initiatives"] == 2


def test_home_themes_follow_an_edit_for_signed_in_readers_too(client, delegate_a):
    """The home page's areas of work are kept per content generation: a renamed theme shows at once."""
    client.force_login(delegate_a)
    theme = ThemeFactory(code="labour", name_es="Migración laboral", name_en="Labour migration")
    assert '<a href="/en/initiatives/?theme=labour">Labour migration</a>' in client.get("/en/").content.decode()
    theme.name_en = "Labour mobility"
    theme.save()
    assert '<a href="/en/initiatives/?theme=labour">Labour mobility</a>' in client.get("/en/").content.decode()
    assert '<a href="/es/iniciativas/?theme=labour">Migración laboral</a>' in client.get("/es/").content.decode()


def test_scheduled_publication_appears_on_time_without_a_command(client):
    InitiativeFactory(title_en="Scheduled", publish_at=timezone.now() + timedelta(seconds=1))
    assert "Scheduled" not in client.get("/en/initiatives/").content.decode()
    time.sleep(1.1)
    assert "Scheduled" in client.get("/en/initiatives/").content.decode()


def test_scheduled_unpublication_disappears_on_time(client):
    InitiativeFactory(title_en="Leaving", unpublish_at=timezone.now() + timedelta(seconds=1))
    assert "Leaving" in client.get("/en/initiatives/").content.decode()
    time.sleep(1.1)
    assert "Leaving" not in client.get("/en/initiatives/").content.decode()


def test_signed_in_users_bypass_the_cache(client, delegate_a):
    client.get("/en/")
    client.force_login(delegate_a)
    response = client.get("/en/")
    assert "X-Portal-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "My comments" in response.content.decode()


def test_pages_that_set_cookies_are_never_shared(client):
    response = client.get("/en/account/login/")
    assert "csrftoken" in response.cookies
    assert "X-Portal-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_a_form_page_is_never_shared_even_when_the_visitor_has_a_csrf_cookie(client):
    client.get("/en/account/login/")  # the visitor now holds a CSRF cookie
    again = client.get("/en/account/login/")
    assert "X-Portal-Cache" not in again
    assert "private" in again["Cache-Control"]


def test_a_worker_serves_its_own_copy_until_the_content_changes(client):
    initiative = InitiativeFactory(title_en="Skills databases")
    assert client.get("/en/initiatives/")["X-Portal-Cache"] == "miss"
    page_keys = list(local_copies.pages)
    cache.delete_many(page_keys)  # the shared copy is gone: the worker's own still answers
    again = client.get("/en/initiatives/")
    assert again["X-Portal-Cache"] == "hit" and "Skills databases" in again.content.decode()
    initiative.title_en = "Skills and jobs databases"
    initiative.save()
    changed = client.get("/en/initiatives/")
    assert changed["X-Portal-Cache"] == "miss" and "Skills and jobs databases" in changed.content.decode()


def test_a_kept_value_is_read_from_the_process_until_the_content_changes():
    computed = []

    def compute():
        computed.append(len(computed) + 1)
        return computed[-1]

    assert kept_per_generation("probe", compute) == 1
    cache.delete(f"portal:derived:probe:{current_generation()}")  # the shared copy is gone: the process's answers
    assert kept_per_generation("probe", compute) == 1
    content_changed()
    assert kept_per_generation("probe", compute) == 2
    assert computed == [1, 2]


def test_an_emptied_shared_cache_never_brings_back_an_old_page(client):
    InitiativeFactory(title_en="Skills databases")
    assert client.get("/en/initiatives/")["X-Portal-Cache"] == "miss"
    cache.clear()  # Redis restarted: the generation number is lost, and starts from a new value
    assert client.get("/en/initiatives/")["X-Portal-Cache"] == "miss"


def test_local_copies_keep_the_most_recent_pages_within_their_size():
    one = len(pickle.dumps(HttpResponse(b"x" * 900), pickle.HIGHEST_PROTOCOL))
    copies = LocalCopies(limit=10 * one)
    for number in range(10):
        copies.put(f"page-{number}", HttpResponse(b"x" * 900))
    copies.get("page-0")  # read again: now the most recent
    copies.put("page-10", HttpResponse(b"x" * 900))
    assert copies.size <= 10 * one
    assert copies.get("page-1") is None  # the least recently used went
    assert copies.get("page-0").content == b"x" * 900
    copies.put("huge", HttpResponse(b"x" * 2 * one))  # over an eighth of the limit: not kept
    assert copies.get("huge") is None


def test_a_request_reads_the_generation_once(client, monkeypatch):
    """A list page asks for the generation for each value it keeps per generation: one read a request."""
    InitiativeFactory()
    reads = []
    read = page_cache.read_generation
    monkeypatch.setattr(page_cache, "read_generation", lambda: reads.append(1) or read())
    client.cookies["sessionid"] = "signed-in-reader"  # no page cache: the view asks for its kept values
    assert client.get("/en/initiatives/").status_code == 200
    assert len(reads) == 1


def test_a_request_that_changes_content_reads_the_new_generation(rf):
    seen = []

    def view(request):
        seen.append(current_generation())
        content_changed()
        seen.append(current_generation())
        return HttpResponse("changed")

    page_cache.AnonymousPageCacheMiddleware(view)(rf.post("/en/initiatives/"))
    assert seen[1] > seen[0]
    assert current_generation() == seen[1]
