"""No public page issues more than 10 SQL queries, whatever the amount of content."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import Comment
from tests.pages import public_pages

pytestmark = pytest.mark.django_db

BUDGET = 10


@pytest.fixture
def grown_site(site_with_a_conversation):
    call_command(
        "generate_dataset",
        initiatives=400,
        publications=120,
        terms=150,
        comments=3000,
        delegates_per_state=1,
        verbosity=0,
    )


def test_every_public_page_stays_within_the_query_budget(client, grown_site):
    over = {}
    for path in public_pages():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code in {200, 302, 400, 404}, path
        if len(captured) > BUDGET:
            over[path] = len(captured)
    assert over == {}


def test_the_api_reads_a_fixed_number_of_queries_per_page_whatever_its_size(client, grown_site):
    """Related rows are read with the records (a comment's parent by its key alone), never one query per
    record: a page of 100 records costs what a page of 5 costs, within the budget. CSV downloads are
    whole lists, streamed from one query (counted while they are read)."""

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200 and len(body) > 500, path
        return len(captured)

    comments = Comment.objects.approved().order_by("pk")
    first = comments.first()
    comments.filter(pk__in=comments.values("pk")[1:300]).update(parent=first)  # replies, as far as the API tells
    for kind in ["initiatives", "publications", "glossary-terms", "comments"]:
        queries(f"/api/{kind}/")  # the list's length is counted once per content generation
        few, many = queries(f"/api/{kind}/?page=2&page_size=5"), queries(f"/api/{kind}/?page=2&page_size=100")
        assert few == many <= BUDGET, kind
        assert queries(f"/api/{kind}/?format=csv") <= BUDGET, kind


def comment_rows_written():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s", [Comment._meta.db_table]
        )
        return cursor.fetchone()


def test_the_generated_comments_are_spread_over_the_consultation_and_written_once(site_with_a_conversation):
    """Each comment is inserted with its date: updating every row afterwards left the table twice its size
    (each row's old version stays until a vacuum, and then as free space), and the searches read it."""
    inserted, updated = comment_rows_written()
    call_command("generate_dataset", initiatives=40, publications=12, terms=15, comments=600, verbosity=0)
    assert comment_rows_written() == (inserted + 600, updated)
    dates = Comment.objects.filter(author__email__endswith="@generated.example").values_list("created_at", flat=True)
    now = timezone.now()
    assert len(dates) == 600 and all(now - timedelta(days=90) <= date <= now for date in dates)
    assert (max(dates) - min(dates)).days >= 80
