import functools
import unicodedata


def index_letter(text):
    """The A–Z letter a term files under: accents folded, so Ámbito goes under A."""
    return letter_of(text.lstrip()[:1]) if text else "#"


@functools.cache
def letter_of(character):
    """Per character, once: the glossary index files thousands of terms on every request."""
    if not character:
        return "#"
    first = unicodedata.normalize("NFD", character)[0].upper()
    return first if "A" <= first <= "Z" else "#"
