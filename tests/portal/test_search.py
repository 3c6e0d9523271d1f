"""Search: both languages, accents and case, acronyms, operators, only what is public, facets, pages."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH, MAX_CACHED_STATEMENT_PARAMS

from initiatives.models import Comment, Initiative, Paragraph, Publication, Theme
from portal.models import SEARCH_CONFIGS
from portal.search import fill, ranking_query, search
from portal.views import narrowed
from tests.factories import InitiativeFactory, PublicationFactory, TermFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def found(response):
    return [hit.title for hit in response.context["page_obj"]]


@pytest.fixture
def content(document, delegate_a):
    labour = ThemeFactory(code="labour-migration", name_es="Migración laboral", name_en="Labour migration")
    diaspora = ThemeFactory(code="diaspora", name_es="Diáspora", name_en="Diaspora")
    gfmd = TermFactory(
        key="gfmd",
        term_es="Foro Mundial sobre Migración y Desarrollo",
        acronym_es="FMMD",
        term_en="Global Forum on Migration and Development",
        acronym_en="GFMD",
    )
    ohchr = TermFactory(
        key="ohchr",
        term_es="Alto Comisionado para los Derechos Humanos",
        acronym_es="ACNUDH",
        term_en="Office of the High Commissioner for Human Rights",
        acronym_en="OHCHR",
    )
    ohchr.variants.create(language="es", text="OACDH")
    InitiativeFactory(
        title_es="Movilización de la diáspora",
        title_en="Mobilizing the diaspora",
        summary_es="<p>La <strong>migración</strong> y la diáspora en el desarrollo.</p>",
        summary_en="<p>Migration and the diaspora in development.</p>",
        themes=[diaspora],
    )
    InitiativeFactory(
        title_es="Apoyo a la presidencia del FMMD",
        title_en="Support to the GFMD chair",
        summary_es="<p>Reuniones del FMMD.</p>",
        summary_en="<p>GFMD meetings.</p>",
        themes=[labour],
    )
    InitiativeFactory(
        title_es="Informe del OACDH",
        title_en="OHCHR report",
        summary_es="<p>Trabajo con el ACNUDH.</p>",
        summary_en="<p>Work with OHCHR.</p>",
    )
    InitiativeFactory(title_es="Migración en borrador", title_en="Draft migration", state="draft")
    publication = PublicationFactory(
        title_es="Manual de migración laboral",
        title_en="Labour migration handbook",
        description_es="<p>Contratación ética.</p>",
        description_en="<p>Ethical recruitment.</p>",
    )
    publication.themes.set([labour])
    paragraph = Paragraph.objects.get(document=document, number=29)
    paragraph.text_es = "Las remesas de la diáspora son flujos privados."
    paragraph.text_en = "Diaspora remittances are private flows."
    paragraph.save()
    state = delegate_a.delegate.member_state
    Comment.objects.create(
        author=delegate_a,
        member_state=state,
        paragraph=paragraph,
        language="es",
        body="Proponemos mencionar las remesas digitales.",
        status="approved",
    )
    Comment.objects.create(
        author=delegate_a,
        member_state=state,
        paragraph=paragraph,
        language="es",
        body="Un comentario pendiente sobre remesas.",
        status="pending",
    )
    return {"gfmd": gfmd, "ohchr": ohchr}


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/es/buscar/", "migracion", "Movilización de la diáspora"),
        ("/es/buscar/", "DIASPORA", "Movilización de la diáspora"),
        ("/es/buscar/", "MIGRACIÓN", "Manual de migración laboral"),
        ("/en/search/", "DIASPORA", "Mobilizing the diaspora"),
        ("/en/search/", "migrations", "Labour migration handbook"),
    ],
)
def test_accents_and_case_do_not_matter(client, content, path, query, expected):
    assert expected in found(client.get(path, {"q": query}))


def test_spanish_site_uses_spanish_stemming_and_english_site_english(client, content):
    assert "Manual de migración laboral" in found(client.get("/es/buscar/", {"q": "migraciones"}))
    assert found(client.get("/en/search/", {"q": "migraciones"})) == []


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        (
            "/es/buscar/",
            "GFMD",
            {"Apoyo a la presidencia del FMMD", "Foro Mundial sobre Migración y Desarrollo (FMMD)"},
        ),
        ("/en/search/", "fmmd", {"Support to the GFMD chair", "Global Forum on Migration and Development (GFMD)"}),
        ("/en/search/", "OACDH", {"OHCHR report", "Office of the High Commissioner for Human Rights (OHCHR)"}),
    ],
)
def test_acronyms_in_either_language_find_the_entity(client, content, path, query, expected):
    assert expected <= set(found(client.get(path, {"q": query})))


def test_ohchr_finds_both_spanish_forms(client, content):
    response = client.get("/es/buscar/", {"q": "OHCHR"})
    assert "Informe del OACDH" in found(response)
    snippets = " ".join(str(hit.snippet) for hit in response.context["page_obj"])
    assert "<mark>ACNUDH</mark>" in snippets


def test_only_published_content_and_approved_comments_are_found(client, content):
    es = client.get("/es/buscar/", {"q": "migración"})
    assert "Migración en borrador" not in found(es)
    remittances = client.get("/es/buscar/", {"q": "remesas"})
    kinds = [hit.kind for hit in remittances.context["page_obj"]]
    assert kinds.count("comment") == 1
    assert "pendiente" not in remittances.content.decode()
    assert "digitales" in remittances.content.decode()


def test_an_unpublished_documents_paragraphs_and_comments_are_not_found_or_counted(client, content, document):
    assert client.get("/es/buscar/", {"q": "remesas"}).context["results"].kind_counts["paragraph"] > 0
    document.state = "draft"
    document.save()
    response = client.get("/es/buscar/", {"q": "remesas"})
    assert found(response) == []
    counts = response.context["results"].kind_counts
    assert counts["paragraph"] == counts["comment"] == 0


def test_comments_are_found_only_while_their_target_is_public(client, delegate_a):
    """Ranking checks a comment's target against what is hidden now, kept per content generation: a
    draft, a withdrawn publication, a scheduled initiative until its date falls due (with no save)."""
    import time

    state = delegate_a.delegate.member_state

    def comment(**target):
        Comment.objects.create(
            author=delegate_a, member_state=state, language="en", status="approved", body="On tariffs.", **target
        )

    draft = InitiativeFactory(title_en="Draft", state="draft")
    withdrawn = PublicationFactory(title_en="Withdrawn", unpublish_at=timezone.now() - timedelta(days=1))
    soon = InitiativeFactory(title_en="Soon", publish_at=timezone.now() + timedelta(seconds=2))
    shown = InitiativeFactory(title_en="Shown")
    for target in ({"initiative": draft}, {"publication": withdrawn}, {"initiative": soon}, {"initiative": shown}):
        comment(**target)

    def targets():
        return sorted(title.rsplit(" on ", 1)[1] for title in found(client.get("/en/search/", {"q": "tariffs"})))

    assert targets() == ["Shown"]
    time.sleep(2.2)  # the scheduled date falls due: nothing is saved
    assert targets() == ["Shown", "Soon"]
    draft.state = "published"
    draft.save()
    assert targets() == ["Draft", "Shown", "Soon"]
    shown.unpublish_at = timezone.now() - timedelta(seconds=1)
    shown.save()
    assert targets() == ["Draft", "Soon"]


def test_snippets_are_highlighted_and_escaped(client, content):
    InitiativeFactory(title_es="Cifras", summary_es="<p>Migración &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    html = client.get("/es/buscar/", {"q": "migracion"}).content.decode()
    assert "<mark>migración</mark>" in html.lower()
    assert "<script>alert" not in html


FILLER = "Los Estados Miembros examinaron los informes anuales de la Organización con detenimiento. " * 20


def snippet_of(language, query):
    with translation.override(language):
        results = search(query, language)
        (hit,) = [hit for hit in fill(results.matches, query, language, results.forms) if hit.kind == "publication"]
    return str(hit.snippet)


@pytest.mark.parametrize(
    ("language", "written", "query"),
    [
        ("es", "Diálogo", "dialogo"),  # the stem as written, but for its case and accent
        ("es", "FMMD", "GFMD"),  # an acronym's other form
        ("en", "country", "country"),  # a stem not written as such ("countri"): the whole text is read
    ],
)
def test_a_long_texts_snippet_shows_its_late_match_highlighted(client, language, written, query):
    """A long text's snippet is cut from the part around its first match (see the migration
    portal/0003_search_snippet_source), from a word's start to a word's end: the match shows however
    far into the text it is."""
    TermFactory(term_es="Foro Mundial sobre Migración y Desarrollo", acronym_es="FMMD", acronym_en="GFMD")
    description = f"<p>{FILLER}</p><p>Al final, el {written} de <em>2013</em> y sus resultados.</p><p>{FILLER}</p>"
    PublicationFactory(**{f"description_{language}": description})
    snippet = snippet_of(language, query)
    assert f"<mark>{written}</mark>" in snippet
    assert "<em>" not in snippet and len(snippet) < len(description) / 3
    words = re.findall(r"\w+", snippet.replace("<mark>", "").replace("</mark>", ""))
    assert set(words) <= set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", description)))  # whole words only
    with connection.cursor() as cursor:  # what ts_headline reads: the part around the match, or all when not found
        cursor.execute(
            "SELECT search_snippet_source(%s, tsvector_to_array(to_tsvector(%s::regconfig, %s)), 600)",
            [description, SEARCH_CONFIGS[language], " ".join([query, *search(query, language).forms])],
        )
        (source,) = cursor.fetchone()
    plain = re.sub(r"<[^>]+>", " ", description)
    if written == query:
        assert source == plain
    else:  # whole words around the match
        start = plain.index(source)
        assert written in source and len(source) <= 600 and plain[start - 1] == plain[start + len(source)] == " "


@pytest.mark.django_db
def test_a_stem_with_other_characters_than_letters_is_found_as_written():
    """A stem such as a web address ("www.iom.int") is matched as written: its dots are escaped in the
    expression that finds it, and only match a dot."""
    text = f"<p>{FILLER}</p><p>Véase www.iom.int para más.</p><p>{FILLER}</p>"
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_snippet_source(%s, ARRAY['www.iom.int'], 600)", [text])
        (found,) = cursor.fetchone()
        assert "www.iom.int" in found and len(found) <= 600
        cursor.execute("SELECT search_snippet_source(%s, ARRAY['wwwxiomxint'], 600)", [text])
        assert len(cursor.fetchone()[0]) > 600  # not found: the whole text
        cursor.execute("SELECT search_snippet_source(%s, ARRAY['www.iom.int'], 600)", [text.replace("www.", "wwwx")])
        assert len(cursor.fetchone()[0]) > 600  # a dot matches a dot only


def test_a_short_texts_snippet_reads_it_whole(client):
    PublicationFactory(description_es="<p>Primero <b>la</b> salud, luego el diálogo y por último la salud.</p>")
    snippet = " ".join(snippet_of("es", "salud").split())  # a tag leaves a space, which HTML folds
    assert snippet == "Primero la <mark>salud</mark>, luego el diálogo y por último la <mark>salud</mark>"


def test_a_hits_type_title_and_address_are_shown_escaped(client, content):
    initiative = InitiativeFactory(title_es='Cifras <b>y</b> "datos" & retornos', summary_es="<p>Retornos.</p>")
    html = client.get("/es/buscar/", {"q": "retornos"}).content.decode()
    hit = html.split('<ol class="results" start="1">\n')[1].split("</ol>")[0]
    assert hit == (
        '  <li><p class="meta">Iniciativa</p>\n'
        f'    <h2><a href="{initiative.get_absolute_url()}">'
        "Cifras &lt;b&gt;y&lt;/b&gt; &quot;datos&quot; &amp; retornos</a></h2>\n"
        '    <p class="snippet"><mark>Retornos</mark></p></li>\n'
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 2000,
        '"migración',
        "50%",
        "_",
        "a & b",
        "a | b",
        "!migración",
        "migr:*",
        "(",
        "')--",
        "\\",
        "\x00",
    ],
)
def test_operator_characters_never_break_the_page(client, content, query):
    for path in ("/es/buscar/", "/en/search/"):
        assert client.get(path, {"q": query}).status_code == 200


def test_stop_words_alone_find_nothing_without_error(client, content):
    response = client.get("/es/buscar/", {"q": "de la"})
    assert response.status_code == 200 and found(response) == []


def test_counts_by_type_and_theme_filter_when_followed(client, content):
    response = client.get("/es/buscar/", {"q": "migración"})
    counts = {code: count for code, _label, count, _address in response.context["kinds"]}
    assert counts["initiative"] == 1 and counts["publication"] == 1 and counts["term"] == 1
    themes = {theme.code: count for theme, count in response.context["results"].theme_counts}
    assert themes == {"labour-migration": 1, "diaspora": 1}
    html = response.content.decode()
    assert 'href="?q=migraci%C3%B3n&amp;kind=publication"' in html
    only_publications = client.get("/es/buscar/", {"q": "migración", "kind": "publication"})
    assert found(only_publications) == ["Manual de migración laboral"]
    labour = client.get("/es/buscar/", {"q": "migración", "theme": "labour-migration"})
    assert found(labour) == ["Manual de migración laboral"]
    # a theme narrows the results and the counts by type, never the counts by theme
    labour_counts = {code: count for code, _label, count, _address in labour.context["kinds"]}
    assert labour_counts == {"initiative": 0, "publication": 1, "term": 0, "paragraph": 0, "comment": 0}
    assert {theme.code: count for theme, count in labour.context["results"].theme_counts} == themes
    assert [theme.name for theme, _count in labour.context["results"].theme_counts] == ["Diáspora", "Migración laboral"]


def test_the_links_by_type_and_theme_keep_the_other_words_in_place_and_start_at_page_one(client, content):
    html = client.get("/es/buscar/?theme=diaspora&q=migraci%C3%B3n&kind=publication&page=1").content.decode()
    assert 'href="?theme=diaspora&amp;q=migraci%C3%B3n"' in html  # every type
    assert 'href="?theme=diaspora&amp;q=migraci%C3%B3n&amp;kind=initiative"' in html
    assert 'href="?q=migraci%C3%B3n&amp;kind=publication"' in html  # every theme
    assert 'href="?theme=labour-migration&amp;q=migraci%C3%B3n&amp;kind=publication"' in html
    assert "page=" not in html.split('class="search-facets"')[1].split("</nav>")[0]
    html = client.get("/es/buscar/", {"q": "migración"}).content.decode()
    assert 'href="?q=migraci%C3%B3n&amp;theme=diaspora"' in html
    facets = html.split('class="search-facets"')[1].split("</nav>")[0]
    for chosen in ("Todos los tipos", "Todos los temas"):
        assert f'<li><span aria-current="true">{chosen}</span></li>' in facets
    assert "<h2>Por tipo</h2>" in facets and "<h2>Por tema</h2>" in facets
    assert "<li><span>Comentarios (0)</span></li>" in facets  # nothing to narrow to
    html = client.get("/en/search/", {"q": "migration", "kind": "initiative"}).content.decode()
    facets = html.split('class="search-facets"')[1].split("</nav>")[0]
    assert '<li><a href="?q=migration">All types</a></li>' in facets
    assert '<li><span aria-current="true">Initiatives (1)</span></li>' in facets


def test_counts_by_theme_follow_an_edit_at_once(client, content):
    """The themes' counts come from each theme's items kept per content generation: a new link counts at
    once, and a draft's never does."""

    def theme_counts(**narrowed):
        response = client.get("/es/buscar/", {"q": "migración", **narrowed})
        return {theme.code: count for theme, count in response.context["results"].theme_counts}

    assert theme_counts() == {"labour-migration": 1, "diaspora": 1}
    labour, diaspora = Theme.objects.get(code="labour-migration"), Theme.objects.get(code="diaspora")
    Initiative.objects.get(title_es="Migración en borrador").themes.set([labour, diaspora])
    assert theme_counts() == {"labour-migration": 1, "diaspora": 1}
    Initiative.objects.get(title_es="Movilización de la diáspora").themes.add(labour)
    assert theme_counts() == {"labour-migration": 2, "diaspora": 1}
    assert theme_counts(theme="diaspora") == {"labour-migration": 2, "diaspora": 1}
    Publication.objects.get(title_es="Manual de migración laboral").themes.clear()
    assert theme_counts(theme="labour-migration") == {"labour-migration": 1, "diaspora": 1}


