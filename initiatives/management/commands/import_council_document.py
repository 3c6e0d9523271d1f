from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from initiatives.council_document import CouncilDocumentError, decode, parse_council_document
from initiatives.services import council_document_import


class Command(BaseCommand):
    help = (
        "Import a council document from text extracted from its PDF: sections, numbered paragraphs and "
        "footnotes. Re-importing updates it in place; comments stay attached to their paragraphs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="UTF-8 text extracted from the PDF")
        parser.add_argument("--symbol", required=True, help="the document symbol, e.g. MC/2353")
        parser.add_argument("--language", choices=["es", "en"], default="es", help="the language of the text")
        parser.add_argument(
            "--translation",
            type=Path,
            help="YAML with the other language: headings (with levels), paragraphs and footnotes by number",
        )

    def handle(self, *args, path, symbol, language, translation, **options):
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            parsed = parse_council_document(decode(path.read_bytes()))
            other = read_translation(translation) if translation else None
            document = council_document_import(symbol=symbol, language=language, parsed=parsed, translation=other)
        except CouncilDocumentError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{document.symbol}: {len(parsed.paragraphs)} paragraphs, {len(parsed.footnotes)} footnotes, "
                f"{len(parsed.headings)} headings imported."
            )
        )


def read_translation(path):
    if not path.is_file():
        raise CouncilDocumentError(f"There is no translation file at {path}.")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CouncilDocumentError(f"The translation file {path} cannot be read: {error}") from None
    if not isinstance(content, dict) or "paragraphs" not in content:
        raise CouncilDocumentError(f"The translation file {path} has no paragraphs.")
    return content
