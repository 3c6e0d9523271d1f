"""What people do, in a real browser: browse and filter, switch language, search, comment, moderate."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from initiatives.models import Comment
from tests.browser.conftest import sign_in
from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_filter_and_switch_language_on_a_detail_page(page):
    labour = ThemeFactory(code="labour", name_es="Migración laboral", name_en="Labour migration")
    data = ThemeFactory(code="data", name_es="Datos", name_en="Data")
    InitiativeFactory(
        title_es="Bases de datos sobre competencias",
        title_en="Skills databases",
        slug_es="bases-de-datos",
        slug_en="skills-databases",
        themes=[labour],
    )
    InitiativeFactory(title_es="Perfiles migratorios", title_en="Migration profiles", themes=[data])

    page.goto("/es/iniciativas/")
    page.select_option("#id_theme", "labour")
    page.get_by_role("button", name="Aplicar filtros").click()
    page.wait_for_url(re.compile(r"theme=labour"))
    assert page.locator(".result-count").inner_text() == "1 iniciativa"
    page.get_by_role("link", name="Bases de datos sobre competencias").click()
    page.wait_for_url("**/es/iniciativas/bases-de-datos/")

    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/initiatives/skills-databases/")
    assert page.locator("h1").inner_text() == "Skills databases"
    assert page.locator("html").get_attribute("lang") == "en"


def test_search_finds_without_accents(page):
    InitiativeFactory(title_es="Diálogo sobre la migración", slug_es="dialogo", summary_es="<p>Migración.</p>")
    page.goto("/es/buscar/")
    page.fill("#search-q", "dialogo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=dialogo"))
    assert page.get_by_role("link", name="Diálogo sobre la migración").is_visible()


@pytest.mark.parametrize("language", ["es", "en"])
def test_delegate_comments_moderator_approves_public_reads(page, consultation, delegate_a, moderator, language):
    moderator.set_password("moderator-passphrase-2013")
    moderator.save()
    consultation.document.state = "published"
    consultation.document.save()
    words = {
        "es": {
            "path": "/es/documentos/mc-2353/",
            "comment": "Comentar",
            "send": "Enviar el comentario",
            "mine": "Mis comentarios",
            "out": "Cerrar sesión",
            "pending": "pendiente de moderación",
        },
        "en": {
            "path": "/en/documents/mc-2353/",
            "comment": "Comment",
            "send": "Send the comment",
            "mine": "My comments",
            "out": "Sign out",
            "pending": "pending moderation",
        },
    }[language]
    body = f"México respalda la recomendación ({language})."

    sign_in(page, delegate_a.email, "a-long-delegate-passphrase", language)
    page.goto(words["path"] + "#p29")
    page.locator("#p29 .paragraph-tools a").click()
    page.fill("#id_body", body)
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(re.compile(r"/(cuenta|account)/(comentarios|comments)/$"))
    assert words["pending"] in page.locator("table").inner_text()
    page.get_by_role("button", name=words["out"]).click()

    page.goto("/admin/login/")
    page.fill("#id_username", "moderator")
    page.fill("#id_password", "moderator-passphrase-2013")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/admin/initiatives/comment/?status__exact=pending")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "approve")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    assert Comment.objects.get().status == "approved"
    page.context.clear_cookies()

    page.goto(words["path"])
    page.locator("#p29 details.paragraph-comments summary").click()
    assert page.locator("#p29 .comment-body").inner_text().strip() == body
    assert User.objects.filter(email=delegate_a.email).exists()


def approved_comment_on_paragraph_29(consultation, delegate_a, moderator, body):
    from initiatives.services import comment_moderate, comment_submit

    paragraph = consultation.document.paragraphs.get(number=29)
    comment = comment_submit(author=delegate_a, target=paragraph, body=body, language="en")
    comment_moderate(comment=comment, moderator=moderator, approve=True)


def test_a_paragraphs_latest_comments_load_when_opened_and_again_after_a_failure(
    page, consultation, delegate_a, moderator
):
    approved_comment_on_paragraph_29(consultation, delegate_a, moderator, "Loaded when opened.")
    requests = []

    def first_one_fails(route):
        requests.append(route.request.url)
        route.abort() if len(requests) == 1 else route.continue_()

    page.route("**/latest-comments/", first_one_fails)
    page.goto("/en/documents/mc-2353/#p29")
    details = page.locator("#p29 details.paragraph-comments")
    assert details.locator(".comment-body").count() == 0  # not in the page until asked for
    details.locator("summary").click()
    expect(details.locator(".loaded")).to_have_text("This could not be loaded. The link below leads to its own page.")
    details.locator("summary").click()  # closed
    details.locator("summary").click()  # and opened again: asked again
    expect(details.locator(".comment-body")).to_have_text("Loaded when opened.")
    details.locator("summary").click()
    details.locator("summary").click()  # once loaded, never asked for again
    assert [url.removeprefix(page.url.split("/en/")[0]) for url in requests] == [
        "/en/documents/mc-2353/p29/latest-comments/"
    ] * 2


def test_a_paragraphs_initiatives_load_when_opened(page, consultation):
    paragraph = consultation.document.paragraphs.get(number=29)
    for number in range(25):
        InitiativeFactory(title_en=f"From 29, number {number:02d}").source_paragraphs.add(paragraph)
    page.goto("/en/documents/mc-2353/#p29")
    details = page.locator("#p29 details.paragraph-initiatives")
    assert details.locator("summary").inner_text() == "25 initiatives come from this paragraph"
    details.locator("summary").click()
    links = details.locator(".loaded li a")
    expect(links).to_have_count(20)  # the first page of the paragraph's own list, the newest first
    assert links.first.inner_text() == "From 29, number 24"
    with page.expect_navigation():
        details.get_by_role("link", name="All 25 initiatives from this paragraph").click()
    assert page.url.endswith("/en/documents/mc-2353/p29/initiatives/")


def test_without_scripts_a_paragraphs_comments_are_one_link_away(
    browser, live_server, consultation, delegate_a, moderator
):
    approved_comment_on_paragraph_29(consultation, delegate_a, moderator, "Read without scripts.")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/es/documentos/mc-2353/")
    page.locator("#p29 details.paragraph-comments summary").click()
    with page.expect_navigation():
        page.get_by_role("link", name="El comentario sobre este párrafo").click()
    assert page.url.endswith("/es/documentos/mc-2353/p29/comentar/")
    assert page.locator(".comment-body").inner_text().strip() == "Read without scripts."
    context.close()


def test_a_click_on_the_map_filters_the_list_to_that_country(page):
    InitiativeFactory(title_en="Mexican initiative", countries=["MX"])
    InitiativeFactory(title_en="Peruvian initiative", countries=["PE"])
    page.goto("/en/initiatives/")
    page.wait_for_function("document.querySelector('object.world-map').contentDocument?.querySelector('a')")
    frame = next(frame for frame in page.frames if frame.url.endswith("/en/initiatives/map.svg"))
    with page.expect_navigation():
        frame.locator("a[*|href='/en/initiatives/?country=MX'] path").first.click(force=True)
    assert page.url.endswith("/en/initiatives/?country=MX")
    assert page.locator(".result-count").inner_text() == "1 initiative"