def test_results_are_paginated(client, content):
    for number in range(25):
        InitiativeFactory(title_es=f"Retorno {number}", summary_es="<p>Retorno voluntario.</p>")
    first = client.get("/es/buscar/", {"q": "retorno"})
    assert len(found(first)) == 20 and first.context["paginator"].count == 25
    assert 'href="?q=retorno&amp;page=2"' in first.content.decode()
    second = client.get("/es/buscar/", {"q": "retorno", "page": 2})
    assert len(found(second)) == 5
    assert client.get("/es/buscar/", {"q": "retorno", "page": "nonsense"}).status_code == 200


def test_search_reads_the_stored_vectors_with_a_bounded_number_of_queries(
    client, content, django_assert_max_num_queries
):
    for number in range(30):
        InitiativeFactory(title_es=f"Retorno {number}", summary_es="<p>Retorno voluntario.</p>")
    with django_assert_max_num_queries(20):
        client.get("/es/buscar/", {"q": "retorno"})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes"
            " WHERE tablename = 'initiatives_initiative' AND indexdef LIKE '%%gin (search%%'"
        )
        assert len(cursor.fetchall()) == 2


def test_a_pages_hits_read_only_their_titles_and_addresses(client, content, delegate_a):
    """The page's rows bring the columns of their titles and addresses, not the stored vectors nor the
    bodies (the snippet is made in PostgreSQL), and a comment's the title of its target, whatever it is,
    in the same query."""
    state = delegate_a.delegate.member_state
    for target in (
        Initiative.objects.get(title_es="Movilización de la diáspora"),
        Publication.objects.get(title_es="Manual de migración laboral"),
    ):
        Comment.objects.create(
            author=delegate_a,
            member_state=state,
            **{Comment.target_field(target): target},
            language="es",
            body="Las remesas también.",
            status="approved",
        )
    client.get("/es/buscar/", {"q": "remesas"})  # what is kept per content generation is read
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/es/buscar/", {"q": "migración remesas FMMD diáspora OACDH"})
        comments = client.get("/es/buscar/", {"q": "remesas", "kind": "comment"})
    assert response.status_code == 200
    assert sorted(found(comments)) == [
        "Comentario de México sobre MC/2353, párrafo 29",
        "Comentario de México sobre Manual de migración laboral",
        "Comentario de México sobre Movilización de la diáspora",
    ]
    read = [query["sql"] for query in captured.captured_queries if "initiatives_" in query["sql"]]
    filled = [sql for sql in read if "ts_headline" in sql]
    assert {re.search(r'FROM "(\w+)"', sql)[1] for sql in filled} >= {"initiatives_comment"}
    assert len(read) == len(filled) + 2  # one ranking query a search, then one query a kind on its page
    for sql in filled:
        selected = sql.split("ts_headline(")[0]  # the columns read, before the snippet made of one
        assert not re.search(r'\."(search_es|search_en|body(_es|_en)?|summary(_es|_en)?|text(_es|_en)?)"', selected)


