import csv
import io
import re

import pytest

from initiatives.models import Comment, Initiative
from initiatives.services import comment_moderate, comment_submit
from tests.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread():
    labour, data = ThemeFactory(code="labour", name_en="Labour"), ThemeFactory(code="data", name_en="Data")
    InitiativeFactory(countries=["MX", "PE"], themes=[labour], start_year=2010, end_year=2012)
    InitiativeFactory(countries=["MX"], themes=[labour, data], start_year=2011, end_year=None)
    InitiativeFactory(countries=["TZ"], themes=[data], start_year=2012, end_year=2012)
    InitiativeFactory(countries=["MX"], themes=[data], start_year=2011, state="draft")  # never counted
    return labour, data


def table_rows(html, caption):
    table = re.search(rf"<caption[^>]*>{caption}</caption>.*?</table>", html, re.S)[0]
    return dict(re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a></th><td>(\d+)</td>', table))


def test_the_country_table_gives_the_maps_numbers(client, spread):
    spanish = client.get("/es/iniciativas/").content.decode()
    assert table_rows(spanish, "Iniciativas por país") == {"México": "2", "Perú": "1", "Tanzania": "1"}
    english = client.get("/en/initiatives/").content.decode()
    assert table_rows(english, "Initiatives by country") == {"Mexico": "2", "Peru": "1", "Tanzania": "1"}
    assert 'data="/en/initiatives/map.svg"' in english
    # the table's markup is kept per content generation and language: publishing the draft moves it at once
    draft = Initiative.objects.get(state="draft")
    draft.state = "published"
    draft.save()
    english = client.get("/en/initiatives/?page=1").content.decode()
    assert table_rows(english, "Initiatives by country") == {"Mexico": "3", "Peru": "1", "Tanzania": "1"}
    spanish = client.get("/es/iniciativas/?theme=labour").content.decode()
    assert table_rows(spanish, "Iniciativas por país") == {"México": "3", "Perú": "1", "Tanzania": "1"}


def test_the_map_is_an_svg_whose_countries_filter_the_list(client, spread):
    response = client.get("/en/initiatives/map.svg", HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg
    assert '<a target="_top" xlink:href="/en/initiatives/?country=MX">' in svg
    assert "Initiatives by country" in svg
    assert "Mexico" in svg
    assert "max-age=300" in response["Cache-Control"]
    assert "México" in client.get("/es/iniciativas/mapa.svg").content.decode()
    gzipped = client.get("/en/initiatives/map.svg", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"


def test_theme_and_year_charts_match_the_lists_they_link_to(client, spread):
    html = client.get("/en/").content.decode()
    themes = table_rows(html, "Initiatives by theme")
    assert themes["Labour"] == "2" and themes["Data"] == "2"
    years = table_rows(html, "Initiatives by year")
    assert years == {"2010": "1", "2011": "2", "2012": "3"}
    for year, count in years.items():
        listed = client.get(f"/en/initiatives/?year={year}").context["paginator"].count
        assert listed == int(count)
    assert html.count("<svg") >= 2 and "<script" not in html


@pytest.fixture
def debate(consultation, delegate_a, delegate_b, moderator):
    from initiatives.models import MemberState

    MemberState.objects.create(country="CL")
    p29, p30 = consultation.document.paragraphs.get(number=29), consultation.document.paragraphs.get(number=30)
    first = comment_submit(author=delegate_a, target=p29, body="a", language="es")
    comment_submit(author=delegate_a, target=p30, body="b", language="es")
    third = comment_submit(author=delegate_b, target=p29, body="c", language="en")
    comment_moderate(comment=first, moderator=moderator, approve=True)
    comment_moderate(comment=third, moderator=moderator, approve=False, reason="no")
    return consultation


def test_paragraphs_show_how_many_published_comments_they_have(client, debate):
    html = client.get("/en/documents/mc-2353/").content.decode()
    p29 = re.search(r'id="p29".*?</section>', html, re.S)[0]
    p30 = re.search(r'id="p30".*?</section>', html, re.S)[0]
    assert "1 published comment" in p29 and "0 published comments" in p30


def test_paragraph_counts_follow_an_approval_and_a_new_initiative_at_once_for_signed_in_readers(
    client, consultation, delegate_a, moderator
):
    def paragraph_29():
        html = client.get("/en/documents/mc-2353/").content.decode()
        return re.search(r'id="p29".*?</section>', html, re.S)[0]

    client.force_login(delegate_a)  # no page cache: the counts kept per content generation must follow
    assert "0 published comments" in paragraph_29()
    comment = comment_submit(
        author=delegate_a, target=consultation.document.paragraphs.get(number=29), body="a", language="es"
    )
    assert "0 published comments" in paragraph_29()  # waiting for moderation
    comment_moderate(comment=comment, moderator=moderator, approve=True)
    assert "1 published comment" in paragraph_29()
    initiative = InitiativeFactory(title_en="Remittance corridors")
    assert "come from this paragraph" not in paragraph_29() and "comes from" not in paragraph_29()
    initiative.source_paragraphs.add(consultation.document.paragraphs.get(number=29))
    assert "1 initiative comes from this paragraph" in paragraph_29()


def test_the_secretariat_dashboard_counts_what_the_database_holds(client, debate, moderator):
    client.force_login(moderator)
    response = client.get(f"/admin/initiatives/consultation/{debate.pk}/dashboard/")
    assert response.status_code == 200
    charts = {chart["name"]: chart["rows"] for chart in response.context["charts"]}
    assert charts["paragraphs"] == [("29", 2), ("30", 1)]
    assert sorted(charts["states"]) == [("Mexico", 2), ("Peru", 1)] or sorted(charts["states"]) == [
        ("México", 2),
        ("Perú", 1),
    ]
    assert dict(charts["status"]) in (
        {"approved": 1, "pending moderation": 1, "rejected": 1},
        {"aprobado": 1, "pendiente de moderación": 1, "rechazado": 1},
    )
    assert [name for name, _ in charts["silent"]] in (["Chile"], ["Chile"])
    assert sum(count for _week, count in charts["weeks"]) == Comment.objects.count()
    download = client.get(f"/admin/initiatives/consultation/{debate.pk}/dashboard/?csv=paragraphs")
    assert download["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(download.content.decode())))[1:] == [["29", "2"], ["30", "1"]]


def test_only_the_secretariat_sees_the_dashboard(client, debate, editor, delegate_a):
    for user in (editor, delegate_a):
        client.force_login(user)
        response = client.get(f"/admin/initiatives/consultation/{debate.pk}/dashboard/")
        assert response.status_code in {302, 403}


def test_the_initiatives_page_with_its_map_stays_under_150_kb_compressed(client, seed_content):
    page = client.get("/en/initiatives/", HTTP_ACCEPT_ENCODING="gzip")
    world_map = client.get("/en/initiatives/map.svg", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == world_map["Content-Encoding"] == "gzip"
    assert len(page.content) + len(world_map.content) < 150 * 1024
