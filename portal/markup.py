"""What the site's templates (portal.jinja) call: addresses worked out once, and the parts of pages that
repeat a value many times (cards, rows, entries, links), written in Python rather than by a template loop."""

import functools
import html
import re
import unicodedata

from django.conf import STATICFILES_STORAGE_ALIAS, settings
from django.core.files.storage import storages
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext

from initiatives.models import Initiative, Publication
from portal.rich_text import clean_html


def alternate_urls(context):
    """The same page in every language: [(code, name, url)], the query string kept.

    A page about one object asks the object, since its slug differs per language; any other
    page has its path words translated by Django (kept per path: the same few paths come back).
    """
    request = context["request"]
    item = context.get("object")
    query = request.META.get("QUERY_STRING", "")
    current = translation.get_language()
    alternates = []
    for code, name in language_names():
        if code == current:
            url = request.path
        elif item is not None and hasattr(item, "get_absolute_url"):
            with translation.override(code):
                url = item.get_absolute_url()
        else:
            url = translated_path(request.path, current, code, *address_book())
        if query:
            url = f"{url}?{query}"
        alternates.append((code, name, url))
    return alternates


@functools.cache
def language_names():
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def address_book():
    """What an address depends on besides the language: the script prefix and the URLconf."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@functools.lru_cache(maxsize=1024)
def translated_path(path, _current, code, _prefix, _urlconf):
    return translate_url(path, code)


def site_url(name):
    """`{% url name %}` for an address without arguments, worked out once per language."""
    return site_address(name, translation.get_language(), *address_book())


@functools.lru_cache(maxsize=256)
def site_address(name, _language, _prefix, urlconf):
    return reverse(name, urlconf=urlconf)


def static(path):
    """Django's `{% static path %}`, with each file's address kept: Django's asks the manifest storage
    each time (35 µs, two or three times a page); the manifest does not change while the process runs,
    and a new storage (settings changed in a test) or debug mode gives new addresses."""
    return kept_static(path, storages[STATICFILES_STORAGE_ALIAS], settings.DEBUG)


@functools.lru_cache(maxsize=64)
def kept_static(path, storage, _debug):
    return storage.url(path)


@functools.lru_cache(maxsize=256)
def kept_part(name, section, language, _prefix, _urlconf):
    """A fixed part of every page (`includes/site/<name>.html`: the head's links, the main menu, the
    footer), rendered once per language and section and kept: it holds only addresses and the
    interface's words, which stay as they are while the process runs. No content goes in a part."""
    markup = get_template(f"includes/site/{name}.html").render({"section": section, "LANGUAGE_CODE": language})
    return mark_safe(markup.strip())


def linked_count_rows(rows):
    """Table rows of (label, count, url): a row heading that links to the list, and the number.

    Written in Python: a map's table has a row per country, and the template engine would spend
    more on them than on the rest of the page.
    """
    return mark_safe(
        "".join(
            f'<tr><th scope="row"><a href="{html.escape(url)}">{html.escape(str(label))}</a></th>'
            f"<td>{html.escape(str(count))}</td></tr>"
            for label, count, url in rows
        )
    )


@functools.lru_cache(maxsize=16)
def labels_of(choices, _language):
    """{value: label} of a choices class in the active language (which `_language` names), as plain
    strings: get_FOO_display() rebuilds a dictionary of the choices on every call, and a lazy label
    translates itself again each time it is shown (5 µs), twenty times a list page."""
    return {value: str(label) for value, label in choices.choices}


