"""Every page type, in both languages, passes the Nu HTML Checker (vnu-jar from npm, on Java)."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import OperationalError

from portal.views import HomeView
from tests.pages import preview_pages, public_pages

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def database_down(*args, **kwargs):
    raise OperationalError("the database is down")


def html_errors(client, paths, tmp_path, responses=None):
    """Nu checker errors for the pages at `paths` and for already fetched `responses` {name: response}."""
    if not shutil.which("java") or not VNU.exists():
        pytest.fail("The Nu HTML Checker needs Java and node_modules/vnu-jar (make test installs them).")
    files = {}
    for index, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code in {200, 400, 404}, path
        page = tmp_path / f"page-{index:02d}.html"
        page.write_bytes(response.content)
        files[page.name] = path
    for name, response in (responses or {}).items():
        (tmp_path / f"{name}.html").write_bytes(response.content)
        files[f"{name}.html"] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{files[m['url'].rsplit('/', 1)[-1]]}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, site_with_a_conversation, delegate_a, tmp_path, settings, monkeypatch):
    client.force_login(delegate_a)
    paths = public_pages()
    # pages no URL leads to: the database outage (503) and the sign-in lockout (429)
    settings.AXES_FAILURE_LIMIT = 1
    special = {}
    with monkeypatch.context() as patched:
        patched.setattr(HomeView, "get_context_data", database_down)
        for language, login in {"es": "/es/cuenta/entrar/", "en": "/en/account/login/"}.items():
            special[f"outage-{language}"] = client.get(f"/{language}/")
            special[f"locked-{language}"] = client.post(
                login, {"username": f"{language}@nowhere.example", "password": "x"}
            )
    assert {name: response.status_code for name, response in special.items()} == {
        "outage-es": 503,
        "locked-es": 429,
        "outage-en": 503,
        "locked-en": 429,
    }
    errors = html_errors(client, paths, tmp_path, special)
    assert errors == [], "\n".join(errors)


@pytest.mark.django_db
def test_staff_previews_are_valid_html(client, seed_content, editor, tmp_path):
    client.force_login(editor)
    paths = preview_pages()
    assert all(client.get(path).status_code == 200 for path in paths)
    errors = html_errors(client, paths, tmp_path)
    assert errors == [], "\n".join(errors)
