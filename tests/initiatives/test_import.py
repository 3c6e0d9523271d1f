import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from initiatives.models import Comment, Footnote, Paragraph, Publication, Section
from initiatives.services import comment_submit

pytestmark = pytest.mark.django_db

SEED = settings.BASE_DIR / "fixtures" / "MC-2353.es.txt"
TRANSLATION = settings.BASE_DIR / "fixtures" / "mc-2353.en.yaml"


def import_document(path=SEED, translation=TRANSLATION):
    arguments = [str(path), "--symbol", "MC/2353", "--language", "es"]
    if translation:
        arguments += ["--translation", str(translation)]
    call_command("import_council_document", *arguments, verbosity=0)
    return Publication.objects.get(symbol="MC/2353")


def test_the_seed_gives_37_paragraphs_with_footnotes_and_no_page_headers(db):
    document = import_document()
    paragraphs = list(document.paragraphs.order_by("number"))
    assert [p.number for p in paragraphs] == list(range(1, 38))
    for paragraph in paragraphs:
        for text in (paragraph.text_es, paragraph.text_en):
            assert text and "MC/2353" not in text and "Página" not in text and "  " not in text
    notes = {note.number: note.paragraph.number for note in Footnote.objects.select_related("paragraph")}
    assert notes == {1: 4, 2: 5, 3: 7, 4: 8, 5: 11, 6: 32, 7: 36}
    by_number = {p.number: p for p in paragraphs}
    assert "pequeño grupo de países[^1] y, con el apoyo" in by_number[4].text_es
    assert "Agenda de Desarrollo de las Naciones Unidas después de 2015[^7] para informar" in by_number[36].text_es
    # paragraphs that a footnote block or a page break cut in two are one paragraph
    assert "Desde su creación en 2006, el FMMD ha trascendido" in by_number[7].text_es
    assert "con miras a preparar el Diálogo de Alto Nivel de 2013" in by_number[35].text_es
    assert by_number[30].text_es.startswith("A fin de informar la incorporación")
    assert all(re.search(r"\[\^\d\]", by_number[n].text_en) for n in (4, 5, 7, 8, 11, 32, 36))


def test_headings_and_subsections(db):
    document = import_document()
    titles = [(s.title_es, s.level) for s in Section.objects.filter(document=document).order_by("order")]
    assert titles[0] == ("Introducción", 1)
    assert ("Velar por la protección de los migrantes", 2) in titles
    assert titles[-1] == ("Conclusión", 1)
    assert Paragraph.objects.get(document=document, number=22).section.title_en == "Ensuring the protection of migrants"


def test_reimport_updates_in_place_and_keeps_comments(db, delegate_a):
    from datetime import timedelta

    from django.utils import timezone

    from initiatives.models import Consultation

    document = import_document()
    now = timezone.now()
    Consultation.objects.create(
        document=document, title_es="C", title_en="C", opens_at=now - timedelta(1), closes_at=now + timedelta(1)
    )
    document.state = "published"
    document.save()
    paragraph = document.paragraphs.get(number=29)
    comment = comment_submit(author=delegate_a, target=paragraph, body="Keep me.", language="es")
    Paragraph.objects.filter(pk=paragraph.pk).update(text_es="Texto viejo")

    import_document()

    assert Paragraph.objects.filter(document=document).count() == 37
    assert Footnote.objects.filter(document=document).count() == 7
    comment.refresh_from_db()
    assert comment.paragraph_id == paragraph.pk
    assert comment.paragraph.text_es.startswith("A nivel sustancial")
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n  ", "The file is empty."),
        ("Introducción\n\nUn texto sin párrafos numerados.\n".encode(), "No numbered paragraphs were found"),
        (b"1. Uno.\n\n2. Dos.\n\n2. Otra vez dos.\n", "Paragraph numbers appear more than once: 2."),
        ("1. Migración y desarrollo.\n".encode("latin-1"), "The file is not UTF-8 text"),
    ],
)
def test_malformed_input_stops_with_a_clear_message_and_writes_nothing(db, tmp_path, content, message):
    path = tmp_path / "document.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        import_document(path, translation=None)
    assert not Paragraph.objects.exists() and not Publication.objects.exists()


def test_a_translation_that_does_not_match_writes_nothing(db, tmp_path):
    translation = tmp_path / "en.yaml"
    translation.write_text("paragraphs:\n  1: One.\nfootnotes: {}\nheadings: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="does not have the same paragraphs"):
        import_document(translation=translation)
    assert not Paragraph.objects.exists()


def test_the_document_reads_side_by_side(client, seed_content):
    html = client.get("/en/documents/mc-2353/?view=both").content.decode()
    assert '<section class="paragraph" id="p29"' in html
    assert '<p lang="es">A nivel sustancial' in html
    assert '<p lang="en">At a substantive level' in html or '<p lang="en">' in html
    assert html.count('id="fnref1"') == 1
    assert '<li id="fn1" value="1">' in html


@pytest.mark.parametrize("path", ["/es/documentos/mc-2353/", "/en/documents/mc-2353/"])
def test_anchors_are_the_same_in_both_languages(client, seed_content, path):
    html = client.get(path).content.decode()
    assert all(f'id="p{n}"' in html for n in range(1, 38))
