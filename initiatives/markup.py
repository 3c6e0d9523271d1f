"""The consultation's parts of pages that repeat a value many times (the comments' cards, the council
document's paragraphs and notes), written in Python for the site's templates (portal.jinja)."""

import functools
import re
from html import escape

from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from initiatives.models import Comment
from portal.addresses import addresses
from portal.markup import linked_paragraph


@functools.lru_cache(maxsize=8)
def card_parts(language):
    """What every card of a page shares, worked out once per language and process (the words are
    translated here, in the active language): the labels and the language names."""
    words = {
        "official": escape(gettext("Official position")),
        "reply": escape(gettext("reply")),
        "permalink": escape(gettext("Permalink")),
        "answer": escape(gettext("Reply")),
    }
    language_names = {code: escape(str(label)) for code, label in Comment.Language.choices}
    return words, language_names


@functools.lru_cache(maxsize=4096)
def day_in_words(language, day):
    """A date as `language` writes it, escaped: formatting cost more than the rest of a card, and
    comments share their days."""
    with translation.override(language):
        return escape(dateformat.format(day, get_format("DATE_FORMAT")))


PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def paragraphs(text):
    """What Django's `linebreaks` filter makes of plain text, with the standard library's escaping."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n\n".join("<p>" + escape(part).replace("\n", "<br>") + "</p>" for part in PARAGRAPH_BREAK.split(text))


def comment_cards(comments, can_reply=False):
    """The comments as cards, with their replies indented by `depth`, and a reply link on each when the
    reader `can_reply`.

    Written in Python: the council document shows over a hundred of them, and each card has some
    fifteen values that the template engine took 170 µs to look up and escape."""
    if not comments:
        none_yet = gettext("No published comments yet.")  # outside the f-string, where xgettext finds it
        return mark_safe(f"<p>{escape(none_yet)}</p>")
    language = translation.get_language()
    words, language_names = card_parts(language)
    cards = []
    permalink_of = addresses("comments:detail", "pk")
    for comment in comments:
        key = comment.pk
        permalink = permalink_of(key)
        by = (
            f'<strong id="comment-{key}-by"><span lang="{language}">{escape(str(comment.member_state))}</span></strong>'
        )
        badge = (
            f'\n<span class="badge" lang="{language}">{words["official"]}</span>' if comment.official_position else ""
        )
        written = day_in_words(language, timezone.localdate(comment.created_at))
        # to the second: HTML accepts at most milliseconds
        when = f'<time datetime="{comment.created_at.isoformat(timespec="seconds")}">{written}</time>'
        language_name = language_names.get(comment.language) or escape(comment.language)
        reply_mark = f" · {words['reply']}" if comment.parent_id else ""
        reply_link = f' · <a href="?reply_to={key}#comment-form">{words["answer"]}</a>' if can_reply else ""
        cards.append(
            f'<li class="comment depth-{comment.depth}" id="comment-{key}">\n'
            f'<article lang="{escape(comment.language)}" aria-labelledby="comment-{key}-by">\n'
            f'<header class="comment-header">\n{by}{badge}\n'
            f'<span class="meta" lang="{language}">{when} · {language_name}{reply_mark}</span>\n'
            f"</header>\n"
            f'<div class="comment-body">{paragraphs(comment.body)}</div>\n'
            f'<p class="comment-links" lang="{language}"><a href="{permalink}">{words["permalink"]}</a>'
            f"{reply_link}</p>\n"
            f"</article>\n"
            f"</li>"
        )
    return mark_safe('<ol class="comments">\n' + "\n".join(cards) + "\n</ol>")


@functools.lru_cache(maxsize=8)
def document_words(language):
    """The phrases that every paragraph of a council document's page repeats, translated once per
    language and process (in the active language, which `language` names): a translation lookup cost
    more than the rest of a paragraph's tools. Escaped before a number goes in, which needs no escaping."""
    return {
        "paragraph": escape(gettext("paragraph %(number)s")),
        "label": escape(gettext("Paragraph %(number)s")),
        "read": escape(gettext("Read the latest comments")),
        "back": escape(gettext("Back to the reference of note %(number)s")),
    }


@functools.lru_cache(maxsize=4096)
def counted(language, singular, plural, count, name="counter"):
    """`ngettext()` in the active language (which `language` names) with the count in `%(name)s`,
    escaped, and kept per count: paragraphs share their counts' phrases."""
    return escape(ngettext(singular, plural, count) % {name: count})


