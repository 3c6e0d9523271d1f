import pytest

from glossary.models import Term
from tests.factories import TermFactory

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


def test_index_files_accented_and_odd_names_as_python_would(client):
    """The database files and sorts the names: Á under A, digits under #, the same order as before."""
    for name in ["Ámbito", "azul", "Zona", "123 cifras", "  Éxodo", "Ñandú", "ampliación"]:
        TermFactory(term_es=name, definition_es="<p>Uno <b>dos</b> tres</p><script>alert(1)</script>")
    groups = client.get("/es/glosario/").context["groups"]
    assert [(letter, [entry.term for entry in entries]) for letter, entries in groups] == [
        ("#", ["123 cifras"]),
        ("A", ["ampliación", "azul", "Ámbito"]),  # lower-cased code points, as str.casefold sorts them
        ("E", ["  Éxodo"]),
        ("N", ["Ñandú"]),
        ("Z", ["Zona"]),
    ]
    assert groups[0][1][0].excerpt == "Uno dos tres"
    page = client.get("/es/glosario/?letter=A")
    assert [entry.term for _letter, entries in page.context["groups"] for entry in entries] == [
        "ampliación",
        "azul",
        "Ámbito",
    ]
    assert page.context["found"] == 3 and ("B", False) in page.context["letters"]


def test_the_index_follows_a_renamed_or_published_term_at_once(client, terms, delegate_a):
    """The whole index is filed once per content generation; a signed-in reader has no page cache to
    hide it."""

    def index(query=""):
        response = client.get(f"/en/glossary/{query}")
        return [(letter, [entry.term for entry in entries]) for letter, entries in response.context["groups"]]

    client.force_login(delegate_a)
    assert index() == [
        ("I", ["International Organization for Migration"]),
        ("O", ["Office of the High Commissioner for Human Rights"]),
        ("R", ["Remittances"]),
    ]
    remittances = Term.objects.get(slug_en="remittances")
    remittances.term_en = "Diaspora remittances"
    remittances.save()
    TermFactory(term_en="Return migration", state="published")
    assert index("?letter=R") == [("R", ["Return migration"])]
    assert index()[0] == ("D", ["Diaspora remittances"])
    assert client.get("/en/glossary/").context["found"] == 4


def test_index_excerpt_is_thirty_words_of_plain_text(client):
    TermFactory(term_en="Long", definition_en="<p>" + " ".join(f"w{n}" for n in range(40)) + " &amp; more</p>")
    (_letter, [entry]), *_rest = client.get("/en/glossary/").context["groups"]
    assert entry.excerpt == " ".join(f"w{n}" for n in range(30)) + " …"


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
