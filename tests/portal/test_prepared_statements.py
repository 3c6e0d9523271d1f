"""PostgreSQL parses and plans a statement once per connection when it comes back (psycopg prepares it
on its second run), except the queries whose plan depends on their values: searches and filtered lists."""

import pytest
from django.db import connection

from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_page_that_comes_back_runs_prepared_statements(client, delegate_a):
    client.force_login(delegate_a)  # no page cache: every request runs its queries
    InitiativeFactory(slug_es="dialogo", title_es="Diálogo")
    for _again in range(3):
        assert client.get("/es/iniciativas/dialogo/").status_code == 200
    assert any('FROM "initiatives_initiative"' in statement for statement in prepared_statements())


def test_searches_and_filtered_lists_are_planned_with_their_own_values(client, delegate_a):
    client.force_login(delegate_a)
    InitiativeFactory(title_es="Diálogo sobre migración", countries=["MX"], themes=[ThemeFactory(code="labour")])
    for _again in range(3):
        assert "Diálogo sobre migración" in client.get("/es/buscar/?q=dialogo").content.decode()
        assert "Diálogo sobre migración" in client.get("/es/iniciativas/?country=MX&theme=labour").content.decode()
        assert client.get("/api/initiatives/?country=MX").json()["count"] == 1
    statements = prepared_statements()
    assert statements  # the pages' other queries are prepared
    assert not any(statement.startswith("WITH newest_0") for statement in statements)
    assert not any("string_to_array" in statement for statement in statements)  # the country filter
