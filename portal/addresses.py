from django.urls import reverse

PLACEHOLDER = "424242424242"  # fits a slug and a key pattern, and no other part of an address


def address_maker(name, argument):
    """A function from one value of `argument` (a slug, a key) to the address of that page, made from
    one reverse(): for pages that link dozens or hundreds of items, where reverse() each cost more
    than the rest of the item."""
    pattern = reverse(name, kwargs={argument: PLACEHOLDER})
    return lambda value: pattern.replace(PLACEHOLDER, str(value))
