import contextlib

from django.db import transaction
from django.db.models import ProtectedError

from initiatives.council_document import CouncilDocumentError, ParsedDocument
from initiatives.models import Footnote, Paragraph, Publication, Section

OTHER_LANGUAGE = {"es": "en", "en": "es"}


def check_translation(parsed: ParsedDocument, translation: dict):
    numbers = {paragraph.number for paragraph in parsed.paragraphs}
    translated = {int(number) for number in translation.get("paragraphs", {})}
    if numbers != translated:
        raise CouncilDocumentError(
            f"The translation does not have the same paragraphs: missing {sorted(numbers - translated)}, "
            f"extra {sorted(translated - numbers)}."
        )
    notes = {note.number for note in parsed.footnotes}
    translated_notes = {int(number) for number in translation.get("footnotes", {})}
    if notes != translated_notes:
        raise CouncilDocumentError(
            f"The translation does not have the same footnotes: missing {sorted(notes - translated_notes)}, "
            f"extra {sorted(translated_notes - notes)}."
        )
    headings = translation.get("headings", [])
    if len(headings) != len(parsed.headings):
        raise CouncilDocumentError(
            f"The document has {len(parsed.headings)} headings, the translation {len(headings)}."
        )


@transaction.atomic
def council_document_import(*, symbol, language, parsed: ParsedDocument, translation=None) -> Publication:
    """Store a parsed council document; paragraphs keep their identity (and comments) by number."""
    other = OTHER_LANGUAGE[language]
    if translation is not None:
        check_translation(parsed, translation)
    document = Publication.objects.filter(symbol=symbol, kind=Publication.Kind.COUNCIL_DOCUMENT).first()
    if document is None:
        slug = symbol.lower().replace("/", "-")
        titles = {f"title_{code}": (translation or {}).get(f"title_{code}") or symbol for code in ("es", "en")}
        document = Publication.objects.create(
            symbol=symbol,
            kind=Publication.Kind.COUNCIL_DOCUMENT,
            slug_es=slug,
            slug_en=slug,
            description_es=f"<p>{symbol}</p>",
            description_en=f"<p>{symbol}</p>",
            **titles,
        )

    document.sections.all().delete()
    sections = []
    headings_other = (translation or {}).get("headings", [])
    parent = None
    for order, heading in enumerate(parsed.headings):
        extra = headings_other[order] if order < len(headings_other) else {}
        level = int(extra.get("level", 1))
        section = Section.objects.create(
            document=document,
            order=order,
            parent=parent if level > 1 else None,
            **{f"title_{language}": heading.title, f"title_{other}": extra.get(other, "")},
        )
        if level == 1:
            parent = section
        sections.append(section)

    translated_paragraphs = {int(k): v for k, v in (translation or {}).get("paragraphs", {}).items()}
    kept = set()
    for item in parsed.paragraphs:
        values = {
            f"text_{language}": item.text,
            "section": sections[item.heading_index] if item.heading_index is not None else None,
        }
        if item.number in translated_paragraphs:
            values[f"text_{other}"] = " ".join(str(translated_paragraphs[item.number]).split())
        paragraph, _created = Paragraph.objects.update_or_create(document=document, number=item.number, defaults=values)
        kept.add(paragraph.pk)
    paragraph_by_number = {paragraph.number: paragraph for paragraph in document.paragraphs.all()}

    translated_notes = {int(k): v for k, v in (translation or {}).get("footnotes", {}).items()}
    for item in parsed.footnotes:
        values = {f"text_{language}": item.text, "paragraph": paragraph_by_number.get(item.paragraph_number)}
        if item.number in translated_notes:
            values[f"text_{other}"] = " ".join(str(translated_notes[item.number]).split())
        Footnote.objects.update_or_create(document=document, number=item.number, defaults=values)
    document.footnotes.exclude(number__in=[item.number for item in parsed.footnotes]).delete()

    for paragraph in document.paragraphs.exclude(pk__in=kept):
        with contextlib.suppress(ProtectedError):  # a paragraph with comments is kept, never lost with them
            paragraph.delete()
    return document
