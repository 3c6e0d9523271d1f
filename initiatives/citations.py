"""A publication cited three ways: a formatted reference for people, RIS and BibTeX for reference managers.

Each carries the document symbol, ISBN or ISSN when the publication has one, and the portal address
where it can be found. Titles are in the reader's language (the active one).
"""

import re

from django.utils.translation import gettext as _

RIS_TYPES = {
    "handbook": "BOOK",
    "guide": "BOOK",
    "report": "RPRT",
    "series": "SER",
    "council-document": "GOVDOC",
    "resolution": "GOVDOC",
}
BIBTEX_TYPES = {"handbook": "book", "guide": "book", "report": "techreport"}
BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")


def creators(publication, publishers=None):
    """The authors as written ("A; B"), or else the publishers (their names, when already read): an
    institutional author is still an author."""
    names = [name.strip() for name in publication.authors.split(";") if name.strip()]
    if names:
        return names
    return publishers if publishers is not None else [publisher.name for publisher in publication.publishers.all()]


def formatted(publication, url, publishers=None):
    """An author–date reference: Authors (Year). Title: Subtitle. Symbol. Publishers. ISBN. URL.

    `publishers`: their names, when the page has read them already."""
    if publishers is None:
        publishers = [publisher.name for publisher in publication.publishers.all()]
    year = publication.year or _("n.d.")  # "no date", as reference styles write it
    authors = creators(publication, publishers)
    parts = [f"{'; '.join(authors)} ({year})."]
    parts.append(f"{publication.full_title}.")
    if publication.symbol:
        parts.append(f"{publication.symbol}.")
    if publishers and publishers != authors:
        parts.append(f"{', '.join(publishers)}.")
    if publication.isbn:
        parts.append(f"ISBN {publication.isbn}.")
    if publication.issn:
        parts.append(f"ISSN {publication.issn}.")
    parts.append(url)
    return " ".join(parts)


def ris(publication, url, language):
    lines = [("TY", RIS_TYPES.get(publication.kind, "GEN"))]
    lines += [("AU", name) for name in creators(publication)]
    lines.append(("TI", publication.title))
    if publication.subtitle:
        lines.append(("T2", publication.subtitle))
    if publication.year:
        lines.append(("PY", str(publication.year)))
    lines += [("PB", publisher.name) for publisher in publication.publishers.all()]
    if publication.symbol:
        lines.append(("CN", publication.symbol))
    lines += [("SN", number) for number in (publication.isbn, publication.issn) if number]
    lines += [("LA", language), ("UR", url), ("ER", "")]
    # RIS wants a tag, two spaces, a hyphen and a space, and no line breaks inside a value.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)


def bibtex_value(text):
    return "{" + BIBTEX_SPECIAL.sub(r"\\\1", " ".join(str(text).split())) + "}"


def bibtex(publication, url, language):
    entry_type = BIBTEX_TYPES.get(publication.kind, "misc")
    key = re.sub(r"[^A-Za-z0-9]+", "", publication.symbol or publication.slug) + str(publication.year or "")
    publisher_field = "institution" if entry_type == "techreport" else "publisher"
    fields = [
        ("title", publication.full_title),
        ("year", publication.year),
        (publisher_field, ", ".join(publisher.name for publisher in publication.publishers.all())),
        ("number", publication.symbol),
        ("isbn", publication.isbn),
        ("issn", publication.issn),
        ("language", language),
        ("url", url),
    ]
    # Each author in its own braces: "International Organization for Migration" is one name, not a
    # person whose surname is "Migration".
    authors = " and ".join(bibtex_value(name) for name in creators(publication))
    lines = [f"  author = {{{authors}}}"] if authors else []
    lines += [f"  {name} = {bibtex_value(value)}" for name, value in fields if value]
    return f"@{entry_type}{{{key},\n" + ",\n".join(lines) + "\n}\n"
