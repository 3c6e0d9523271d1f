from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Window
from django.db.models.functions import RowNumber

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
        rows = self.object_list
        if not isinstance(number, int) or number < 1 or rows.query.distinct:
            return None
        bottom, top = (number - 1) * self.per_page, number * self.per_page + self.orphans
        listed = rows.annotate(listed=Window(Count("*")))
        if len(rows.query.alias_map) > 1:
            read = self.numbered(listed, bottom, top)
        else:
            read = list(listed.values_list("pk", "listed")[bottom:top])
        if not read:
            return None
        self.count = read[0][1]
        return [key for key, _length in read]

    @staticmethod
    def numbered(listed, bottom, top):
        """The keys and the length of rows `bottom` to `top` of a list with a join (a theme, a region).

        With a LIMIT, PostgreSQL 16 plans the count's window as if it could stop early, and probes the
        link table for each row of the list in its order (18 ms for a theme among 20,000 initiatives).
        Numbering the rows and keeping the page's numbers lets it join the theme's links at once (6 ms).
        The SQL is wrapped here rather than through a filter on the window, which Django compiles as
        three nested queries (a millisecond of the worker's time)."""
        order = listed.query.order_by or listed.model._meta.ordering
        numbered = listed.annotate(place=Window(RowNumber(), order_by=list(order))).order_by()
        sql, params = numbered.values_list("pk", "listed", "place").query.sql_with_params()
        with connections[listed.db].cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({sql}) AS numbered WHERE place > %s AND place <= %s ORDER BY place",
                (*params, bottom, top),
            )
            # by name: modeltranslation may reorder the columns of a values_list()
            names = [column.name for column in cursor.description]
            key, length = names.index("pk"), names.index("listed")
            return [(row[key], row[length]) for row in cursor.fetchall()]