def test_a_match_that_stops_being_public_before_its_page_is_read_is_left_out(client):
    """Ranking and reading the page's rows are two queries: an item unpublished between them (its date
    falls due) is left out of the page, not an error."""
    kept = InitiativeFactory(title_en="Remittances kept", summary_en="<p>Remittances.</p>")
    gone = InitiativeFactory(title_en="Remittances gone", summary_en="<p>Remittances.</p>")
    with translation.override("en"):
        results = search("remittances", "en")
        assert sorted(key for _place, key, _rank in results.matches) == sorted([kept.pk, gone.pk])
        Initiative.objects.filter(pk=gone.pk).update(unpublish_at=timezone.now())
        hits = fill(results.matches, "remittances", "en", results.forms)
        assert [(hit.title, hit.url) for hit in hits] == [(kept.title_en, kept.get_absolute_url())]
    assert "<mark>Remittances</mark>" in hits[0].snippet


def test_a_very_common_word_ranks_the_newest_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr("portal.search.RANKED_PER_KIND", 2)
    monkeypatch.setattr("portal.views.RANKED_PER_KIND", 2)
    best = InitiativeFactory(title_en="Remittances, remittances, remittances", summary_en="<p>Remittances.</p>")
    for number in range(2):
        InitiativeFactory(title_en=f"Older {number}", summary_en="<p>A word on remittances.</p>")
    better = InitiativeFactory(title_en="Remittances sent home", summary_en="<p>Remittances.</p>")
    InitiativeFactory(title_en="Newest", summary_en="<p>A word on remittances.</p>")
    response = client.get("/en/search/?q=remittances")
    # the newest two, the better match first; the best match is older than both
    assert found(response) == [better.title_en, "Newest"] and best.title_en not in found(response)
    html = response.content.decode()
    assert "Initiatives (2+)" in html
    assert "each type lists its 2 most recent matches, best first" in html


