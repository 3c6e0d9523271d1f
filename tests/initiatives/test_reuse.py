"""Reuse: citations (formatted, RIS, BibTeX), Atom feeds, the sitemap, robots.txt and page metadata."""

import xml.etree.ElementTree as ET

import pytest

from initiatives import citations
from initiatives.models import Comment
from tests.factories import InitiativeFactory, OrganizationFactory, PublicationFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def handbook():
    iom = OrganizationFactory(
        name_es="Organización Internacional para las Migraciones", name_en="International Organization for Migration"
    )
    publication = PublicationFactory(
        kind="handbook",
        title_es="Manual de migración laboral",
        title_en="Labour migration handbook",
        subtitle_en="Policies & practice",
        slug_es="manual-migracion-laboral",
        slug_en="labour-migration-handbook",
        year=2010,
        isbn="978-92-9068-000-0",
        issn="1607-338X",
        authors="Martin, Philip; Abella, Manolo",
    )
    publication.publishers.set([iom])
    return publication


def test_publication_page_shows_a_formatted_citation_with_its_numbers(client, handbook):
    html = client.get("/en/publications/labour-migration-handbook/").content.decode()
    assert (
        "Martin, Philip; Abella, Manolo (2010). Labour migration handbook: Policies &amp; practice. "
        "International Organization for Migration. ISBN 978-92-9068-000-0. ISSN 1607-338X. "
        "http://testserver/en/publications/labour-migration-handbook/"
    ) in html
    assert 'href="/en/publications/labour-migration-handbook/citation.ris"' in html
    assert 'href="/en/publications/labour-migration-handbook/citation.bib"' in html


def test_ris_download(client, handbook):
    response = client.get("/es/publicaciones/manual-migracion-laboral/cita.ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - BOOK"
    assert "AU  - Martin, Philip" in lines and "AU  - Abella, Manolo" in lines
    assert "TI  - Manual de migración laboral" in lines
    assert "PY  - 2010" in lines and "SN  - 978-92-9068-000-0" in lines and "SN  - 1607-338X" in lines
    assert "UR  - http://testserver/es/publicaciones/manual-migracion-laboral/" in lines
    assert lines[-2] == "ER  - "


def test_bibtex_download_escapes_and_keeps_institutions_whole(client, handbook):
    bib = client.get("/en/publications/labour-migration-handbook/citation.bib").content.decode()
    assert bib.startswith("@book{labourmigrationhandbook2010,\n")
    assert "  author = {{Martin, Philip} and {Abella, Manolo}}" in bib
    assert "  title = {Labour migration handbook: Policies \\& practice}" in bib
    assert "  isbn = {978-92-9068-000-0}" in bib and "  issn = {1607-338X}" in bib
    assert bib.count("{") == bib.count("}")


def test_council_document_citation_carries_its_symbol(client, document):
    document.authors = "International Organization for Migration"
    document.save()
    html = client.get("/en/documents/mc-2353/").content.decode()
    assert "International Organization for Migration (2012)." in html and "MC/2353." in html
    ris = client.get("/en/publications/mc-2353/citation.ris").content.decode()
    assert "TY  - GOVDOC" in ris and "CN  - MC/2353" in ris
    bib = client.get("/en/publications/mc-2353/citation.bib").content.decode()
    assert bib.startswith("@misc{MC23532012,") and "number = {MC/2353}" in bib


def test_a_citation_given_its_publishers_reads_nothing_more(document, django_assert_num_queries):
    """The council document reads its publishers' names with its own query and hands them over: with
    neither authors nor publishers, the citation still asks the database nothing."""
    document.authors = ""
    with django_assert_num_queries(0):
        text = citations.formatted(document, "https://portal.example/en/documents/mc-2353/", publishers=[])
    assert text.startswith(" (2012).") and text.endswith("MC/2353. https://portal.example/en/documents/mc-2353/")


def test_drafts_have_no_citation(client, handbook):
    handbook.state = "draft"
    handbook.save()
    assert client.get("/en/publications/labour-migration-handbook/citation.ris").status_code == 404


def test_atom_feeds_one_per_language_list_only_published(client, handbook):
    PublicationFactory(title_es="Borrador", title_en="Draft", state="draft")
    InitiativeFactory(title_es="Retorno voluntario", title_en="Voluntary return")
    for path, title in [
        ("/es/publicaciones/novedades.atom", "Manual de migración laboral"),
        ("/en/publications/feed.atom", "Labour migration handbook"),
        ("/es/iniciativas/novedades.atom", "Retorno voluntario"),
        ("/en/initiatives/feed.atom", "Voluntary return"),
    ]:
        response = client.get(path)
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == path[1:3]
        titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
        assert titles == [title]
        for entry in feed.iter(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")


def test_sitemap_lists_every_public_page_in_both_languages_with_alternates(client, handbook, document, delegate_a):
    initiative = InitiativeFactory(slug_es="retorno", slug_en="return")
    InitiativeFactory(slug_es="borrador", slug_en="draft", state="draft")
    paragraph = document.paragraphs.get(number=29)
    comment = Comment.objects.create(
        author=delegate_a,
        member_state=delegate_a.delegate.member_state,
        paragraph=paragraph,
        language="es",
        body="De acuerdo.",
        status="approved",
    )
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urlset = ET.fromstring(response.content)
    entries = {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        for url in urlset.iter(f"{SITEMAP}url")
    }
    base = "http://testserver"
    assert entries[f"{base}/es/iniciativas/retorno/"] == {
        "es": f"{base}/es/iniciativas/retorno/",
        "en": f"{base}/en/initiatives/return/",
    }
    assert f"{base}/en/initiatives/return/" in entries
    assert f"{base}/es/iniciativas/borrador/" not in entries
    assert f"{base}/en/publications/labour-migration-handbook/" in entries
    assert f"{base}/es/documentos/mc-2353/" in entries
    assert f"{base}/en/comments/{comment.pk}/" in entries
    assert f"{base}/es/glosario/" in entries and f"{base}/en/" in entries
    for location in entries:
        assert client.get(location.removeprefix(base)).status_code == 200, location
    assert initiative.pk


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /es/cuenta/" in text and "Disallow: /en/account/" in text


def test_pages_carry_canonical_open_graph_and_description(client, handbook):
    html = client.get("/es/publicaciones/manual-migracion-laboral/?utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/es/publicaciones/manual-migracion-laboral/">' in html
    assert '<meta property="og:title" content="Manual de migración laboral">' in html
    assert '<meta property="og:description" content="Descripción.">' in html
    assert '<meta property="og:locale" content="es_ES">' in html
    assert 'type="application/atom+xml"' in html
    home = client.get("/en/").content.decode()
    assert '<meta property="og:url" content="http://testserver/en/">' in home
    assert '<meta name="description" content="' in home
