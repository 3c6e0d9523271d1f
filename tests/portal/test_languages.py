import re

import pytest

from tests.factories import InitiativeFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [(None, "/es/"), ("en-GB,en;q=0.9", "/en/"), ("es-MX,es;q=0.8", "/es/"), ("fr-FR,fr;q=0.9", "/es/")],
)
def test_root_redirects_to_the_visitors_language(client, accept_language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize(("prefix", "lang"), [("/es/", "es"), ("/en/", "en")])
def test_home_declares_its_language_and_alternates(client, prefix, lang):
    response = client.get(prefix)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in html


def test_interface_is_translated(client):
    spanish = client.get("/es/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Ir al contenido principal" in spanish
    assert "Skip to main content" in english
    assert "Iniciativas" in spanish and "Initiatives" in english


def main_menu(html):
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)[0]
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)


def test_the_fixed_parts_of_a_page_follow_its_language_and_section(client):
    """The menu, the footer and the head's feeds are rendered once per language and section and kept:
    each page still gets its own language's addresses and words, and its own menu entry marked."""
    for _twice in range(2):
        spanish = client.get("/es/glosario/").content.decode()
        english = client.get("/en/initiatives/").content.decode()
        assert main_menu(spanish)[:3] == [
            ("/es/iniciativas/", "", "Iniciativas"),
            ("/es/publicaciones/", "", "Publicaciones"),
            ("/es/glosario/", ' aria-current="page"', "Glosario"),
        ]
        assert main_menu(english)[:3] == [
            ("/en/initiatives/", ' aria-current="page"', "Initiatives"),
            ("/en/publications/", "", "Publications"),
            ("/en/glossary/", "", "Glossary"),
        ]
        assert 'href="/es/iniciativas/novedades.atom"' in spanish and 'href="/en/initiatives/feed.atom"' in english
        assert '<meta property="og:locale" content="en_GB">' in english
        assert '<li><a href="/en/glossary/">Glossary</a></li>' in english.split('<footer class="site-footer">')[1]
        assert '<a href="/en/account/login/?next=/en/initiatives/">Sign in</a>' in english


def switcher_links(html):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)[0]
    return dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav))


def test_switcher_leads_to_the_same_initiative_in_the_other_language(client):
    initiative = InitiativeFactory(slug_es="foro-mundial", slug_en="global-forum")
    spanish = client.get("/es/iniciativas/foro-mundial/").content.decode()
    assert switcher_links(spanish) == {"/en/initiatives/global-forum/": "en"}
    english = client.get("/en/initiatives/global-forum/")
    assert english.status_code == 200
    assert initiative.title_en in english.content.decode()
    assert switcher_links(english.content.decode()) == {"/es/iniciativas/foro-mundial/": "es"}


def test_switcher_keeps_filters_on_list_pages(client):
    html = client.get("/es/iniciativas/?status=ongoing").content.decode()
    assert switcher_links(html) == {"/en/initiatives/?status=ongoing": "en"}


def test_hreflang_alternates_name_the_translated_slugs(client):
    TermFactory(slug_es="organizacion-internacional", slug_en="international-organization")
    html = client.get("/es/glosario/organizacion-internacional/").content.decode()
    assert 'hreflang="en" href="http://testserver/en/glossary/international-organization/"' in html
    assert 'hreflang="es" href="http://testserver/es/glosario/organizacion-internacional/"' in html


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [("/es/no-existe/", "es", "Página no encontrada"), ("/en/does-not-exist/", "en", "Page not found")],
)
def test_not_found_pages_speak_the_visitors_language(client, path, lang, text):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert f'<html lang="{lang}">' in html


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [("/es/", "es", "Se ha producido un error"), ("/en/", "en", "Something went wrong")],
)
def test_server_error_pages_speak_the_visitors_language(client, monkeypatch, path, lang, text):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("portal.views.HomeView.get_context_data", broken)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert text in html
    assert "boom" not in html and "Traceback" not in html