def test_a_rarer_word_ranks_all_its_matches(client, monkeypatch):
    monkeypatch.setattr("portal.search.RANKED_PER_KIND", 4)
    best = InitiativeFactory(title_en="Remittances, remittances, remittances", summary_en="<p>Remittances.</p>")
    for number in range(2):
        InitiativeFactory(title_en=f"Newer {number}", summary_en="<p>A word on remittances.</p>")
    response = client.get("/en/search/?q=remittances")
    assert found(response)[0] == best.title_en
    assert "most recent" not in response.content.decode()


def test_the_kept_querysets_hold_no_moment_of_their_own(client, content):
    """`public_rows()` builds each kind's public rows once per process: what is public is still decided
    when each search runs."""
    assert found(client.get("/en/search/", {"q": "resettlement"})) == []
    soon = InitiativeFactory(title_en="Resettlement", publish_at=timezone.now() + timedelta(seconds=2))
    assert found(client.get("/en/search/", {"q": "resettlement"})) == []
    soon.publish_at = timezone.now() - timedelta(seconds=1)
    soon.save()
    assert found(client.get("/en/search/", {"q": "resettlement"})) == ["Resettlement"]
    soon.unpublish_at = timezone.now() - timedelta(microseconds=1)
    soon.save()
    assert found(client.get("/en/search/", {"q": "resettlement"})) == []


