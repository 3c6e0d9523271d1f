from django.core.paginator import Paginator

from portal.compiled import KEYS, compiled_once


class KeysFirstPaginator(Paginator):
    """A page of a list whose keys, in order, are known: its rows are read by key, so page 800 costs
    what page 1 costs (with OFFSET, PostgreSQL builds and throws away every row before the page).

    `order` is every key of the list in its order, or any sequence that gives its length and slices
    of it (a filtered list's `portal.facets.Selection`). `rows` (a queryset, a shape name) reads the
    page's rows from that queryset, with SQL compiled once (`compiled_once`): the list's own rows,
    unfiltered, since the order has chosen the keys; they are put back in the list's order."""

    def __init__(self, *args, rows, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.order = rows, order
        self.count = len(order)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.order[bottom:top])
        queryset, shape = self.rows
        rows = compiled_once(queryset.filter(pk__any=KEYS), shape, keys=keys) if keys else []
        by_key = {row.pk: row for row in rows}
        return self._get_page([by_key[key] for key in keys if key in by_key], number, self)
