"""One configuration for every rich-text field: what the editor offers is what the sanitiser keeps."""

import functools
from html import unescape

RICH_TEXT = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Link": {"enableTarget": False},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "Heading": {"levels": [3, 4]},
        "HardBreak": True,
    },
    "sanitize": True,
}


@functools.cache
def _cleaner():
    import nh3
    from django_prose_editor.config import allowlist_from_extensions, expand_extensions

    return nh3.Cleaner(**allowlist_from_extensions(expand_extensions(RICH_TEXT["extensions"])))


def clean_html(html):
    return _cleaner().clean(html)


def paragraphs_to_html(text):
    """Plain text with blank lines between paragraphs, as the fixtures hold it, made rich text."""
    from django.utils.html import escape

    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "".join(f"<p>{escape(block)}</p>" for block in blocks if block)


@functools.cache
def _text_only():
    import nh3

    return nh3.Cleaner(tags=set())


def excerpt(html, words):
    """Rich text as plain text (markup and any script or style content dropped), cut after `words`
    words: what the `rich_text|striptags|truncatewords` filters give, with one prepared sanitiser and
    no lazy Truncator (a glossary page cuts a hundred definitions)."""
    kept = unescape(_text_only().clean(html or "")).split()
    if len(kept) <= words:
        return " ".join(kept)
    cut = " ".join(kept[:words])
    return cut if cut.endswith(" …") else f"{cut} …"
