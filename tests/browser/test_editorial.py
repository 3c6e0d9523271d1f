"""An editor takes an initiative from draft to published, in both languages, in a real browser."""

import pytest

from initiatives.models import Initiative
from tests.browser.test_accessibility import axe_violations
from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_sign_in(page, user):
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "x")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def status_of(browser, live_server, path):
    """What someone who is not signed in gets at the path."""
    context = browser.new_context(base_url=live_server.url)
    try:
        return context.request.get(path).status
    finally:
        context.close()


def test_an_editor_takes_an_initiative_from_draft_to_published(page, browser, live_server, editor, publisher):
    draft = InitiativeFactory(
        state="draft",
        title_es="Perfiles migratorios",
        slug_es="perfiles-migratorios",
        title_en="",
        slug_en=None,
        summary_en="",
        themes=[ThemeFactory()],
    )
    change_page = f"/admin/initiatives/initiative/{draft.pk}/change/"

    # The editor writes the English, sends the draft for review, and cannot publish it.
    admin_sign_in(page, editor)
    page.goto(change_page)
    assert page.locator("#id_state option").all_inner_texts() == ["borrador", "en revisión"]
    # Spanish and English sit in tabs (modeltranslation's, with jQuery UI served locally)
    page.click("a[href='#tab_id_title_en']")
    page.fill("#id_title_en", "Migration profiles")  # the English slug follows the title
    page.click("a[href='#tab_id_summary_en']")
    page.locator(".field-summary_en [contenteditable=true]").click()
    page.keyboard.type("Country profiles of migration.")
    page.select_option("#id_state", "review")
    with page.expect_navigation():
        page.get_by_role("button", name="Guardar y continuar editando").click()
    assert page.locator(".messagelist .success").count() == 1
    assert "ES y EN completos" not in page.content()  # the change page, not the list

    # The preview, in both languages, on the real pages.
    with page.expect_navigation():
        page.get_by_role("link", name="Ver en el sitio").click()
    assert page.url.endswith("/es/iniciativas/perfiles-migratorios/?preview")
    assert page.locator(".preview-banner").is_visible()
    assert page.locator("h1").inner_text() == "Perfiles migratorios"
    assert axe_violations(page) == []
    page.goto("/en/initiatives/migration-profiles/?preview")
    assert page.locator("h1").inner_text() == "Migration profiles"
    assert "Only staff see this page" in page.locator(".preview-banner").inner_text()
    assert axe_violations(page) == []
    assert status_of(browser, live_server, "/es/iniciativas/perfiles-migratorios/?preview") == 404
    assert status_of(browser, live_server, "/en/initiatives/migration-profiles/") == 404

    # The publisher publishes it.
    page.context.clear_cookies()
    admin_sign_in(page, publisher)
    page.goto("/admin/initiatives/initiative/?state__exact=review")
    assert "ES y EN completos" in page.locator("#result_list").inner_text()
    page.get_by_role("link", name="Perfiles migratorios").click()
    page.select_option("#id_state", "published")
    with page.expect_navigation():
        page.get_by_role("button", name="Guardar", exact=True).click()
    assert Initiative.objects.get(pk=draft.pk).state == "published"

    # Everyone sees it now, in both languages.
    assert status_of(browser, live_server, "/es/iniciativas/perfiles-migratorios/") == 200
    assert status_of(browser, live_server, "/en/initiatives/migration-profiles/") == 200
    published = Initiative.objects.get(pk=draft.pk)
    assert [v.state for v in published.history.order_by("history_date")] == ["draft", "review", "published"]
    assert [v.history_user for v in published.history.order_by("history_date")] == [None, editor, publisher]
