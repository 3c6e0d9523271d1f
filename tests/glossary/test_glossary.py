import pytest

pytestmark = pytest.mark.django_db


def test_index_groups_terms_by_letter_in_each_language(client, terms):
    spanish = client.get("/es/glosario/")
    english = client.get("/en/glossary/")
    assert [letter for letter, _ in spanish.context["groups"]] == ["A", "O", "R"]
    assert [letter for letter, _ in english.context["groups"]] == ["I", "O", "R"]
    assert "Draft term" not in english.content.decode()


def test_letter_navigation(client, terms):
    response = client.get("/en/glossary/?letter=R")
    assert [t.term for _, group in response.context["groups"] for t in group] == ["Remittances"]
    assert ("R", True) in response.context["letters"] and ("Z", False) in response.context["letters"]


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/es/glosario/", "IOM", "Organización Internacional para las Migraciones"),
        ("/en/glossary/", "oim", "International Organization for Migration"),
        ("/es/glosario/", "OACDH", "Alto Comisionado para los Derechos Humanos"),
        ("/en/glossary/", "OHCHR", "Office of the High Commissioner for Human Rights"),
        ("/en/glossary/", "remitt", "Remittances"),
    ],
)
def test_acronym_search_finds_the_term_in_either_languages_form(client, terms, path, query, expected):
    response = client.get(path, {"q": query})
    found = [t.term for _, group in response.context["groups"] for t in group]
    assert found == [expected]


def test_term_page_shows_both_languages_variants_and_related(client, terms):
    html = client.get("/en/glossary/ohchr/").content.decode()
    assert '<td lang="es">Alto Comisionado para los Derechos Humanos</td>' in html
    assert '<td lang="en">Office of the High Commissioner for Human Rights</td>' in html
    assert '<span lang="es">OACDH</span>' in html
    related = client.get("/es/glosario/remesas/").content.decode()
    assert 'href="/es/glosario/oim/"' in related


def test_draft_terms_are_not_found(client, terms):
    assert client.get("/en/glossary/draft-term/").status_code == 404
