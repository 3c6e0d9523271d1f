"""Turning the text extracted from a council document's PDF into its structure.

The extraction keeps the PDF's pages: a header ("MC/2353", "Página 10") on some pages, a line
of spaces before each page's footnotes, and a single leading space on the first line of a new
page. Footnotes interrupt paragraphs mid-sentence. `parse_council_document` undoes all of that and
returns headings, numbered paragraphs and footnotes, with each footnote marker ("países1")
rewritten as "[^1]". It writes nothing; the import command stores what it returns.
"""

import re
from dataclasses import dataclass, field

PAGE_HEADER = re.compile(r"^\s*(MC/\d+(/\w+)?|P[áa]gina \d+|Page \d+)\s*$")
FOOTNOTE_SEPARATOR = re.compile(r"^ {20,}$")
FOOTNOTE_START = re.compile(r"^(\d{1,2}) (\S.*)$")
PAGE_TOP = re.compile(r"^ \S")
PARAGRAPH_START = re.compile(r"^ ?(\d{1,3})\.\s+(\S.*)$")
SENTENCE_END = re.compile(r"[.:;!?»”\"]\s*$|\.\.\.”?\s*$")


class CouncilDocumentError(ValueError):
    """The text cannot be read as a council document; the message says why."""


@dataclass
class ParsedHeading:
    title: str
    before_paragraph: int | None  # the number of the first paragraph after it


@dataclass
class ParsedParagraph:
    number: int
    lines: list = field(default_factory=list)
    heading_index: int | None = None
    text: str = ""


@dataclass
class ParsedFootnote:
    number: int
    lines: list = field(default_factory=list)
    paragraph_number: int | None = None
    text: str = ""


@dataclass
class ParsedDocument:
    headings: list
    paragraphs: list
    footnotes: list


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CouncilDocumentError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read); convert it to UTF-8 first."
        ) from None


def join_lines(lines):
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and not text.endswith(" -") and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return re.sub(r"\s+", " ", text).strip()


def split_footnotes(lines):
    """Body lines without page headers, and the footnotes found in each footnote block."""
    body, footnotes = [], []
    in_notes = False
    for line in lines:
        if PAGE_HEADER.match(line):
            in_notes = False
            continue
        if FOOTNOTE_SEPARATOR.match(line):
            in_notes = True
            body.append("")
            continue
        if in_notes:
            if PAGE_TOP.match(line):
                in_notes = False  # the next page begins: back to the body
            else:
                start = FOOTNOTE_START.match(line)
                if start:
                    footnotes.append(ParsedFootnote(int(start[1]), [start[2]]))
                elif footnotes and line.strip():
                    footnotes[-1].lines.append(line)
                continue
        body.append(line)
    return body, footnotes


def parse_council_document(text: str) -> ParsedDocument:
    if not text.strip():
        raise CouncilDocumentError("The file is empty.")
    body, footnotes = split_footnotes(text.replace("\r\n", "\n").replace("\f", "\n").split("\n"))

    headings, paragraphs = [], []
    pending_heading = []  # lines of a heading being read
    current = None
    after_blank = True
    for line in body:
        if not line.strip():
            after_blank = True
            if pending_heading:
                headings.append(ParsedHeading(join_lines(pending_heading), before_paragraph=None))
                pending_heading = []
            continue
        start = PARAGRAPH_START.match(line)
        if start:
            if pending_heading:
                headings.append(ParsedHeading(join_lines(pending_heading), before_paragraph=None))
                pending_heading = []
            current = ParsedParagraph(int(start[1]), [start[2]])
            paragraphs.append(current)
            for heading in headings:
                if heading.before_paragraph is None:
                    heading.before_paragraph = current.number
            after_blank = False
            continue
        continues_paragraph = current is not None and (
            not after_blank or not SENTENCE_END.search(join_lines(current.lines))
        )
        if continues_paragraph and not pending_heading:
            current.lines.append(line)
        else:
            pending_heading.append(line)
        after_blank = False
    if pending_heading:
        headings.append(ParsedHeading(join_lines(pending_heading), before_paragraph=None))

    if not paragraphs:
        raise CouncilDocumentError('No numbered paragraphs were found (a paragraph starts with "1. ").')
    numbers = [paragraph.number for paragraph in paragraphs]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    if repeated:
        raise CouncilDocumentError(f"Paragraph numbers appear more than once: {', '.join(map(str, repeated))}.")
    note_numbers = [note.number for note in footnotes]
    repeated_notes = sorted({number for number in note_numbers if note_numbers.count(number) > 1})
    if repeated_notes:
        raise CouncilDocumentError(f"Footnote numbers appear more than once: {', '.join(map(str, repeated_notes))}.")

    for paragraph in paragraphs:
        paragraph.text = join_lines(paragraph.lines)
    place_headings(headings, paragraphs)
    place_footnote_markers(paragraphs, footnotes)
    return ParsedDocument(headings=headings, paragraphs=paragraphs, footnotes=footnotes)


def place_headings(headings, paragraphs):
    """A heading with no paragraph after it (the last one) still gets a place, at the end."""
    for heading in headings:
        if heading.before_paragraph is None:
            heading.before_paragraph = paragraphs[-1].number + 1
    for index, heading in enumerate(headings):
        for paragraph in paragraphs:
            if paragraph.number >= heading.before_paragraph:
                paragraph.heading_index = index


def place_footnote_markers(paragraphs, footnotes):
    """Rewrite "países1" as "países[^1]"; markers come in the order of the notes."""
    start = 0
    for note in sorted(footnotes, key=lambda n: n.number):
        note.text = join_lines(note.lines)
        glued_to_word = re.compile(rf"(?<=[^\W\d]){note.number}(?!\d)")
        glued_to_year = re.compile(rf"(?<=\b(?:19|20)\d\d){note.number}(?!\d)")
        for pattern in (glued_to_word, glued_to_year):
            found = next((i for i in range(start, len(paragraphs)) if pattern.search(paragraphs[i].text)), None)
            if found is not None:
                paragraph = paragraphs[found]
                paragraph.text = pattern.sub(f"[^{note.number}]", paragraph.text, count=1)
                note.paragraph_number = paragraph.number
                start = found
                break
