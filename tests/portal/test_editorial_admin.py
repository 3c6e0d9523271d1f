"""The editorial workflow in the admin, tried from the outside by each role."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from glossary.models import Term
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, PublicationFactory, TermFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/initiatives/initiative/add/"


def change_url(item):
    return f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/change/"


def form_data(theme, **changes):
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


def loaded_version(client, item):
    """What the change form carries from the moment it was opened."""
    page = client.get(change_url(item)).content.decode()
    return re.search(r'name="loaded_version" value="([^"]*)"', page).group(1)


def edit_form(client, item, **changes):
    theme = item.themes.first() or ThemeFactory()
    data = form_data(
        theme,
        title_es=item.title_es,
        title_en=item.title_en,
        slug_es=item.slug_es,
        slug_en=item.slug_en,
        summary_es=item.summary_es,
        summary_en=item.summary_en,
        state=item.state,
        start_year=str(item.start_year),
        end_year=str(item.end_year or ""),
        loaded_version=loaded_version(client, item),
    )
    data.update(changes)
    return data


# Editors


def test_an_editor_creates_a_draft_and_is_recorded_as_its_author(client, editor):
    client.force_login(editor)
    response = client.post(ADD, form_data(ThemeFactory(), state="review"))
    assert response.status_code == 302
    initiative = Initiative.objects.get(slug_en="new-initiative")
    assert (initiative.state, initiative.created_by, initiative.updated_by) == ("review", editor, editor)


@pytest.mark.parametrize("state", ["published", "archived"])
def test_an_editor_cannot_publish_or_archive(client, editor, state):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = client.post(ADD, form_data(ThemeFactory(), state=state))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Initiative.objects.exists()

    draft = InitiativeFactory(state="review")
    response = client.post(change_url(draft), edit_form(client, draft, state=state))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.state == "review"


def test_an_editor_cannot_change_what_is_published(client, editor):
    published = InitiativeFactory(title_en="Before")
    client.force_login(editor)
    # The page opens read-only, and a forged POST is refused.
    page = client.get(change_url(published))
    assert page.status_code == 200 and 'name="title_en"' not in page.content.decode()
    forged = form_data(ThemeFactory(), title_en="After", slug_es=published.slug_es, slug_en=published.slug_en)
    assert client.post(change_url(published), forged).status_code == 403
    published.refresh_from_db()
    assert published.title_en == "Before"


# Translators


def test_a_translator_creates_nothing(client, translator):
    client.force_login(translator)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data(ThemeFactory())).status_code == 403
    assert client.post("/admin/glossary/term/add/", {}).status_code == 403
    assert not Initiative.objects.exists()


def test_a_translator_edits_only_the_english(client, translator):
    item = InitiativeFactory(state="published", title_es="Original", title_en="Draft translation")
    client.force_login(translator)
    data = edit_form(client, item, title_en="Final translation", title_es="Cambiado", state="archived")
    response = client.post(change_url(item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.title_es, item.state) == ("Final translation", "Original", "published")
    assert item.updated_by == translator


# Publishers and the completeness rule


def test_a_publisher_publishes_a_complete_item(client, publisher):
    draft = InitiativeFactory(state="review")
    client.force_login(publisher)
    response = client.post(change_url(draft), edit_form(client, draft, state="published"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "published" and draft.is_published()


def test_an_item_with_a_missing_translation_cannot_be_published(client, publisher):
    draft = InitiativeFactory(state="review")
    client.force_login(publisher)
    client.cookies["django_language"] = "en"
    response = client.post(change_url(draft), edit_form(client, draft, state="published", summary_en="", title_en=" "))
    assert response.status_code == 200
    assert "English is missing: title, summary." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "review"
    # The same item stays a draft without complaint: only publishing needs both languages.
    response = client.post(change_url(draft), edit_form(client, draft, state="draft", summary_en=""))
    assert response.status_code == 302


@pytest.mark.parametrize("factory", [InitiativeFactory, TermFactory, PublicationFactory])
def test_every_published_model_needs_both_languages(factory):
    item = factory(state="review")
    required = item.translation_required_fields
    setattr(item, f"{required[-1]}_es", "")
    setattr(item, f"{required[-1]}_en", "")
    item.state = "published"
    with pytest.raises(ValidationError) as refusal, translation.override("en"):
        item.full_clean()
    messages = refusal.value.message_dict["state"]
    label = "summary" if factory is InitiativeFactory else "definition" if factory is TermFactory else "description"
    assert f"Spanish is missing: {label}." in messages and f"English is missing: {label}." in messages


def test_the_message_names_the_language_in_the_editors_language(client, publisher):
    draft = InitiativeFactory(state="review")
    client.force_login(publisher)
    client.cookies["django_language"] = "es"
    response = client.post(change_url(draft), edit_form(client, draft, state="published", summary_en=""))
    assert "Falta la versión en inglés: resumen." in response.content.decode()


def test_the_list_shows_whether_both_languages_are_complete(admin_client):
    InitiativeFactory(title_en="Complete one")
    InitiativeFactory(title_en="Half done", summary_en="")
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get("/admin/initiatives/initiative/").content.decode()
    assert "ES and EN complete" in page
    assert "EN incomplete: summary" in page


# Other roles


@pytest.mark.parametrize(
    "path", [ADD, "/admin/initiatives/initiative/", "/admin/glossary/term/add/", "/admin/initiatives/publication/"]
)
def test_a_moderator_cannot_touch_content(client, moderator, path):
    client.force_login(moderator)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["editor", "translator", "publisher"])
def test_content_roles_cannot_moderate(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/admin/initiatives/comment/").status_code == 403
    assert client.get("/admin/initiatives/delegate/add/").status_code == 403


# Concurrent edits


def test_the_second_of_two_concurrent_saves_is_refused(client, editor, publisher):
    item = InitiativeFactory(state="draft", title_en="Original")
    client.force_login(editor)
    first = edit_form(client, item, title_en="Editor's title")
    from django.test import Client

    other = Client()
    other.force_login(publisher)
    second = edit_form(other, item, title_en="Publisher's title")

    assert client.post(change_url(item), first).status_code == 302
    other.cookies["django_language"] = "en"
    response = other.post(change_url(item), second)
    assert response.status_code == 200
    assert "editor saved this item at" in response.content.decode()
    assert "Your changes were not saved" in response.content.decode()
    item.refresh_from_db()
    assert item.title_en == "Editor's title"

    # Opened again, the form carries the new version and saves.
    assert other.post(change_url(item), edit_form(other, item, title_en="Publisher's title")).status_code == 302
    item.refresh_from_db()
    assert item.title_en == "Publisher's title"


def test_a_form_without_the_version_it_was_loaded_with_is_refused(client, editor):
    item = InitiativeFactory(state="draft", title_en="Original")
    client.force_login(editor)
    response = client.post(change_url(item), edit_form(client, item, title_en="Blind", loaded_version=""))
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title_en == "Original"


# History


def test_every_change_records_who_and_what_and_can_be_restored(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    assert client.post(ADD, form_data(ThemeFactory(), title_en="First title")).status_code == 302
    item = Initiative.objects.get()
    assert client.post(change_url(item), edit_form(client, item, title_en="Second title")).status_code == 302

    versions = list(item.history.order_by("history_date"))
    assert [(v.title_en, v.history_user, v.history_type) for v in versions] == [
        ("First title", editor, "+"),
        ("Second title", editor, "~"),
    ]
    changes = {(c.field, c.old, c.new) for c in versions[1].diff_against(versions[0]).changes}
    assert ("title_en", "First title", "Second title") in changes
    assert {field for field, _old, _new in changes} <= {"title_en", "title"}  # title mirrors the active language

    history_page = client.get(change_url(item).replace("/change/", "/history/")).content.decode()
    assert "First title" in history_page and "Second title" in history_page

    # Restoring the first version: its form, saved again.
    restore_url = change_url(item).replace("/change/", f"/history/{versions[0].history_id}/")
    page = client.get(restore_url).content.decode()
    assert 'value="First title"' in page
    data = edit_form(client, item, title_en="First title")
    assert client.post(restore_url, data).status_code == 302
    item.refresh_from_db()
    assert item.title_en == "First title"
    assert item.history.count() == 3


def test_glossary_terms_keep_their_history_in_both_languages(admin_client):
    term = TermFactory(term_es="Remesas", term_en="Remittances")
    term.term_en = "Remittance flows"
    term.save()
    assert list(Term.history.filter(id=term.pk).values_list("term_en", flat=True)) == [
        "Remittance flows",
        "Remittances",
    ]


def test_restoring_is_a_change_that_roles_without_it_cannot_make(client, editor, moderator):
    item = InitiativeFactory(state="draft", title_en="Old")
    item.title_en = "New"
    item.state = "published"
    item.save()
    old_version = item.history.order_by("history_date").first()
    restore_url = change_url(item).replace("/change/", f"/history/{old_version.history_id}/")

    client.force_login(editor)  # may see the history, may not change what is published
    assert client.get(restore_url).status_code == 200
    forged = form_data(
        ThemeFactory(),
        title_en="Old",
        slug_es=item.slug_es,
        slug_en=item.slug_en,
        loaded_version=item.updated_at.isoformat(),
    )
    assert client.post(restore_url, forged).status_code == 403
    client.force_login(moderator)
    assert client.get(restore_url).status_code == 403
    item.refresh_from_db()
    assert (item.title_en, item.state) == ("New", "published")


def test_a_translator_translates_a_paragraph_of_the_council_document(client, translator, document):
    from initiatives.models import Paragraph

    paragraph = Paragraph.objects.filter(document=document).first()
    spanish, number = paragraph.text_es, paragraph.number
    client.force_login(translator)
    url = change_url(paragraph)
    page = client.get(url).content.decode()
    assert 'name="text_en"' in page and 'name="text_es"' not in page
    response = client.post(url, {"text_en": "<p>The English text.</p>", "text_es": "<p>Cambiado.</p>", "number": "999"})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert (paragraph.text_en, paragraph.text_es, paragraph.number) == (
        "<p>The English text.</p>",
        spanish,
        number,
    )


def test_a_translator_cannot_reorder_themes_from_the_list(client, translator):
    theme = ThemeFactory(order=1)
    client.force_login(translator)
    page = client.get("/admin/initiatives/theme/").content.decode()
    assert 'name="form-0-order"' not in page
    client.post(
        "/admin/initiatives/theme/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(theme.pk),
            "form-0-order": "99",
            "_save": "1",
        },
    )
    theme.refresh_from_db()
    assert theme.order == 1
