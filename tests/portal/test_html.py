"""Every page type, in both languages, passes the Nu HTML Checker (vnu-jar from npm, on Java)."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.pages import preview_pages, public_pages

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(client, paths, tmp_path):
    if not shutil.which("java") or not VNU.exists():
        pytest.fail("The Nu HTML Checker needs Java and node_modules/vnu-jar (make test installs them).")
    files = {}
    for index, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code in {200, 400, 404}, path
        page = tmp_path / f"page-{index:02d}.html"
        page.write_bytes(response.content)
        files[page.name] = path
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
def test_every_page_type_is_valid_html(client, site_with_a_conversation, delegate_a, tmp_path):
    client.force_login(delegate_a)
    errors = html_errors(client, public_pages(), tmp_path)
    assert errors == [], "\n".join(errors)


@pytest.mark.django_db
def test_staff_previews_are_valid_html(client, seed_content, editor, tmp_path):
    client.force_login(editor)
    paths = preview_pages()
    assert all(client.get(path).status_code == 200 for path in paths)
    errors = html_errors(client, paths, tmp_path)
    assert errors == [], "\n".join(errors)
