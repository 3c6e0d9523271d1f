"""The open data API and the CSV downloads: both languages, filters, only public records, 400s, the schema."""

import csv
import io

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models.signals import post_init
from django.utils import translation
from hypothesis import HealthCheck, settings

from glossary.models import Term
from initiatives.models import Comment, Initiative, Participation, Publication
from portal import api
from portal.wsgi import application
from tests.factories import (
    InitiativeFactory,
    OrganizationFactory,
    PublicationFactory,
    TermFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def api_content(document, delegate_a):
    labour = ThemeFactory(code="labour-migration", name_es="Migración laboral", name_en="Labour migration")
    InitiativeFactory(
        title_es="Retorno voluntario",
        title_en="Voluntary return",
        summary_es="<p>Resumen <script>x</script></p>",
        status="ongoing",
        themes=[labour],
        countries=["MX", "PE"],
    )
    InitiativeFactory(title_es="Otra", title_en="Another", status="completed")
    InitiativeFactory(title_es="Borrador", title_en="Draft", state="draft")
    PublicationFactory(title_es="Manual", title_en="Handbook", kind="handbook", isbn="978-92-9068-000-0")
    term = TermFactory(term_es="Alto Comisionado", acronym_es="ACNUDH", term_en="High Commissioner", acronym_en="OHCHR")
    term.variants.create(language="es", text="OACDH")
    paragraph = document.paragraphs.get(number=29)
    state = delegate_a.delegate.member_state
    Comment.objects.create(
        author=delegate_a, member_state=state, paragraph=paragraph, language="es", body="Aprobado.", status="approved"
    )
    Comment.objects.create(
        author=delegate_a, member_state=state, paragraph=paragraph, language="es", body="Pendiente.", status="pending"
    )


def test_records_carry_both_languages_and_their_pages(client, api_content):
    body = client.get("/api/initiatives/", {"status": "ongoing"}).json()
    assert body["count"] == 1
    record = body["results"][0]
    assert record["title_es"] == "Retorno voluntario" and record["title_en"] == "Voluntary return"
    assert record["summary_es"] == "<p>Resumen </p>"  # sanitised like on the page
    assert record["themes"] == ["labour-migration"] and record["countries"] == ["MX", "PE"]
    assert record["url_es"].startswith("http://testserver/es/iniciativas/")
    assert record["url_en"].startswith("http://testserver/en/initiatives/")
    term = client.get("/api/glossary-terms/", {"acronym": "OACDH"}).json()["results"]
    assert [(t["acronym_es"], t["acronym_en"], t["variants"]) for t in term] == [("ACNUDH", "OHCHR", ["OACDH"])]


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [("initiatives", Initiative), ("publications", Publication), ("glossary-terms", Term), ("comments", Comment)],
)
def test_each_records_pages_are_its_own_in_both_languages(client, api_content, endpoint, model):
    """The pages of a list's records are addressed a language at a time for the whole page (the model's
    `addressed()`): each is the item's own `get_absolute_url()`, the council document's its own page."""
    records = client.get(f"/api/{endpoint}/").json()["results"]
    assert records
    for record in records:
        item = model.objects.get(pk=record["id"])
        for code in ("es", "en"):
            with translation.override(code):
                assert record[f"url_{code}"] == f"http://testserver{item.get_absolute_url()}"
        assert client.get(f"/api/{endpoint}/{item.pk}/").json() == record
    if model is Publication:
        assert any(record["url_en"].endswith("/en/documents/mc-2353/") for record in records)


def test_lists_read_their_records_as_rows_and_say_what_each_record_says(client, api_content):
    """A list's records are rows of its query, not a model instance each (`as_records`), and each is the
    item's own record: an empty English slug falls back to the Spanish one, as the page's address does."""
    another = Initiative.objects.get(title_en="Another")
    Initiative.objects.filter(pk=another.pk).update(slug_en="")
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        initiatives = client.get("/api/initiatives/").json()["results"]
        publications = client.get("/api/publications/").json()["results"]
    finally:
        post_init.disconnect(count)
    assert initiatives and publications
    assert Initiative not in built and Publication not in built
    record = next(record for record in initiatives if record["id"] == another.pk)
    assert record["slug_en"] == "" and record["url_en"] == f"http://testserver/en/initiatives/{another.slug_es}/"
    with translation.override("en"):
        assert record["url_en"] == f"http://testserver{Initiative.objects.get(pk=another.pk).get_absolute_url()}"
    assert client.get(f"/api/initiatives/{another.pk}/").json() == record


def test_countries_are_codes_as_stored_and_none_is_an_empty_list(client, api_content):
    by_title = {r["title_en"]: r["countries"] for r in client.get("/api/initiatives/").json()["results"]}
    assert by_title == {"Voluntary return": ["MX", "PE"], "Another": []}
    filtered = client.get("/api/initiatives/", {"country": "PE"}).json()["results"]  # the filter's own alias
    assert [(r["title_en"], r["countries"]) for r in filtered] == [("Voluntary return", ["MX", "PE"])]


