import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from glossary.models import Term
from initiatives.models import Initiative, Publication
from tests.factories import OrganizationFactory, TermFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/initiatives/initiative/",
    "/admin/initiatives/initiative/add/",
    "/admin/initiatives/publication/",
    "/admin/initiatives/publication/add/",
    "/admin/initiatives/organization/",
    "/admin/initiatives/theme/",
    "/admin/initiatives/paragraph/",
    "/admin/glossary/term/",
    "/admin/glossary/term/add/",
    "/admin/initiatives/initiative/?missing=en",
]


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("language", ["es", "en"])
def test_admin_pages_work_in_both_languages(editor_client, path, language):
    editor_client.cookies["django_language"] = language
    response = editor_client.get(path)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def initiative_form(theme, **changes):
    data = {
        "title_es": "Nueva iniciativa",
        "title_en": "New initiative",
        "slug_es": "nueva-iniciativa",
        "slug_en": "new-initiative",
        "summary_es": "<p>Resumen</p>",
        "summary_en": "<p>Summary</p>",
        "body_es": "",
        "body_en": "",
        "themes": [theme.pk],
        "status": "ongoing",
        "start_year": "2012",
        "end_year": "2013",
        "state": "draft",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_editor_creates_an_initiative_with_partners(editor_client):
    theme = ThemeFactory()
    organization = OrganizationFactory()
    data = initiative_form(
        theme,
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-organization": organization.pk,
            "participations-0-role": "funder",
        },
    )
    response = editor_client.post("/admin/initiatives/initiative/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(slug_en="new-initiative")
    assert initiative.participations.get().role == "funder"
    assert list(initiative.themes.all()) == [theme]


def test_an_end_year_before_the_start_year_is_refused(editor_client):
    editor_client.cookies["django_language"] = "en"
    response = editor_client.post(
        "/admin/initiatives/initiative/add/", initiative_form(ThemeFactory(), start_year="2013", end_year="2010")
    )
    assert response.status_code == 200
    assert "The end year cannot come before the start year." in response.content.decode()
    assert not Initiative.objects.exists()


def test_the_message_follows_the_editors_language(editor_client):
    editor_client.cookies["django_language"] = "es"
    response = editor_client.post(
        "/admin/initiatives/initiative/add/", initiative_form(ThemeFactory(), start_year="2013", end_year="2010")
    )
    assert "El año de finalización no puede ser anterior al año de inicio." in response.content.decode()


def publication_form(upload):
    return {
        "title_es": "Perfiles migratorios",
        "title_en": "Migration profiles",
        "slug_es": "perfiles",
        "slug_en": "profiles",
        "kind": "guide",
        "description_es": "<p>Guía</p>",
        "description_en": "<p>Guide</p>",
        "state": "draft",
        "file": upload,
    }


def test_a_real_pdf_is_accepted(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("perfiles.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = editor_client.post("/admin/initiatives/publication/add/", publication_form(upload))
    assert response.status_code == 302
    with Publication.objects.get(slug_en="profiles").file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor_client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = editor_client.post("/admin/initiatives/publication/add/", publication_form(upload))
    assert response.status_code == 200
    assert "The file is not a PDF." in response.content.decode()
    assert not Publication.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_file_over_the_limit_is_refused(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLICATION_FILE_MAX_BYTES = 1024 * 1024
    editor_client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024), content_type="application/pdf")
    response = editor_client.post("/admin/initiatives/publication/add/", publication_form(upload))
    assert response.status_code == 200
    assert "the limit is 1 MB" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_duplicate_term_in_one_language_is_refused(editor_client):
    TermFactory(term_es="Remesas", term_en="Remittances")
    editor_client.cookies["django_language"] = "en"
    response = editor_client.post(
        "/admin/glossary/term/add/",
        {
            "term_es": "remesas",
            "term_en": "Remittance flows",
            "slug_es": "remesas-2",
            "slug_en": "remittance-flows",
            "key": "remittance-flows",
            "kind": "concept",
            "definition_es": "<p>x</p>",
            "definition_en": "<p>y</p>",
            "state": "draft",
            "variants-TOTAL_FORMS": "0",
            "variants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "A term with this wording already exists in Spanish." in response.content.decode()
    assert Term.objects.count() == 1


def test_the_admin_sanitises_rich_text(editor_client):
    data = initiative_form(ThemeFactory(), summary_en='<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert editor_client.post("/admin/initiatives/initiative/add/", data).status_code == 302
    summary = Initiative.objects.get().summary_en
    assert "script" not in summary and "onclick" not in summary


def test_editors_filter_initiatives_by_country(editor_client):
    from tests.factories import InitiativeFactory

    InitiativeFactory(title_es="En México", countries=["MX"])
    InitiativeFactory(title_es="En Tanzanía", countries=["TZ"])
    response = editor_client.get("/admin/initiatives/initiative/?country=TZ")
    assert [item.title_es for item in response.context["cl"].result_list] == ["En Tanzanía"]
