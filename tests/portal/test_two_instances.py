"""Two portal instances on two ports, one database and one cache: they behave as one site."""

import importlib.util
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("load", settings.BASE_DIR / "scripts" / "load.py")
load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load)


@pytest.fixture
def two_portals(tmp_path):
    postgres = load.TemporaryPostgres(tmp_path)
    sessions = load.prepare(postgres.url, delegates=1)
    first = load.Portal(postgres.url, workers=1, threads=4)
    second = load.Portal(postgres.url, workers=1, threads=4)
    yield postgres, first, second, {"sessionid": sessions[0]}
    first.stop()
    second.stop()
    postgres.close()


def shell(postgres, code):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={**load.os.environ, "DATABASE_URL": postgres.url},
        check=True,
    )


def test_sessions_cache_invalidation_and_comments_are_shared(two_portals):
    postgres, first, second, cookies = two_portals

    # A session made on one instance is valid on the other.
    for portal in (first, second):
        status, _headers, page = load.request("GET", portal.port, "/en/account/comments/", dict(cookies))
        assert status == 200 and b"My comments" in page

    # Both cache the home page; an editor's change shows on both at once.
    for portal in (first, second, first, second):
        assert load.request("GET", portal.port, "/en/initiatives/?status=planned")[0] == 200
    hit = load.request("GET", second.port, "/en/initiatives/?status=planned")[1]
    assert hit.get("X-Portal-Cache") == "hit"
    shell(
        postgres,
        "from initiatives.models import Initiative\n"
        "i = Initiative.objects.filter(status='planned').first()\n"
        "i.title_en = 'Changed on the primary'\ni.save()",
    )
    for portal in (first, second):
        status, headers, page = load.request("GET", portal.port, "/en/initiatives/?status=planned")
        assert b"Changed on the primary" in page, portal.port

    # A form shown by one instance and sent to both creates one comment.
    status, headers, page = load.request("GET", first.port, load.COMMENT_PATH, dict(cookies))
    csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = {
        "csrfmiddlewaretoken": token,
        "body": "twice-marker sent to both.",
        "language": "en",
        "submission_key": str(uuid.uuid4()),
    }
    for portal in (first, second):
        status = load.request("POST", portal.port, load.COMMENT_PATH, {**cookies, "csrftoken": csrf}, form)[0]
        assert status == 302
    assert load.stored_markers(postgres.url, "twice-marker")["twice-marker"] == 1