def test_related_codes_come_in_a_stable_order(client):
    """Themes by their editorial order, organizations and publishers by code, read in the list's query."""
    late, early = ThemeFactory(code="b-theme", order=2), ThemeFactory(code="z-theme", order=1)
    zeta, alpha = OrganizationFactory(code="zeta"), OrganizationFactory(code="alpha")
    initiative = InitiativeFactory(themes=[late, early])
    for organization in (zeta, alpha):
        Participation.objects.create(initiative=initiative, organization=organization)
    publication = PublicationFactory()
    publication.themes.add(late, early)
    publication.publishers.add(zeta, alpha)
    record = client.get("/api/initiatives/").json()["results"][0]
    assert record["themes"] == ["z-theme", "b-theme"] and record["organizations"] == ["alpha", "zeta"]
    assert client.get(f"/api/initiatives/{initiative.pk}/").json()["organizations"] == ["alpha", "zeta"]
    record = client.get("/api/publications/").json()["results"][0]
    assert record["themes"] == ["z-theme", "b-theme"] and record["publishers"] == ["alpha", "zeta"]
    rows = list(csv.DictReader(io.StringIO(downloaded(client.get("/api/initiatives/?format=csv")))))
    assert rows[0]["organizations"] == "alpha; zeta"


def test_only_published_records_and_approved_comments(client, api_content):
    titles = [r["title_en"] for r in client.get("/api/initiatives/").json()["results"]]
    assert sorted(titles) == ["Another", "Voluntary return"]
    comments = client.get("/api/comments/", {"target": "paragraph", "paragraph": 29}).json()["results"]
    assert [c["body"] for c in comments] == ["Aprobado."]
    assert comments[0]["member_state"] == "MX" and comments[0]["paragraph_number"] == 29
    assert comments[0]["url_en"] == f"http://testserver/en/comments/{comments[0]['id']}/"
    draft = InitiativeFactory(state="draft")
    assert client.get(f"/api/initiatives/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "no-such-theme"},
        {"year": "abc"},
        {"year": "99999"},
        {"status": "lost"},
        {"page": "999"},
        {"page": "x"},
        {"page_size": "0"},
        {"page_size": "1000"},
        {"country": "ZZ"},
    ],
)
def test_bad_parameters_are_a_json_400(client, api_content, query):
    response = client.get("/api/initiatives/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == set(query)


def test_pagination(client, api_content):
    for _ in range(5):
        InitiativeFactory()
    first = client.get("/api/initiatives/", {"page_size": 3}).json()
    assert first["count"] == 7 and len(first["results"]) == 3 and first["next"].endswith("page=2&page_size=3")
    InitiativeFactory(status="completed")  # the whole list's length is kept per content generation
    assert client.get("/api/initiatives/", {"page_size": 3, "page": 2}).json()["count"] == 8
    everything = client.get("/api/initiatives/", {"page_size": 100}).json()["results"]
    completed = sum(initiative["status"] == "completed" for initiative in everything)
    assert completed >= 1 and client.get("/api/initiatives/", {"status": "completed"}).json()["count"] == completed


def downloaded(response):
    """A streamed CSV download's text, without its byte-order mark."""
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("endpoint", ["initiatives", "publications", "glossary-terms", "comments"])
def test_a_download_is_streamed_in_batches_and_holds_what_the_list_holds(client, api_content, endpoint, monkeypatch):
    """The whole list as CSV, read and sent a few records at a time (`CSV_BATCH`), each row the record
    the JSON list gives, lists joined with "; "; never kept by the page cache."""
    for number in range(4):
        InitiativeFactory(title_es=f"Iniciativa {number}", title_en=f"Initiative {number}")
        PublicationFactory(title_es=f"Manual {number}", title_en=f"Handbook {number}")
    monkeypatch.setattr(api, "CSV_BATCH", 2)
    records = client.get(f"/api/{endpoint}/").json()["results"]
    response = client.get(f"/api/{endpoint}/", {"format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="{endpoint}.csv"'
    chunks = [chunk for chunk in response.streaming_content if chunk]
    assert len(chunks) == 1 + (len(records) + 1) // 2  # the byte-order mark, then a chunk per batch
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    flat = [
        {
            key: "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
            for key, value in r.items()
        }
        for r in records
    ]
    assert rows == flat
    again = client.get(f"/api/{endpoint}/", {"format": "csv"})
    assert again.streaming and again.get("X-Portal-Cache") != "hit"


def test_csv_download_matches_the_filtered_list_on_screen(client, api_content):
    page = client.get("/es/iniciativas/", {"status": "ongoing"})
    html = page.content.decode()
    assert 'href="/api/initiatives/?status=ongoing&amp;format=csv"' in html
    response = client.get("/api/initiatives/", {"status": "ongoing", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(downloaded(response))))
    assert [row["title_es"] for row in rows] == [i.title for i in page.context["page_obj"]]
    assert rows[0]["countries"] == "MX; PE"
    everything = downloaded(client.get("/api/publications/", {"format": "csv"}))
    assert "978-92-9068-000-0" in everything


def test_the_schema_describes_every_list(client):
    schema_text = client.get("/api/schema/").content.decode()
    for path in ("/api/initiatives/", "/api/publications/", "/api/glossary-terms/", "/api/comments/"):
        assert f"{path}:" in schema_text


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The real WSGI handler closes the database connection after each request; the test's
    transaction lives on it, so keep it open as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_within_its_schema(case, api_content, wsgi_keeps_the_test_connection):
    # Every check (no 500, documented status codes and content types, responses valid against the
    # schema) but two about strictness: a well-formed theme code that names no theme is rightly a 400,
    # as on the pages, though the schema cannot list the themes editors will create; and an empty
    # parameter (?kind=) means "any", as the pages' filter forms send it.
    # The WSGI transport does not decompress: ask for the plain body (gzip is tested on the pages).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance, schemathesis.checks.negative_data_rejection],
    )
