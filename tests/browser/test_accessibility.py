"""Zero axe-core violations of WCAG 2.1 A and AA on every page type, in both languages."""

import pytest

from tests.browser.conftest import AXE, sign_in
from tests.pages import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def test_every_page_type_has_no_axe_violations(page, site_with_a_conversation, delegate_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing from node_modules (make test installs it).")
    sign_in(page, delegate_a.email, "a-long-delegate-passphrase")
    problems = {}
    for path in public_pages():
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}


def test_the_site_works_with_the_keyboard_alone(page, seed_content):
    page.goto("/es/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Ir al contenido principal"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # From the top, Tab through the header to the main navigation and follow "Iniciativas" with Enter.
    page.goto("/es/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.locator(":focus").inner_text() == "Iniciativas":
            break
    else:
        pytest.fail("The Initiatives link is not reachable with Tab.")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/es/iniciativas/")
    page.focus("#id_theme")
    page.keyboard.press("ArrowDown")  # the first theme
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "theme=" in page.url
