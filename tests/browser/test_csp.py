"""The Content-Security-Policy as Chromium enforces it: the site and the admin's rich-text editor work under it."""

import pytest
from django.contrib.auth.models import User

from initiatives.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strict_page(browser, live_server, settings):
    """Like `page`, but the browser enforces the policy (bypass_csp off) and reports every violation."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.violations = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and page.violations.append(message.text)
    )
    yield page
    context.close()


def test_public_pages_run_under_the_policy_without_violations(strict_page, seed_content):
    for path in ["/es/", "/en/initiatives/", "/es/documentos/mc-2353/", "/en/account/login/"]:
        strict_page.goto(path)
    assert strict_page.violations == []


def test_the_admin_rich_text_editor_loads_under_the_policy(strict_page, seed_content):
    User.objects.create_superuser("chief", "chief@iom.example", "chief-passphrase-2013")
    initiative = Initiative.objects.first()
    strict_page.goto("/admin/login/")
    strict_page.fill("#id_username", "chief")
    strict_page.fill("#id_password", "chief-passphrase-2013")
    with strict_page.expect_navigation():
        strict_page.keyboard.press("Enter")
    strict_page.goto(f"/admin/initiatives/initiative/{initiative.pk}/change/")
    editors = strict_page.locator(".prose-editor .ProseMirror:visible")
    editors.first.wait_for()
    assert editors.first.get_attribute("contenteditable") == "true"
    editors.first.click()
    strict_page.keyboard.type(" Typed under the policy.")
    assert "Typed under the policy." in editors.first.inner_text()
    strict_page.screenshot(path="/tmp/trust-admin-editor.png", full_page=False)
    assert strict_page.violations == []
