import random
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone, translation

from initiatives.filters import CodeChoiceField, InitiativeFilter, PublicationFilter
from initiatives.models import Initiative, Participation, Publication, Region
from tests.factories import (
    InitiativeFactory,
    OrganizationFactory,
    ParticipationFactory,
    PublicationFactory,
    RegionFactory,
    TermFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
SEED = 2353  # the random filter tests draw the same items on every run


def titles(response):
    return sorted(item.title for item in response.context["page_obj"])


@pytest.mark.parametrize(
    ("path", "heading"), [("/es/iniciativas/", "Iniciativas"), ("/en/initiatives/", "Initiatives")]
)
def test_initiative_list_in_both_languages(client, path, heading):
    InitiativeFactory(title_es="Perfiles migratorios", title_en="Migration profiles")
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert ("Perfiles migratorios" if path.startswith("/es/") else "Migration profiles") in html


def test_cards_name_themes_and_publishers_in_the_page_language(client):
    """Read in the list's own query, not from model instances: the English falls back to Spanish
    where it is empty, as everywhere else, and an organization without an acronym shows its name."""
    second = ThemeFactory(name_es="Remesas", name_en="Remittances", order=2)
    first = ThemeFactory(name_es="Datos", name_en="", order=1)
    InitiativeFactory(themes=[second, first])
    unnamed = OrganizationFactory(acronym_es="", acronym_en="", name_es="Banco Mundial", name_en="World Bank")
    acronym = OrganizationFactory(acronym_es="OIM", acronym_en="IOM", name_es="Zeta", name_en="Zeta")
    PublicationFactory().publishers.add(unnamed, acronym)

    def tags(html):
        return [tag.split("</span>")[0] for tag in html.split('<span class="tag">')[1:]]

    assert tags(client.get("/es/iniciativas/").content.decode()) == ["Datos", "Remesas"]
    assert tags(client.get("/en/initiatives/").content.decode()) == ["Datos", "Remittances"]
    assert "· Banco Mundial, OIM</p>" in client.get("/es/publicaciones/").content.decode()
    assert "· World Bank, IOM</p>" in client.get("/en/publications/").content.decode()


def test_filter_menus_are_in_the_page_language_and_its_alphabetical_order(client):
    OrganizationFactory(code="zz", name_es="Agencia", name_en="Zeta agency")
    OrganizationFactory(code="aa", name_es="Zona", name_en="Alpha office")
    OrganizationFactory(code="pp", name_es="Programa", name_en="")  # no English yet: the Spanish name

    def organizations(html):
        menu = html.split('name="organization"')[1].split("</select>")[0]
        return [option.split(">")[1] for option in menu.split("<option")[2:]]

    assert organizations(client.get("/es/iniciativas/").content.decode()) == [
        "Agencia</option",
        "Programa</option",
        "Zona</option",
    ]
    assert organizations(client.get("/en/initiatives/").content.decode()) == [
        "Alpha office</option",
        "Programa</option",
        "Zeta agency</option",
    ]


def test_filter_menus_follow_an_edit_at_once(client):
    """The menus are kept per content generation: saving a theme moves it."""
    theme = ThemeFactory(code="labour", name_en="Labour")
    assert '<option value="labour">Labour</option>' in client.get("/en/initiatives/").content.decode()
    theme.name_en = "Labour mobility"
    theme.save()
    html = client.get("/en/initiatives/").content.decode()
    assert '<option value="labour">Labour mobility</option>' in html
    assert '<option value="labour">Labour mobility</option>' in client.get("/en/publications/").content.decode()


def test_filter_codes_follow_an_edit_at_once(client, django_assert_num_queries):
    """A theme, organization or region code is checked against a table kept per content generation:
    a new code works at once, a changed one stops working at once, and a known one costs no query."""
    theme = ThemeFactory(code="labour")
    InitiativeFactory(title_es="Con tema", themes=[theme])
    assert titles(client.get("/es/iniciativas/?theme=labour")) == ["Con tema"]
    assert client.get("/es/iniciativas/?theme=data").status_code == 400
    ThemeFactory(code="data")
    assert client.get("/es/iniciativas/?theme=data").status_code == 200
    theme.code = "mobility"
    theme.save()
    assert client.get("/es/iniciativas/?theme=labour").status_code == 400
    assert titles(client.get("/es/iniciativas/?theme=mobility")) == ["Con tema"]
    region = RegionFactory(code="andes")
    client.get("/es/iniciativas/?region=andes")
    with django_assert_num_queries(0):
        assert CodeChoiceField(model=Region).clean("andes").pk == region.pk


def test_filters_combine_and_stay_in_the_url(client):
    labour, data = ThemeFactory(code="labour"), ThemeFactory(code="data")
    iom = OrganizationFactory(code="iom")
    region = RegionFactory(code="west-africa")
    match = InitiativeFactory(title_es="A", countries=["MX", "PE"], start_year=2010, end_year=2013, themes=[labour])
    match.regions.add(region)
    ParticipationFactory(initiative=match, organization=iom)
    InitiativeFactory(title_es="B", countries=["MX"], start_year=2010, themes=[data])  # other theme
    InitiativeFactory(title_es="C", countries=["ES"], start_year=2010, themes=[labour])  # other country
    InitiativeFactory(title_es="D", countries=["MX"], start_year=2014, themes=[labour])  # too late
    InitiativeFactory(title_es="E", countries=["MX"], start_year=2010, themes=[labour], state="draft")

    response = client.get("/es/iniciativas/?theme=labour&country=MX&year=2012&organization=iom&region=west-africa")
    assert response.status_code == 200
    assert titles(response) == ["A"]
    assert "1 iniciativa" in response.content.decode()

    response = client.get("/es/iniciativas/?theme=labour&country=MX")
    assert titles(response) == ["A", "D"]
    response = client.get("/es/iniciativas/?status=completed")
    assert titles(response) == []


def test_country_filter_matches_whole_codes_only(client):
    InitiativeFactory(title_es="Austria y Chile", countries=["AT", "CL"])
    InitiativeFactory(title_es="Tanzanía", countries=["TZ"])
    assert titles(client.get("/es/iniciativas/?country=TZ")) == ["Tanzanía"]
    assert titles(client.get("/es/iniciativas/?country=CL")) == ["Austria y Chile"]


@pytest.mark.parametrize(
    "query", ["?theme=no-such-theme", "?year=abc", "?status=lost", "?country=XX", "?organization=nobody"]
)
def test_bad_filter_values_give_a_clear_page_not_an_error(client, query):
    InitiativeFactory()
    response = client.get(f"/en/initiatives/{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be understood" in html
    assert list(response.context["page_obj"].object_list) == []


def test_the_whole_list_length_follows_publishing_at_once(client, delegate_a):
    """The length of the unfiltered list is kept per content generation; a signed-in reader has no page
    cache to hide it."""

    def said(query=""):
        html = client.get(f"/en/initiatives/{query}").content.decode()
        return re.search(r'class="result-count"[^>]*>([^<]*)<', html)[1].strip()

    client.force_login(delegate_a)
    InitiativeFactory.create_batch(2)
    draft = InitiativeFactory(state="draft", themes=[ThemeFactory(code="labour")])
    assert said() == "2 initiatives" and said("?page=1") == "2 initiatives"
    draft.state = "published"
    draft.save()
    assert said() == "3 initiatives" and said("?theme=labour") == "1 initiative"
    assert said("?year=abc") == "0 initiatives"


@pytest.mark.parametrize("page", ["999", "abc", "0"])
def test_a_page_past_the_end_is_not_found(client, page):
    InitiativeFactory()
    assert client.get(f"/es/iniciativas/?page={page}").status_code == 404


def test_pagination_keeps_the_filters(client):
    theme = ThemeFactory(code="labour")
    for _ in range(25):
        InitiativeFactory(themes=[theme])
    response = client.get("/en/initiatives/?theme=labour")
    assert len(response.context["page_obj"].object_list) == 20
    assert 'href="?theme=labour&amp;page=2"' in response.content.decode()
    assert len(client.get("/en/initiatives/?theme=labour&page=2").context["page_obj"].object_list) == 5


def test_every_page_lists_the_next_initiatives_in_the_list_order(client, django_assert_num_queries):
    """Pages read their keys and then their rows: the order must survive both steps, in each language
    (ties break on the title in the page's language). The whole list's keys are read once per content
    generation and language; then a page reads its rows only."""
    for number in range(45):
        InitiativeFactory(
            start_year=2000 + number % 4,
            title_es=f"Iniciativa {(number * 7) % 45:02d}",
            title_en=f"Initiative {(number * 11) % 45:02d}",
        )
    InitiativeFactory(start_year=None, title_es="Sin año", title_en="No year")

    def shown(path):
        return [item.pk for page in (1, 2, 3) for item in client.get(f"{path}?page={page}").context["page_obj"]]

    expected = {}
    for language in ("es", "en"):
        with translation.override(language):
            expected[language] = [item.pk for item in Initiative.objects.published()]
    assert expected["es"] != expected["en"]
    assert shown("/es/iniciativas/") == expected["es"] and len(expected["es"]) == 46
    assert shown("/en/initiatives/") == expected["en"]
    client.cookies["sessionid"] = "unknown"  # a session cookie: no page cache
    with django_assert_num_queries(1):  # the page's rows: the keys are kept, and so are the menus
        assert client.get("/en/initiatives/?page=2").status_code == 200

    late = InitiativeFactory(start_year=2050, title_es="Recién publicada", title_en="Just published")
    assert shown("/es/iniciativas/") == [late.pk, *expected["es"]]


def test_a_filtered_page_reads_its_rows_only(client, django_assert_num_queries):
    """A filter reads its bitmaps once per content generation and language (`portal.facets`); then a
    filtered page, counted and sliced from them, reads its rows only. An organization with two roles in
    one initiative counts it once, and a page past the end is still not found."""
    theme = ThemeFactory(code="labour")
    for number in range(25):
        InitiativeFactory(themes=[theme], title_en=f"Labour {number:02d}")
    InitiativeFactory(title_en="Other")
    organization = OrganizationFactory(code="ilo")
    twice = InitiativeFactory(title_en="Twice")
    for role in ("lead", "partner"):
        Participation.objects.create(initiative=twice, organization=organization, role=role)
    client.cookies["sessionid"] = "unknown"  # a session cookie: no page cache
    client.get("/en/initiatives/")  # the menus, the codes and the list's order, kept per content generation

    def said(html):
        return re.search(r'class="result-count"[^>]*>([^<]*)<', html)[1].strip()

    with django_assert_num_queries(3):  # the themes' codes and the theme's bitmaps (both kept), the page's rows
        response = client.get("/en/initiatives/?theme=labour&page=2")
    assert said(response.content.decode()) == "25 initiatives"
    with django_assert_num_queries(1):
        first = titles(client.get("/en/initiatives/?theme=labour"))
    assert len(titles(response)) == 5 and sorted(first + titles(response)) == [f"Labour {n:02d}" for n in range(25)]
    response = client.get("/en/initiatives/?organization=ilo")
    assert said(response.content.decode()) == "1 initiative" and titles(response) == ["Twice"]
    assert client.get("/en/initiatives/?theme=labour&page=3").status_code == 404
    client.get("/en/initiatives/?status=ongoing")
    with django_assert_num_queries(1):  # two kept filters together
        response = client.get("/en/initiatives/?status=ongoing&theme=labour&page=2")
    assert said(response.content.decode()) == "25 initiatives"
    assert said(client.get("/en/initiatives/?year=1901").content.decode()) == "0 initiatives"


def test_filtered_lists_follow_an_edit_at_once(client, delegate_a):
    """The filters' bitmaps are kept per content generation: a new theme, status or year shows at once."""
    client.force_login(delegate_a)  # no page cache
    labour = ThemeFactory(code="labour")
    initiative = InitiativeFactory(title_en="Moved", start_year=2010, end_year=2012, status="ongoing")
    assert titles(client.get("/en/initiatives/?theme=labour&status=ongoing&year=2011")) == []
    initiative.themes.add(labour)
    assert titles(client.get("/en/initiatives/?theme=labour&status=ongoing&year=2011")) == ["Moved"]
    initiative.status, initiative.end_year = "completed", 2010
    initiative.save()
    assert titles(client.get("/en/initiatives/?theme=labour&status=ongoing")) == []
    assert titles(client.get("/en/initiatives/?theme=labour&year=2011")) == []
    assert titles(client.get("/en/initiatives/?theme=labour&status=completed&year=2010")) == ["Moved"]


def listed_keys(client, path):
    """Every key that a list's pages show, in their order."""
    keys, page = [], 1
    while True:
        response = client.get(f"{path}&page={page}")
        if response.status_code == 404:
            return keys
        assert response.status_code == 200
        keys += [item.pk for item in response.context["page_obj"]]
        page += 1


def test_filtered_pages_list_what_the_filters_select_in_the_list_order(client):
    """The pages select from bitmaps; the API and the filter set's methods select in SQL. Both must give
    the same initiatives in the list's order, for each filter value alone and with another filter, in both
    languages: drafts, withdrawn items, open and missing years included."""
    chance = random.Random(SEED)
    themes = [ThemeFactory(code=code) for code in ("labour", "data", "diaspora")]
    regions = [RegionFactory(code=code) for code in ("andes", "sahel")]
    organizations = [OrganizationFactory(code=code) for code in ("iom", "ilo", "undp")]
    for _number in range(70):
        start = chance.choice([None, 1998, 1999, 2000, 2001, 2003])
        end = chance.choice([None, (start or 1999) + chance.randint(0, 3)])
        initiative = InitiativeFactory(
            title_es=f"Iniciativa {chance.random():.6f}",
            title_en=f"Initiative {chance.random():.6f}",
            start_year=start,
            end_year=end,
            status=chance.choice(["planned", "ongoing", "completed"]),
            countries=chance.sample(["MX", "PE", "ES", "TZ"], chance.randint(0, 2)),
            state=chance.choice(["published"] * 6 + ["draft"]),
            themes=chance.sample(themes, chance.randint(1, 2)),
        )
        initiative.regions.set(chance.sample(regions, chance.randint(0, 1)))
        for organization in chance.sample(organizations, chance.randint(0, 2)):
            for role in chance.sample(["lead", "partner"], chance.randint(1, 2)):
                Participation.objects.create(initiative=initiative, organization=organization, role=role)
    Initiative.objects.filter(pk__in=Initiative.objects.order_by("pk")[:4]).update(
        unpublish_at=timezone.now() - timedelta(days=1)
    )
    queries = [
        *(f"theme={theme.code}" for theme in themes),
        *(f"region={region.code}" for region in regions),
        *(f"organization={organization.code}" for organization in organizations),
        *(f"country={code}" for code in ("MX", "PE", "ES", "TZ", "FR")),
        *(f"year={year}" for year in range(1996, 2008)),
        *(f"status={status}" for status in ("planned", "ongoing", "completed")),
        "theme=labour&year=2000",
        "organization=iom&status=ongoing",
        "country=MX&region=andes&year=2001",
        "theme=data&organization=ilo&country=PE",
        "year=2000.0&status=completed",
    ]
    paths = {"es": "/es/iniciativas/", "en": "/en/initiatives/"}
    # most queries select something: the comparison is not between empty lists
    assert pages_agree_with_the_filter_set(client, InitiativeFilter, Initiative, paths, queries) > 40


def test_filtered_publication_pages_list_what_the_filters_select(client):
    chance = random.Random(SEED)
    themes = [ThemeFactory(code=code) for code in ("labour", "data")]
    for _number in range(40):
        publication = PublicationFactory(
            title_es=f"Informe {chance.random():.6f}",
            title_en=f"Report {chance.random():.6f}",
            kind=chance.choice(["report", "handbook", "series"]),
            year=chance.choice([None, 2010, 2011, 2012]),
            languages=chance.sample(["es", "en", "fr"], chance.randint(0, 2)),
            state=chance.choice(["published"] * 5 + ["draft"]),
        )
        publication.themes.set(chance.sample(themes, chance.randint(0, 2)))
    queries = [
        "kind=report",
        "kind=handbook",
        "year=2011",
        "year=2009",
        "language=fr",
        "language=es",
        "theme=data",
        "kind=report&language=en",
        "theme=labour&year=2012",
    ]
    paths = {"es": "/es/publicaciones/", "en": "/en/publications/"}
    assert pages_agree_with_the_filter_set(client, PublicationFilter, Publication, paths, queries) > 12


def pages_agree_with_the_filter_set(client, filterset_class, model, paths, queries):
    """Asserts that each query's pages, in each language ({language: list path}), list the keys that the
    filter set selects in SQL, in its order; returns how many of them selected something."""
    chosen = 0
    for language, path in paths.items():
        for query in queries:
            with translation.override(language):
                filterset = filterset_class(QueryDict(query), queryset=model.objects.published())
                assert filterset.is_valid(), query
                expected = list(filterset.qs.values_list("pk", flat=True))
            assert listed_keys(client, f"{path}?{query}") == expected, (language, query)
            chosen += bool(expected)
    return chosen


@pytest.mark.parametrize("query", ["status=ongoing", "year=2010", "status=completed&year=2005&page=2"])
def test_the_apis_status_and_year_filters_read_the_list_index_alone(client, query):
    """A row keeps its search vectors, so reading the table costs about a page per initiative: every
    column that the API's count of a status or year filter reads must be in the list's index (an
    index-only scan). The pages count from bitmaps instead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    InitiativeFactory(status="ongoing", start_year=2008, end_year=2012)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/api/initiatives/?{query}")
    counted = next(query["sql"] for query in captured.captured_queries if "COUNT(*)" in query["sql"])
    read = set(re.findall(r'"initiatives_initiative"\."(\w+)"', counted))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef(%s::regclass)", ["initiative_list_en"])
        index = cursor.fetchone()[0]
    assert ("status" in read) == ("status=" in query) and ("end_year" in read) == ("year=" in query)
    assert read <= set(re.findall(r"\w+", index)), read - set(re.findall(r"\w+", index))


def test_filter_menus_mark_the_chosen_value_and_escape_names(client):
    ThemeFactory(code="labour", name_en="Labour & mobility")
    ThemeFactory(code="data", name_en="Data")
    html = client.get("/en/initiatives/?theme=labour").content.decode()
    assert '<option value="labour" selected>Labour &amp; mobility</option>' in html
    assert '<option value="data">Data</option>' in html
    assert '<option value="">All themes</option>' in html


def test_initiative_detail_shows_roles_sources_and_publications(client, seed_content):
    initiative = Initiative.objects.get(slug_en="global-forum-on-migration-and-development-gfmd")
    assert client.get(f"/es/iniciativas/{initiative.slug_es}/").status_code == 200
    with_english = client.get(f"/en/initiatives/{initiative.slug_en}/")
    html = with_english.content.decode()
    participation = initiative.participations.select_related("organization").first()
    assert participation.organization.name_en in html
    assert f"{participation.organization.name_en}" in html
    assert str(Participation.Role(participation.role).label) in html
    first_source = initiative.source_paragraphs.order_by("number").first()
    assert f'href="/en/documents/mc-2353/#p{first_source.number}"' in html


def test_initiative_detail_reads_its_related_rows_in_the_page_language(client, django_assert_max_num_queries):
    """Organizations, publications and glossary entries come as JSON columns of the initiative's query:
    in the page's language (Spanish where English is empty), public ones only, in their order."""
    initiative = InitiativeFactory(slug_es="con-socios", slug_en="with-partners")
    lead = OrganizationFactory(name_en="Zeta Agency", acronym_en="", acronym_es="AZ")
    partner = OrganizationFactory(name_en="Alpha Fund", acronym_en="AF")
    hidden_entry = TermFactory(term_en="Hidden entry", state="draft")
    lead.glossary_term = TermFactory(term_en="Zeta entry", acronym_en="ZE")
    lead.save()
    partner.glossary_term = TermFactory(term_en="Alpha entry", acronym_en="")
    partner.save()
    OrganizationFactory(glossary_term=hidden_entry).participations.create(initiative=initiative, role="funder")
    ParticipationFactory(initiative=initiative, organization=lead, role="lead")
    ParticipationFactory(initiative=initiative, organization=partner, role="partner")
    initiative.publications.add(
        PublicationFactory(title_en="Older", subtitle_en="A subtitle", year=2001),
        PublicationFactory(title_en="Newer", year=2011),
        PublicationFactory(title_en="Draft report", state="draft"),
    )
    with django_assert_max_num_queries(6):
        html = client.get("/en/initiatives/with-partners/").content.decode()
    assert "Zeta Agency (AZ)</a> — lead" in html  # no English acronym: the Spanish one
    assert "Alpha Fund (AF)</a> — partner" in html
    assert html.index("Zeta Agency") < html.index("Alpha Fund")  # leads first
    assert html.index(">Newer</a> (2011)") < html.index(">Older: A subtitle</a> (2001)")
    assert "Draft report" not in html
    assert html.index("Alpha entry") < html.index("Zeta entry")
    assert '<abbr title="Zeta entry">ZE</abbr>' in html
    assert "Hidden entry" not in html
    hidden_entry.state = "published"
    hidden_entry.save()
    assert "Hidden entry" in client.get("/en/initiatives/with-partners/").content.decode()


def test_publication_page_shows_its_publishers_and_published_initiatives_only(client, django_assert_max_num_queries):
    publication = PublicationFactory(title_en="Labour report", slug_en="labour-report")
    publication.publishers.add(OrganizationFactory(name_en="Alpha Fund"))
    publication.initiatives.add(
        InitiativeFactory(title_en="Public programme"), InitiativeFactory(title_en="Draft programme", state="draft")
    )
    for _twice in range(2):  # the second read runs the SQL compiled by the first
        with django_assert_max_num_queries(6):
            html = client.get("/en/publications/labour-report/").content.decode()
        assert "Labour report" in html and "Alpha Fund" in html and "Public programme" in html
        assert "Draft programme" not in html


@pytest.mark.parametrize("state", ["draft", "review", "archived"])
def test_unpublished_initiatives_are_not_found(client, state):
    InitiativeFactory(slug_es="oculta", slug_en="hidden", state=state)
    assert client.get("/es/iniciativas/oculta/").status_code == 404
    assert client.get("/en/initiatives/hidden/").status_code == 404
    assert client.get("/en/initiatives/").context["paginator"].count == 0


def test_unknown_slug_and_wrong_language_slug_are_not_found(client):
    InitiativeFactory(slug_es="foro", slug_en="forum")
    assert client.get("/es/iniciativas/nada/").status_code == 404
    assert client.get("/en/initiatives/foro/").status_code == 404


def test_publication_list_filters(client):
    theme = ThemeFactory(code="data")
    handbook = PublicationFactory(title_es="Manual", kind="handbook", year=2010, languages=["en", "es"])
    handbook.themes.add(theme)
    PublicationFactory(title_es="Informe", kind="report", year=2011, languages=["en"])
    assert titles(client.get("/es/publicaciones/?kind=handbook")) == ["Manual"]
    assert titles(client.get("/es/publicaciones/?language=es")) == ["Manual"]
    assert titles(client.get("/es/publicaciones/?year=2011")) == ["Informe"]
    assert titles(client.get("/es/publicaciones/?theme=data")) == ["Manual"]
    assert client.get("/es/publicaciones/?year=dos-mil").status_code == 400


def test_publication_download_has_the_right_type_and_name(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    publication = PublicationFactory(symbol="MC/2355", slug_en="framework")
    publication.file.save("anything.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    response = client.get("/en/publications/framework/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="mc-2355.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    response.close()  # as a server does: closes the file (left to the garbage collector, it warns in a later test)


def test_publication_without_a_file_has_no_download(client):
    PublicationFactory(slug_en="no-file")
    assert client.get("/en/publications/no-file/pdf/").status_code == 404


def test_list_pages_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    themes = [ThemeFactory() for _ in range(5)]
    organizations = [OrganizationFactory() for _ in range(5)]
    for index in range(200):
        initiative = InitiativeFactory(themes=themes[index % 5 : index % 5 + 2], countries=["MX", "PE"])
        Participation.objects.create(initiative=initiative, organization=organizations[index % 5])
        publication = PublicationFactory()
        publication.publishers.add(organizations[index % 5])
        publication.themes.add(themes[index % 5])
    for path in [
        "/es/iniciativas/",
        "/en/initiatives/?theme=" + themes[0].code,
        "/es/publicaciones/",
        "/en/publications/?kind=report",
        "/es/glosario/",
        "/en/",
    ]:
        with django_assert_max_num_queries(10):
            assert client.get(path).status_code == 200


def test_rich_text_never_runs_script(client):
    InitiativeFactory(slug_en="safe", summary_en='<p>Hello<script>alert(1)</script><img src=x onerror="alert(2)"></p>')
    html = client.get("/en/initiatives/safe/").content.decode()
    assert "<script>alert(1)" not in html
    assert "onerror" not in html


def test_council_document_publication_leads_to_the_reader(client, seed_content):
    document = Publication.objects.get(symbol="MC/2353")
    response = client.get(f"/en/publications/{document.slug_en}/")
    assert response.status_code == 301
    assert response["Location"] == "/en/documents/mc-2353/"


def test_a_paragraphs_initiatives_are_counted_in_the_document_and_listed_on_their_own_page(
    client, document, django_assert_max_num_queries
):
    paragraph = document.paragraphs.get(number=29)
    for index in range(23):
        InitiativeFactory(title_en=f"Initiative {index:02d}", slug_es=f"iniciativa-{index:02d}").source_paragraphs.add(
            paragraph
        )
    InitiativeFactory(title_en="Draft one", state="draft").source_paragraphs.add(paragraph)
    html = client.get("/en/documents/mc-2353/").content.decode()
    block = html[html.index('id="p29"') : html.index('id="p30"')]
    assert "23 initiatives come from this paragraph" in block
    assert (
        '<details class="paragraph-initiatives" data-load="/en/documents/mc-2353/p29/initiatives/"'
        ' data-part=".paragraph-initiative-list">' in block
    )
    assert '<a href="/en/documents/mc-2353/p29/initiatives/">All 23 initiatives from this paragraph</a>' in block
    assert 'href="/en/initiatives/' not in block  # read when a reader opens the disclosure

    client.get("/en/documents/mc-2353/p29/initiatives/")  # the count, kept per content generation
    client.cookies["sessionid"] = "unknown"  # no page cache
    with django_assert_max_num_queries(4):  # the paragraph, the page's links, the session, the clock
        first = client.get("/en/documents/mc-2353/p29/initiatives/").content.decode()
    listed = first.split('class="paragraph-initiative-list"')[1].split("</ul>")[0]
    assert re.findall(r">(Initiative \d\d)<", listed) == [f"Initiative {n:02d}" for n in range(22, 2, -1)]
    assert "23 initiatives, the most recently added first" in first and "Draft one" not in first
    second = client.get("/en/documents/mc-2353/p29/initiatives/?page=2").content.decode()
    assert re.findall(r">(Initiative \d\d)<", second) == ["Initiative 02", "Initiative 01", "Initiative 00"]
    spanish = client.get("/es/documentos/mc-2353/p29/iniciativas/?page=2").content.decode()
    assert 'href="/es/iniciativas/iniciativa-00/"' in spanish and "23 iniciativas, de la añadida" in spanish
    for missing in ("/en/documents/mc-2353/p29/initiatives/?page=3", "/en/documents/mc-2353/p99/initiatives/"):
        assert client.get(missing).status_code == 404


def test_the_council_document_reads_its_headings_notes_and_publishers_with_itself(
    client, document, django_assert_num_queries
):
    """Two queries for the page's content, the document with its parts as JSON columns and its
    paragraphs as rows, in each language: a heading and its subheading before their paragraphs, a
    paragraph without English shown in Spanish, the notes, and the publishers in the citation, by name."""
    from initiatives.models import Footnote, Paragraph, Section

    section = Section.objects.create(document=document, order=1, title_es="Antecedentes", title_en="Background")
    Section.objects.create(document=document, parent=section, order=2, title_es="Contexto", title_en="Context")
    Paragraph.objects.filter(number__gte=29).update(section=Section.objects.get(order=2))
    Paragraph.objects.filter(number=30).update(text_en="")
    Paragraph.objects.filter(number=29).update(text_es="Texto del párrafo 29 con nota[^1].", text_en="Note[^1].")
    Footnote.objects.create(document=document, number=1, text_es="Véase A/68/190.", text_en="See A/68/190.")
    document.publishers.add(OrganizationFactory(name_en="Zeta Office"), OrganizationFactory(name_en="Alpha Office"))

    client.get("/en/documents/mc-2353/")  # the paragraphs' counts, kept per content generation
    client.cookies["sessionid"] = "unknown"  # no page cache
    with django_assert_num_queries(2):  # the document with its headings, notes and publishers; its paragraphs
        html = client.get("/en/documents/mc-2353/").content.decode()
    order = [html.index(text) for text in ('<h2 class="doc-heading">Background', '<h3 class="doc-heading">Context')]
    assert order == sorted(order) and order[1] < html.index('id="p29"')
    assert html.index('id="p28"') < order[0]
    assert "Texto del párrafo 30." in html and "Paragraph 28." in html
    assert '<li id="fn1" value="1">\n      See A/68/190.' in html
    assert 'href="#fn1"' in html.split('id="p29"')[1].split("</section>")[0]
    citation = html.split('<p class="citation-text">')[1].split("</p>")[0]
    assert citation.index("Alpha Office") < citation.index("Zeta Office")

    both = client.get("/es/documentos/mc-2353/?view=both").content.decode()
    assert '<p class="doc-heading-other" lang="en">Context</p>' in both
    assert '<span lang="es">Véase A/68/190.</span> <span lang="en">See A/68/190.</span>' in both