def test_searches_of_one_shape_share_one_compiled_query_and_keep_their_own_words(client, content):
    ranking_query.cache_clear()
    diaspora = found(client.get("/es/buscar/", {"q": "diáspora"}))
    remittances = found(client.get("/es/buscar/", {"q": "remesas"}))
    assert "Movilización de la diáspora" in diaspora and "Movilización de la diáspora" not in remittances
    assert "Movilización de la diáspora" in found(client.get("/es/buscar/", {"q": "DIASPORA"}))
    assert ranking_query.cache_info().misses == 1 and ranking_query.cache_info().hits == 2
    labour = client.get("/es/buscar/", {"q": "migración", "theme": "labour-migration"})
    other = client.get("/es/buscar/", {"q": "migración", "theme": "diaspora"})
    assert found(labour) == ["Manual de migración laboral"] and found(other) == ["Movilización de la diáspora"]
    with_forms = found(client.get("/es/buscar/", {"q": "GFMD"}))  # one acronym form more: another shape
    assert sorted(with_forms) == ["Apoyo a la presidencia del FMMD", "Foro Mundial sobre Migración y Desarrollo (FMMD)"]
    assert ranking_query.cache_info().misses == 3


@pytest.mark.parametrize("forms", [0, 1, 2])
def test_the_ranking_query_sends_each_value_once_and_stays_within_psycopgs_kept_conversions(forms):
    """Every kind's part repeats the words, the forms and the moment: each is one named parameter, and a
    search with up to two acronym forms stays under the length and the number of parameters up to which
    psycopg keeps a query's conversion (an acronym's search had 59 parameters, and psycopg split the whole
    query again on each search)."""
    sql, params = ranking_query("es", forms, False, 200)
    slots = [value for value in params.values() if isinstance(value, str) and value.startswith("\u0002")]
    assert len(slots) == len(set(slots)) == 1 + forms + 3  # the words, each form, the three kinds of hidden keys
    assert sum(isinstance(value, datetime) for value in params.values()) == 1
    assert len(params) <= MAX_CACHED_STATEMENT_PARAMS and len(sql.encode()) <= MAX_CACHED_STATEMENT_LENGTH
    assert re.findall(r"%\((\d+)\)s", sql) and not re.search(r"%s", sql)


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["initiatives_initiative", "initiatives_comment", "glossary_term"])
def test_the_search_vectors_stay_in_the_rows(table):
    """A long item's text may go to PostgreSQL's side table (TOAST), its search vectors may not: ranking
    would fetch them from there, one lookup per ranked row. Reading each vector's storage is the test:
    'm' (kept in the row) for both languages, with rows of up to 8 kB before anything is moved out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname LIKE 'search_%%'",
            [table],
        )
        assert dict(cursor.fetchall()) == {"search_es": "m", "search_en": "m"}
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [table])
        assert cursor.fetchone()[0] == ["toast_tuple_target=8160"]


@pytest.mark.django_db
def test_a_long_initiative_keeps_its_vectors_in_its_row():
    """Its body goes to the side table; the vectors, a few kB together, stay: the side table grows by the
    bodies' bytes only."""
    words = " ".join(f"palabra{index} word{index * 7}" for index in range(150))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'initiatives_initiative'")
        (side_table,) = cursor.fetchone()
        cursor.execute(f"SELECT coalesce(sum(length(chunk_data)), 0) FROM {side_table}")
        (before,) = cursor.fetchone()
        initiative = InitiativeFactory(body_es=f"<p>{words} {'x' * 9000}</p>", body_en=f"<p>{words}</p>")
        cursor.execute(f"SELECT coalesce(sum(length(chunk_data)), 0) FROM {side_table}")
        (after,) = cursor.fetchone()
        cursor.execute(
            "SELECT pg_column_size(search_es) + pg_column_size(search_en) FROM initiatives_initiative WHERE id = %s",
            [initiative.pk],
        )
        (vectors,) = cursor.fetchone()
    assert vectors > 3000 and after - before < vectors
    assert after > before  # the long body did go out


def link_spec(pairs, name, value):
    """A search link's query, as a reader expects it: the first `name` pair takes `value` (or `name` goes
    at the end), the other `name` pairs go; `value=None` drops `name`."""
    changed, placed = [], value is None
    for key, current in pairs:
        if key != name:
            changed.append((key, current))
        elif not placed:
            changed.append((key, value))
            placed = True
    if not placed:
        changed.append((name, value))
    return f"?{urlencode(changed)}"


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.sampled_from(["q", "kind", "theme", "ñ &="]), st.text(max_size=6)), max_size=5),
    name=st.sampled_from(["kind", "theme"]),
    values=st.lists(st.text(min_size=1, max_size=6), max_size=4, unique=True),
)
def test_a_search_links_queries_are_the_pages_own_with_one_choice_changed(pairs, name, values):
    links = narrowed(pairs, name, values)
    assert links == {value: link_spec(pairs, name, value) for value in [None, *values]}
