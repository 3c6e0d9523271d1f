"""Every page type, in both languages, passes the Nu HTML Checker (vnu-jar from npm, on Java)."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import OperationalError

from portal.views import HomeView
from tests.pages import public_pages


def database_down(*args, **kwargs):
    raise OperationalError("the database is down")


VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, site_with_a_conversation, delegate_a, tmp_path, settings, monkeypatch):
    if not shutil.which("java") or not VNU.exists():
        pytest.fail("The Nu HTML Checker needs Java and node_modules/vnu-jar (make test installs them).")
    client.force_login(delegate_a)
    files = {}
    for index, path in enumerate(public_pages()):
        response = client.get(path)
        assert response.status_code in {200, 400, 404}, path
        page = tmp_path / f"page-{index:02d}.html"
        page.write_bytes(response.content)
        files[page.name] = path
    # pages no URL leads to: the database outage (503) and the sign-in lockout (429)
    settings.AXES_FAILURE_LIMIT = 1
    monkeypatch.setattr(HomeView, "get_context_data", database_down)
    for language, login in {"es": "/es/cuenta/entrar/", "en": "/en/account/login/"}.items():
        for name, response in {
            f"outage-{language}": client.get(f"/{language}/"),
            f"locked-{language}": client.post(login, {"username": f"{language}@nowhere.example", "password": "x"}),
        }.items():
            assert response.status_code in {503, 429}, name
            (tmp_path / f"{name}.html").write_bytes(response.content)
            files[f"{name}.html"] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{files[m['url'].rsplit('/', 1)[-1]]}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
