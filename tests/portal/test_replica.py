"""The read replica takes anonymous visitors' reads; signed-in users, forms, the admin and commands read the primary.

The replica here is a second connection to the test database (a TEST MIRROR, as settings.py declares
it), so the queries each connection runs show where a request read. The tests are transactional:
like a real replica, that connection sees committed rows only.
"""

import copy
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections, connections, transaction
from django.test.utils import CaptureQueriesContext

from initiatives.models import Comment, Initiative
from portal import db_router
from portal.db_router import REPLICA, PublicReadsOnReplicaRouter, is_anonymous_public_read, reads_on_replica
from portal.page_cache import RECENT_CHANGE_KEY, current_generation
from portal.views import HomeView
from tests.factories import InitiativeFactory
from tests.initiatives.test_comments import PARAGRAPH_EN, post_comment

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """The alias settings.py adds for DATABASE_REPLICA_URL, on the test database.

    Added before any test of this module opens its databases (pytest-django checks the aliases
    then), to the connection handler's settings, which are settings.DATABASES itself."""
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {**copy.deepcopy(primary), "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def router(settings, monkeypatch):
    settings.DATABASE_ROUTERS = ["portal.db_router.PublicReadsOnReplicaRouter"]
    monkeypatch.setattr(db_router, "replica_down_until", 0.0)


def replica_caught_up():
    """As some seconds after the last change: the replica has it, and the page cache knows what is scheduled."""
    cache.delete(RECENT_CHANGE_KEY)
    current_generation()


@contextmanager
def queries_by_database():
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        yield SimpleNamespace(primary=primary, replica=replica)


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/es/iniciativas/", "Perfiles migratorios"),
        ("/en/", "Migration profiles"),
        ("/api/initiatives/", "Migration profiles"),
    ],
)
def test_an_anonymous_visitor_reads_the_replica_only(client, path, shown):
    InitiativeFactory(title_es="Perfiles migratorios", title_en="Migration profiles", featured=True)
    replica_caught_up()
    with queries_by_database() as ran:
        response = client.get(path)
    assert response.status_code == 200 and shown in response.content.decode()
    assert len(ran.replica) > 0
    assert len(ran.primary) == 0


def test_head_requests_read_the_replica_too(client):
    InitiativeFactory()
    replica_caught_up()
    with queries_by_database() as ran:
        assert client.head("/es/iniciativas/").status_code == 200
    assert len(ran.replica) > 0 and len(ran.primary) == 0


def test_a_delegate_reads_their_own_comment_from_the_primary(client, consultation, delegate_a):
    client.force_login(delegate_a)
    with queries_by_database() as ran:
        response = post_comment(client, path=PARAGRAPH_EN, body="Mexico supports this recommendation.")
    assert response.status_code == 302 and Comment.objects.exists()
    assert len(ran.primary) > 0 and len(ran.replica) == 0

    replica_caught_up()
    with queries_by_database() as ran:
        page = client.get("/en/account/comments/").content.decode()
    assert "Mexico supports this recommendation." in page
    assert len(ran.primary) > 0 and len(ran.replica) == 0


def test_an_anonymous_visitor_with_a_session_reads_the_replica_once_the_session_is_read(client):
    InitiativeFactory()
    session = client.session  # an anonymous session, as a form kept between pages makes
    session["kept"] = True
    session.save()
    replica_caught_up()
    with queries_by_database() as ran:
        assert client.get("/es/iniciativas/").status_code == 200
    assert len(ran.primary) == 1 and "django_session" in ran.primary[0]["sql"]
    assert len(ran.replica) > 0


