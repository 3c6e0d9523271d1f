"""Glossary terms in the text of initiatives, publications and the council document link to their entry."""

import pytest

from glossary.linking import link_terms
from initiatives.models import Paragraph
from tests.factories import InitiativeFactory, PublicationFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_acronyms_link_with_their_expansion_in_the_readers_language(client, terms):
    initiative = InitiativeFactory(
        summary_es="<p>La OIM y el OACDH hablan de remesas. La OIM otra vez.</p>",
        summary_en="<p>IOM and OHCHR on remittances.</p>",
    )
    spanish = client.get(f"/es/iniciativas/{initiative.slug_es}/").content.decode()
    assert (
        '<a class="glossary-link" href="/es/glosario/oim/">'
        '<abbr title="Organización Internacional para las Migraciones">OIM</abbr></a>' in spanish
    )
    assert '<abbr title="Alto Comisionado para los Derechos Humanos">OACDH</abbr>' in spanish
    assert '<a class="glossary-link" href="/es/glosario/remesas/">remesas</a>' in spanish
    assert "La OIM otra vez" in spanish  # the first occurrence links, the rest read plainly
    english = client.get(f"/en/initiatives/{initiative.slug_en}/").content.decode()
    assert '<a class="glossary-link" href="/en/glossary/iom/">' in english
    assert '<a class="glossary-link" href="/en/glossary/remittances/">remittances</a>' in english


def test_links_skip_existing_links_partial_words_other_cases_and_drafts(terms):
    html = (
        '<p><a href="https://www.iom.int">OIM</a> OIMS oim BRR</p>'
        "<h3>OIM</h3><p>remesas-digitales e <em>Remesas</em></p>"
    )
    linked = link_terms(html, "es")
    assert '<a href="https://www.iom.int">OIM</a> OIMS oim BRR' in linked
    assert "<h3>OIM</h3>" in linked
    assert "remesas-digitales" in linked
    assert '<em><a class="glossary-link" href="/es/glosario/remesas/">Remesas</a></em>' in linked


def test_council_document_paragraphs_link_terms_without_breaking_footnotes(client, terms, document):
    paragraph = Paragraph.objects.get(document=document, number=29)
    paragraph.text_es = "La OIM[^1] apoya el envío de remesas."
    paragraph.text_en = "IOM[^1] supports remittances."
    paragraph.save()
    html = client.get("/es/documentos/mc-2353/").content.decode()
    assert '<abbr title="Organización Internacional para las Migraciones">OIM</abbr></a><sup class="fn-ref">' in html
    both = client.get("/es/documentos/mc-2353/?view=both").content.decode()
    assert '<a class="glossary-link" href="/en/glossary/iom/"><abbr title="International Organization' in both


def test_publication_descriptions_link_terms(client, terms):
    publication = PublicationFactory(description_es="<p>Un informe del ACNUDH.</p>")
    html = client.get(f"/es/publicaciones/{publication.slug_es}/").content.decode()
    assert 'href="/es/glosario/acnudh/"><abbr' in html


def test_linking_costs_no_query_per_occurrence(terms, django_assert_num_queries):
    text = "<p>" + " ".join(["La OIM, el ACNUDH y las remesas."] * 50) + "</p>"
    # building the language's link table: one query, variants included
    with django_assert_num_queries(1):
        link_terms(text, "es")
    with django_assert_num_queries(0):
        for _ in range(20):
            link_terms(text, "es")


def test_changing_a_term_refreshes_the_table(terms):
    assert "glosario/oim/" in link_terms("<p>OIM</p>", "es")
    TermFactory(term_es="Diáspora", term_en="Diaspora", slug_es="diaspora", slug_en="diaspora")
    assert "glosario/diaspora/" in link_terms("<p>la diáspora</p>", "es")


def test_the_council_documents_paragraphs_kept_linked_follow_a_new_term(client, terms, document):
    paragraph = Paragraph.objects.get(document=document, number=29)
    paragraph.text_es = "La diáspora[^1] envía remesas."
    paragraph.save()
    before = client.get("/es/documentos/mc-2353/").content.decode()
    assert "La diáspora<sup" in before and "glosario/diaspora/" not in before
    TermFactory(term_es="Diáspora", term_en="Diaspora", slug_es="diaspora", slug_en="diaspora")
    after = client.get("/es/documentos/mc-2353/").content.decode()
    assert '<a class="glossary-link" href="/es/glosario/diaspora/">diáspora</a><sup class="fn-ref">' in after
