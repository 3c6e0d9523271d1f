import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.backends.postgresql.base import DatabaseWrapper

from glossary.models import Term
from initiatives.models import Initiative, Publication

pytestmark = pytest.mark.django_db


def test_healthz_reports_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    unreachable = dict(settings.DATABASES["default"], HOST="127.0.0.1", PORT=1, OPTIONS={"connect_timeout": 2})
    monkeypatch.setattr("portal.views.connection", DatabaseWrapper(unreachable))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "unavailable"}


def test_content_is_loaded_once_and_never_overwritten(seed_content):
    term = Term.objects.get(key="iom")
    term.definition_es = "<p>Texto cambiado por una editora.</p>"
    term.save()
    counts = (Initiative.objects.count(), Publication.objects.count(), Term.objects.count())

    call_command("load_content", verbosity=0)

    term.refresh_from_db()
    assert term.definition_es == "<p>Texto cambiado por una editora.</p>"
    assert (Initiative.objects.count(), Publication.objects.count(), Term.objects.count()) == counts


def run_manage(*arguments, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_wrong_database_url_gives_one_clear_sentence():
    result = run_manage("serve", "--port", "8999", env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Cannot reach the PostgreSQL database at 127.0.0.1:1/nothing" in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused():
    result = run_manage("check", env={"DATABASE_URL": "sqlite:///portal.db"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DATABASE_URL must point at a PostgreSQL server" in result.stderr


def configured_databases(**environment):
    """DATABASES and DATABASE_ROUTERS as a fresh process reads them from this environment."""
    code = "import json, portal.settings as s; print(json.dumps([s.DATABASES, getattr(s, 'DATABASE_ROUTERS', [])]))"
    unset = {name: value for name, value in os.environ.items() if name != "DATABASE_REPLICA_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**unset, "DATABASE_URL": "postgres://portal@primary.example.org/portal", **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_a_replica_url_there_is_one_database_and_no_router():
    databases, routers = configured_databases()
    assert list(databases) == ["default"] and routers == []


def test_a_replica_url_adds_a_replica_connected_like_the_primary():
    databases, routers = configured_databases(DATABASE_REPLICA_URL="postgres://reader@replica.example.org:5433/portal")
    replica = databases["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("replica.example.org", 5433, "reader")
    for option in ("ENGINE", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
        assert replica[option] == databases["default"][option]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert routers == ["portal.db_router.PublicReadsOnReplicaRouter"]


def test_a_replica_url_that_is_not_postgresql_is_refused():
    result = run_manage(
        "check",
        env={
            "DATABASE_URL": "postgres://portal@primary.example.org/portal",
            "DATABASE_REPLICA_URL": "sqlite:///replica.db",
        },
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DATABASE_REPLICA_URL must point at a PostgreSQL server" in result.stderr


def test_a_port_in_use_gives_one_clear_sentence():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_manage("serve", "--port", str(port))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr


def test_production_refuses_to_start_without_a_real_secret():
    result = run_manage("check", env={"DJANGO_ALLOWED_HOSTS": "portal.example.org", "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