def test_a_form_sent_by_an_anonymous_visitor_uses_the_primary(client, delegate_a):
    replica_caught_up()
    with queries_by_database() as ran:
        response = client.post("/en/account/login/", {"username": "ana@mexico.example", "password": "a wrong one"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert len(ran.primary) > 0 and len(ran.replica) == 0


def test_the_admin_reads_the_primary(client, editor):
    InitiativeFactory(title_es="Perfiles migratorios")
    client.force_login(editor)
    replica_caught_up()
    with queries_by_database() as ran:
        response = client.get("/admin/initiatives/initiative/")
    assert response.status_code == 200 and "Perfiles migratorios" in response.content.decode()
    assert len(ran.primary) > 0 and len(ran.replica) == 0


@pytest.mark.parametrize(
    ("method", "path", "replica"),
    [
        ("get", "/admin/login/", False),
        ("get", "/admin/translations/", False),
        ("post", "/es/iniciativas/", False),
        ("get", "/es/iniciativas/", True),
        ("head", "/api/initiatives/", True),
    ],
)
def test_which_requests_of_anonymous_visitors_may_read_the_replica(rf, method, path, replica):
    """The admin's sign-in page reads nothing, so its rule shows here, in the decision itself."""
    assert is_anonymous_public_read(getattr(rf, method)(path)) is replica


def test_commands_and_code_outside_a_request_read_the_primary():
    InitiativeFactory()
    replica_caught_up()
    with queries_by_database() as ran:
        assert Initiative.objects.published().count() == 1
        call_command("send_queued_mail", verbosity=0)
    assert len(ran.primary) >= 2 and len(ran.replica) == 0


def test_right_after_a_change_anonymous_visitors_read_the_primary(client):
    """So that the page cache never keeps a page made before the replica replayed the change."""
    InitiativeFactory(title_en="Just published")
    with queries_by_database() as ran:
        response = client.get("/en/initiatives/")
    assert "Just published" in response.content.decode()
    assert len(ran.primary) > 0 and len(ran.replica) == 0
    replica_caught_up()
    with queries_by_database() as ran:
        client.get("/en/initiatives/?status=planned")
    assert len(ran.replica) > 0 and len(ran.primary) == 0


def test_reads_inside_a_transaction_and_all_writes_use_the_primary():
    router = PublicReadsOnReplicaRouter()
    token = reads_on_replica.set(True)
    try:
        assert router.db_for_read(Initiative) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Initiative) == "default"
        assert router.db_for_write(Initiative) == "default"
    finally:
        reads_on_replica.reset(token)
    assert router.db_for_read(Initiative) == "default"
    assert router.allow_migrate("default", "initiatives") and not router.allow_migrate(REPLICA, "initiatives")


def test_objects_read_from_either_database_can_be_related():
    initiative = InitiativeFactory()
    from_replica = Initiative.objects.using(REPLICA).get(pk=initiative.pk)
    assert PublicReadsOnReplicaRouter().allow_relation(initiative, from_replica)


def test_the_request_leaves_no_decision_behind_even_when_the_view_fails(client, monkeypatch):
    replica_caught_up()
    client.get("/es/iniciativas/")
    assert reads_on_replica.get() is False

    def broken_view(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(HomeView, "get_context_data", broken_view)
    client.raise_request_exception = False
    assert client.get("/en/").status_code == 500
    assert reads_on_replica.get() is False


def test_a_replica_that_goes_away_leaves_the_public_pages_on_the_primary(client, monkeypatch, tmp_path, caplog):
    InitiativeFactory(title_es="Perfiles migratorios", title_en="Migration profiles")
    replica_caught_up()
    replica = connections[REPLICA]
    with queries_by_database() as ran:
        client.get("/es/iniciativas/?status=planned")
    assert len(ran.replica) > 0  # and its connection is kept for the next requests

    # The replica stops: the kept connection is dead, and no new one can be made.
    replica.connection.close()
    monkeypatch.setitem(replica.settings_dict, "HOST", str(tmp_path))  # no PostgreSQL listens there
    close_old_connections()  # as each request starts on a server (the test client leaves it out)
    response = client.get("/es/iniciativas/")
    assert response.status_code == 200 and "Perfiles migratorios" in response.content.decode()
    assert "Read replica unavailable" in caplog.text

    # For a while the process does not even try it: the next visitors wait for no connection attempt.
    monkeypatch.setattr(replica, "connect", lambda: pytest.fail("the replica was tried again at once"))
    response = client.get("/en/initiatives/")
    assert response.status_code == 200 and "Migration profiles" in response.content.decode()

    # Once it is back and the pause is over, it takes the reads again.
    monkeypatch.undo()
    monkeypatch.setattr(db_router, "replica_down_until", 0.0)
    with queries_by_database() as ran:
        assert client.get("/en/initiatives/?status=planned").status_code == 200
    assert len(ran.replica) > 0 and len(ran.primary) == 0