def initiative_cards(initiatives):
    """Initiative cards, for the lists and the home page's featured initiatives (`as_cards()` rows).

    Written in Python: a list shows twenty cards of ten values each, and the template engine spent
    more time looking them up and escaping them than the rest of the page took.
    """
    cards = []
    address_of = Initiative.addressed()
    status_labels = labels_of(Initiative.Status, translation.get_language())
    for initiative in initiatives:
        tags = "".join(f'<span class="tag">{html.escape(name)}</span> ' for name in initiative.theme_names)
        years = initiative.years
        years = f'<span class="years">{html.escape(years)}</span>' if years else ""
        status = html.escape(initiative.status)
        cards.append(
            '<article class="card">\n'
            f'  <h2><a href="{html.escape(address_of(initiative))}">{html.escape(initiative.title)}</a></h2>\n'
            f'  <div class="card-summary">{clean_html(initiative.summary or "")}</div>\n'
            '  <p class="meta">\n'
            f"    {tags}\n"
            f"    {years}\n"
            f'    <span class="status status-{status}">{html.escape(status_labels[initiative.status])}</span>\n'
            "  </p>\n"
            "</article>\n"
        )
    return mark_safe("".join(cards))


def search_hits(hits):
    """A search page's hits (`portal.search.Hit`s: the snippet is already escaped and marked), written
    in Python like the cards: the template engine spent a tenth of the page's time on twenty hits. A
    kind's label is translated once a page, not once a hit."""
    labels = {}
    items = []
    for hit in hits:
        label = labels.get(hit.kind)
        if label is None:
            label = labels[hit.kind] = html.escape(str(hit.label))
        items.append(
            f'  <li><p class="meta">{label}</p>\n'
            f'    <h2><a href="{html.escape(hit.url)}">{html.escape(str(hit.title))}</a></h2>\n'
            f'    <p class="snippet">{conditional_escape(hit.snippet)}</p></li>\n'
        )
    return mark_safe("".join(items))


def search_facets(context):
    """A search page's links by type and by theme (`SearchView`'s `kinds` and `themes`, with the
    addresses built there), written in Python like its hits: the template engine spent as long on
    these sixteen links as on the twenty hits."""
    kind, theme, listed = context["kind"], context["theme"], context["max_per_kind"]
    by_type, by_theme = gettext("By type"), gettext("By theme")  # outside the f-strings, where xgettext finds them
    lines = [f"  <h2>{html.escape(by_type)}</h2>\n  <ul>\n"]
    lines.append(facet_link(not kind, gettext("All types"), context["every_kind"]))
    for code, label, count, address in context["kinds"]:
        shown = f"{label} ({count}{'+' if count >= listed else ''})"
        lines.append(facet_link(code == kind, shown, address if count else None))
    lines.append("  </ul>\n")
    if context["themes"] or theme:
        lines.append(f"  <h2>{html.escape(by_theme)}</h2>\n  <ul>\n")
        lines.append(facet_link(not theme, gettext("All themes"), context["every_theme"]))
        for tag, count, address in context["themes"]:
            lines.append(facet_link(tag.code == theme, f"{tag.name} ({count})", address))
        lines.append("  </ul>\n")
    return mark_safe("".join(lines))


def facet_link(current, text, address):
    """One item of a search's links: the current choice marked, a link, or a choice with no matches."""
    text = html.escape(str(text))
    if current:
        return f'    <li><span aria-current="true">{text}</span></li>\n'
    if address is None:
        return f"    <li><span>{text}</span></li>\n"
    return f'    <li><a href="{html.escape(address)}">{text}</a></li>\n'


def publication_items(publications):
    """The publication list's entries (`as_entries()` rows), written in Python like the initiative cards:
    twenty entries of six values each cost the template engine more than the rest of the page."""
    items = []
    address_of = Publication.addressed()  # reads the rows' kind and slug as it reads a publication's
    kind_labels = labels_of(Publication.Kind, translation.get_language())
    for publication in publications:
        url = address_of(publication)
        subtitle = f'<p class="subtitle">{html.escape(publication.subtitle)}</p>' if publication.subtitle else ""
        meta = [html.escape(capfirst(kind_labels[publication.kind]))]
        meta += [html.escape(str(value)) for value in (publication.year, publication.symbol) if value]
        if publication.publisher_names:
            meta.append(html.escape(", ".join(publication.publisher_names)))
        items.append(
            "<li>\n"
            f'    <h2><a href="{html.escape(url)}">{html.escape(publication.title)}</a></h2>\n'
            f"    {subtitle}\n"
            f'    <p class="meta">{" · ".join(meta)}</p>\n'
            "  </li>\n  "
        )
    return mark_safe("".join(items))


