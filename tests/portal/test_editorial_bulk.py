"""Bulk work (CSV and XLSX import and export) and the translation dashboard."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from glossary.models import Term
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, TermFactory, ThemeFactory

pytestmark = pytest.mark.django_db

IMPORT = "/admin/glossary/term/import/"
PROCESS = "/admin/glossary/term/process_import/"
CSV, XLSX = "0", "1"
HEADER = ["key", "slug_es", "slug_en", "term_es", "term_en", "definition_es", "definition_en", "kind", "state"]


def term_row(key, state="draft", **changes):
    row = {
        "key": key,
        "slug_es": f"{key}-es",
        "slug_en": key,
        "term_es": f"Término {key}",
        "term_en": f"Term {key}",
        "definition_es": "<p>Definición.</p>",
        "definition_en": "<p>Definition.</p>",
        "kind": "concept",
        "state": state,
    }
    row.update(changes)
    return row


def csv_file(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("terms.csv", out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row[name] for name in HEADER])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("terms.xlsx", out.getvalue())


def upload(client, file, file_format):
    return client.post(IMPORT, {"import_file": file, "format": file_format, "resource": "0"})


def confirm(client, preview):
    page = preview.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    data = {name: fields[name] for name in ["import_file_name", "original_file_name", "format", "resource"]}
    return client.post(PROCESS, {**data, "confirm": "1"})


@pytest.mark.parametrize(("make_file", "file_format"), [(csv_file, CSV), (xlsx_file, XLSX)])
def test_an_editor_imports_terms_after_a_preview(client, editor, make_file, file_format):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    preview = upload(client, make_file([term_row("remittances"), term_row("diaspora", state="review")]), file_format)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Confirm import" in page and "Term remittances" in page
    assert not Term.objects.exists(), "the preview writes nothing"

    assert confirm(client, preview).status_code == 302
    imported = Term.objects.order_by("key")
    assert [(t.key, t.term_en, t.state, t.created_by) for t in imported] == [
        ("diaspora", "Term diaspora", "review", editor),
        ("remittances", "Term remittances", "draft", editor),
    ]
    assert imported[0].history.get().history_user == editor


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (term_row("broken", kind="nonsense"), "is not a valid choice"),
        (term_row("published", state="published"), "You may import drafts and items in review only."),
        (term_row("no-spanish", term_es=""), "This field cannot be blank."),
    ],
)
def test_an_import_with_an_error_writes_nothing(client, editor, bad_row, message):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    preview = upload(client, csv_file([term_row("good"), bad_row]), CSV)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Confirm import" not in page
    assert "Errors" in page or "error" in page.lower()
    if message:
        assert message in page
    assert not Term.objects.exists()
    # Even a forged confirmation of the same file writes nothing.
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert "import_file_name" not in fields


def test_a_publisher_imports_a_complete_published_term_but_not_an_incomplete_one(client, publisher):
    client.force_login(publisher)
    client.cookies["django_language"] = "en"
    preview = upload(client, csv_file([term_row("ok", state="published")]), CSV)
    assert confirm(client, preview).status_code == 302
    assert Term.objects.get().is_published()

    preview = upload(client, csv_file([term_row("half", state="published", definition_en="")]), CSV)
    assert "English is missing: definition." in preview.content.decode()
    assert Term.objects.count() == 1


def test_a_translator_may_not_import(client, translator):
    client.force_login(translator)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, csv_file([term_row("sneaky")]), CSV).status_code == 403
    assert not Term.objects.exists()


@pytest.mark.parametrize(("file_format", "content_type"), [(CSV, "text/csv"), (XLSX, "spreadsheetml")])
def test_an_editor_exports_initiatives(client, editor, file_format, content_type):
    InitiativeFactory(title_en="Exported initiative")
    client.force_login(editor)
    chosen = {f"initiativeresource_{name}": "on" for name in ["id", "title_es", "title_en", "state"]}
    response = client.post("/admin/initiatives/initiative/export/", {"format": file_format, "resource": "0", **chosen})
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    if file_format == CSV:
        assert "Exported initiative" in response.content.decode()
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert "Exported initiative" in [cell.value for cell in sheet[2]]


def test_the_dashboard_lists_missing_and_stale_translations(admin_client, django_user_model):
    complete = InitiativeFactory(title_en="In step")
    InitiativeFactory(title_en="Untranslated", summary_en="")
    TermFactory(term_en="Undefined", definition_en="")
    admin_client.cookies["django_language"] = "en"

    # Editing the Spanish of a complete item makes its English stale.
    page = admin_client.get(f"/admin/initiatives/initiative/{complete.pk}/change/").content.decode()
    version = re.search(r'name="loaded_version" value="([^"]*)"', page).group(1)
    data = {
        "title_es": "Cambiado",
        "title_en": "In step",
        "slug_es": complete.slug_es,
        "slug_en": complete.slug_en,
        "summary_es": complete.summary_es,
        "summary_en": complete.summary_en,
        "themes": [ThemeFactory().pk],
        "status": "ongoing",
        "start_year": "2010",
        "state": "published",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "loaded_version": version,
    }
    response = admin_client.post(f"/admin/initiatives/initiative/{complete.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    complete.refresh_from_db()
    assert complete.stale_language() == "en"

    dashboard = admin_client.get("/admin/translations/")
    assert dashboard.status_code == 200
    missing, stale = dashboard.content.decode().split('id="missing"')[1].split('id="stale"')
    assert "Untranslated" in missing and "English: summary" in missing
    assert "Undefined" in missing and "English: definition" in missing
    assert "In step" not in missing
    assert "In step" in stale and "Untranslated" not in stale

    # Translating it (catching up the English) brings both languages in step again.
    data.update(title_en="Changed", loaded_version=complete.updated_at.isoformat())
    assert admin_client.post(f"/admin/initiatives/initiative/{complete.pk}/change/", data).status_code == 302
    complete.refresh_from_db()
    assert complete.stale_language() is None
    assert not Initiative.objects.stale_translation().filter(pk=complete.pk).exists()

    # Editing only the English of an item in step leaves the Spanish behind.
    data.update(summary_en="<p>A better summary.</p>", loaded_version=complete.updated_at.isoformat())
    assert admin_client.post(f"/admin/initiatives/initiative/{complete.pk}/change/", data).status_code == 302
    complete.refresh_from_db()
    assert complete.stale_language() == "es"
    assert Initiative.objects.stale_translation().filter(pk=complete.pk).exists()


def test_the_dashboard_is_for_staff_only(client, delegate_a):
    assert client.get("/admin/translations/").status_code == 302
    client.force_login(delegate_a)
    assert client.get("/admin/translations/").status_code == 302