def paragraph_tools(paragraph, words, addresses_of, language):
    """What follows a paragraph of the council document: its comment count, and two disclosures, of its
    latest comments and of the initiatives that come from it. Each disclosure holds a link to its own
    page; its content comes when a reader opens it (portal/js/disclosures.js). `words` are
    `document_words()`, `addresses_of` the `addresses()` of the paragraph's pages."""
    number, count, total = paragraph.number, paragraph.comment_count, paragraph.initiative_count
    thread = addresses_of["thread"](number)
    hidden = f'<span class="visually-hidden"> — {words["paragraph"] % {"number": number}}</span>'
    comments = counted(language, "%(counter)s published comment", "%(counter)s published comments", count)
    parts = [f'<div class="paragraph-tools">\n<a href="{thread}">{comments}{hidden}</a>\n</div>']
    if count:
        all_of_them = counted(
            language, "The comment on this paragraph", "All %(count)s comments on this paragraph", count, "count"
        )
        parts.append(
            f'<details class="paragraph-comments" data-load="{addresses_of["latest"](number)}">\n'
            f"<summary>{words['read']}{hidden}</summary>\n"
            f'<div class="loaded"></div>\n<p><a href="{thread}">{all_of_them}</a></p>\n</details>'
        )
    if total:
        summary = counted(
            language,
            "%(counter)s initiative comes from this paragraph",
            "%(counter)s initiatives come from this paragraph",
            total,
        )
        listed = counted(
            language,
            "The initiative from this paragraph",
            "All %(count)s initiatives from this paragraph",
            total,
            "count",
        )
        page = addresses_of["initiatives"](number)
        parts.append(
            f'<details class="paragraph-initiatives" data-load="{page}" data-part=".paragraph-initiative-list">\n'
            f"<summary>{summary}</summary>\n"
            f'<div class="loaded"></div>\n<p><a href="{page}">{listed}</a></p>\n</details>'
        )
    return "\n".join(parts)


def document_blocks(document, blocks, side_by_side):
    """The council document's headings and paragraphs (`document_blocks()` of the view), each paragraph
    with its number, its text (both languages side by side, the page's first) and `paragraph_tools`.

    Written in Python like the cards: the template engine spent as long on the three dozen paragraphs'
    tags, lookups and seven translated phrases each as the rest of the page took."""
    language = translation.get_language()
    other = "en" if language == "es" else "es"
    words = document_words(language)
    addresses_of = {
        "thread": addresses("comments:paragraph", "key", slug=document.slug),
        "latest": addresses("comments:latest", "key", slug=document.slug),
        "initiatives": addresses("initiatives:paragraph_initiatives", "key", slug=document.slug),
    }
    parts = []
    for kind, block in blocks:
        if kind == "heading":
            tag = "h2" if block.level == 1 else "h3"
            parts.append(f'<{tag} class="doc-heading">{escape(block.title)}</{tag}>')
            if side_by_side:
                title = getattr(block, f"title_{other}")
                parts.append(f'<p class="doc-heading-other" lang="{other}">{escape(title or "")}</p>')
            continue
        anchor, number = block.anchor, block.number
        if side_by_side:  # the markers' ids on the page's own language only, so that ids stay unique
            columns = "\n".join(
                f'<p lang="{code}">{linked_paragraph(getattr(block, f"text_{code}"), code, code == language)}</p>'
                for code in ("es", "en")
            )
            text = f'<div class="paragraph-columns">\n{columns}\n</div>'
        else:
            text = f"<p>{linked_paragraph(block.text, language)}</p>"
        label = words["label"] % {"number": number}
        tools = paragraph_tools(block, words, addresses_of, language)
        parts.append(
            f'<section class="paragraph" id="{anchor}" aria-labelledby="{anchor}-number">\n'
            f'<a class="paragraph-number" id="{anchor}-number" href="#{anchor}" aria-label="{label}">{number}.</a>\n'
            f"{text}\n{tools}\n</section>"
        )
    return mark_safe("\n".join(parts))


def footnote_items(footnotes, side_by_side):
    """The council document's notes as list items, each with its text (both languages side by side) and
    a link back to its reference: written in Python like the paragraphs, since seven notes' lookups and
    translated labels cost the template engine a tenth of the page."""
    words = document_words(translation.get_language())
    items = []
    for note in footnotes:
        number = note.number
        if side_by_side:
            text = f'<span lang="es">{escape(note.text_es)}</span> <span lang="en">{escape(note.text_en)}</span>'
        else:
            text = escape(note.text)
        back = words["back"] % {"number": number}
        items.append(
            f'\n    <li id="{note.anchor}" value="{number}">\n      {text}\n'
            f'      <a href="#fnref{number}" aria-label="{back}">↩</a>\n    </li>\n    '
        )
    return mark_safe("".join(items))