def term_entries(entries):
    """A glossary index group's terms (`glossary.views.IndexEntry`) as <dt>/<dd> pairs, written in
    Python like the cards: an index page lists a hundred terms of four values each."""
    items = []
    for entry in entries:
        term = html.escape(entry.term)
        acronym = f' <abbr title="{term}">{html.escape(entry.acronym)}</abbr>' if entry.acronym else ""
        items.append(
            f'<dt><a href="{html.escape(entry.url)}">{term}</a>{acronym}</dt>\n<dd>{html.escape(entry.excerpt)}</dd>\n'
        )
    return mark_safe("".join(items))


def letter_items(letters, chosen):
    """The glossary index's letters, (letter, has terms) pairs, as list items: a link for a letter with
    terms (the chosen one marked current), a plain letter otherwise. Written in Python: 26 items of
    three conditions each cost the template engine more than the rest of the navigation."""
    items = []
    for value, present in letters:
        value = html.escape(value)
        if present:
            current = ' aria-current="page"' if value == chosen else ""
            items.append(f'<li><a href="?letter={value}"{current}>{value}</a></li>')
        else:
            items.append(f'<li><span class="letter-empty">{value}</span></li>')
    return mark_safe("\n".join(items))


def rich_text(html):
    """Stored rich text, sanitised again on the way out: no markup from content ever runs."""
    return mark_safe(clean_html(html or ""))


FOOTNOTE_MARKER = re.compile(r"\[\^(\d+)\]")


def paragraph_text(text, anchors=True):
    """A document paragraph: plain text, escaped, with its footnote markers linked to the notes.

    `anchors=False` for a second copy of the paragraph (side by side), so that ids stay unique.
    """
    escaped = html.escape(str(text or ""))  # Django's escape() is this, behind a check for lazy strings
    if "[^" not in escaped:
        return mark_safe(escaped)

    def marker(match):
        anchor = f' id="fnref{match[1]}"' if anchors else ""
        return (
            f'<sup class="fn-ref"><a href="#fn{match[1]}"{anchor} '
            f'aria-describedby="footnotes-label">{match[1]}</a></sup>'
        )

    return mark_safe(FOOTNOTE_MARKER.sub(marker, escaped))


def glossary_links(html, language=None):
    """Glossary terms in displayed text linked to their entry; `language` for a copy in the other language."""
    from glossary.linking import link_terms

    return mark_safe(link_terms(str(html or ""), language or translation.get_language()))


def linked_paragraph(text, language, anchors=True):
    """`paragraph_text()` with the glossary's terms linked (`glossary_links()`) in `language`, kept per
    process beside the glossary's linked texts: the same text, anchors and glossary always give the same
    markup, and the council document shows three dozen paragraphs."""
    from glossary.linking import link_made

    return SafeString(link_made(("paragraph", text, anchors), lambda: paragraph_text(text, anchors), language))


TAGS = re.compile(r"<[^>]*>")


def description(markup, length=200):
    """Rich text as a page's description, what `striptags|truncatechars:length` gives: the meta and Open
    Graph descriptions render it twice a page, and Django's `striptags` parses the whole text as HTML
    (0.2 of a glossary term's 10.7 million instructions). Markup from the editor is sanitised when saved:
    its tags are whole, so a pattern drops them as the parser would, its entities kept as they are."""
    text = unicodedata.normalize("NFC", TAGS.sub("", str(markup or "")))
    return text if len(text) <= length else Truncator(text).chars(length)
