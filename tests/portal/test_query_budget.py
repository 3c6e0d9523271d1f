"""No public page issues more than 10 SQL queries, whatever the amount of content."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
