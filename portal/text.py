import unicodedata


def index_letter(text):
    """The A–Z letter a term files under: accents folded, so Ámbito goes under A."""
    if not text:
        return "#"
    first = unicodedata.normalize("NFD", text.strip()[0])[0].upper()
    return first if "A" <= first <= "Z" else "#"
