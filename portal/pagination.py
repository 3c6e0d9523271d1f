from django.core.paginator import Paginator
from django.db.models import Count, Window

from portal.compiled import KEYS, compiled_once


class KeysFirstPaginator(Paginator):
    """Reads a page's keys first, then only those rows: page 800 costs about what page 1 costs.

    With OFFSET, PostgreSQL builds and throws away every row before the page. Asking for the keys alone
    lets it skip them on the list's ordering index (an index-only scan); the page's rows, with their
    prefetches, come from a second query by key, put back in the list's order.

    `rows` (a queryset, a shape name) reads the page's rows from that queryset, with SQL compiled once
    (`compiled_once`): the list's own rows, unfiltered, since the filters have chosen the keys. `order`,
    when given, is every key of the list in its order (the whole list's, kept per content generation):
    a page's keys are then a slice of it, and its length the list's. Otherwise a page's keys and the
    list's length come from one query (`keys_and_length`).
    """

    def __init__(self, *args, rows, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.order = rows, order
        if order is not None:
            self.count = len(order)

    def page(self, number):
        read = None
        if self.order is None and "count" not in self.__dict__:
            read = self.keys_and_length(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if read is not None:
            keys = read[: top - bottom]
        elif self.order is None:
            keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        else:
            keys = list(self.order[bottom:top])
        queryset, shape = self.rows
        rows = compiled_once(queryset.filter(pk__any=KEYS), shape, keys=keys) if keys else []
        by_key = {row.pk: row for row in rows}
        return self._get_page([by_key[key] for key in keys if key in by_key], number, self)

    def keys_and_length(self, number):
        """The keys a page may show and the list's length, in one query over the filtered rows (a count
        over all of them beside each key), and the length kept. None when that cannot be: a number that
        is not a page's, a page past the end (the length is then counted), or a list of distinct rows
        (the count would include the rows that DISTINCT drops)."""
        if not isinstance(number, int) or number < 1 or self.object_list.query.distinct:
            return None
        bottom = (number - 1) * self.per_page
        listed = self.object_list.annotate(listed=Window(Count("*"))).values_list("pk", "listed")
        read = list(listed[bottom : bottom + self.per_page + self.orphans])
        if not read:
            return None
        self.count = read[0][1]
        return [key for key, _length in read]
