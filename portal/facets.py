"""A filtered list's length and keys from compressed bitmaps kept per content generation, not a query.

The whole list's keys, in its order, are kept per content generation and language (`FilteredListView`).
Each filter keeps, for each of its values, the positions in that order of the items the value selects,
as a compressed bitmap (pyroaring, written in C). A filtered list is the intersection of the chosen
values' bitmaps: its length is the intersection's, and a page's keys are the ones at the positions
of its rank range. The page then reads its rows by key, as an unfiltered page does: PostgreSQL neither
filters nor counts the list for it, and no filtered query is built, compiled or planned per request.

A filter's bitmaps are read the first time a page uses the filter in a content generation and
language: one query of (item, value) pairs, each item put at its position in the order (2–43 ms a
filter for 20,000 initiatives), and kept in the shared cache like the order.
"""

import functools
import itertools
import operator
from bisect import bisect_left, bisect_right
from collections import defaultdict
from decimal import Decimal

from django.db import connections, models
from pyroaring import FrozenBitMap

from portal.models import in_stated_order
from portal.page_cache import kept_per_generation

NOTHING = FrozenBitMap()


def plain(value):
    """A filter's cleaned value as its facet's values are read: a model's key, a whole number as an int
    (a number with a fraction stays as it is, and no item has it)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


class Values:
    """A filter that selects the items paired with its value in `rows`, whose `key` and `value` (field
    names or expressions) name an item and one of its values: an item with two themes has two pairs,
    and an item with none has none. `rows` may hold items that the list does not: they are left out."""

    def __init__(self, rows, value, key="pk"):
        self.rows, self.key, self.value = rows, key, value

    def read(self, order):
        """{value: the positions in `order` of its items}."""
        return bitmaps(placed(self.rows, order, self.key, self.value))

    def select(self, kept, value):
        return kept.get(plain(value), NOTHING)


class Span:
    """The items active in a year, as `InitiativeQuerySet.active_in` says: begun by then or with no start
    year, not ended before it or with no end year, and with at least one of the two years.

    Kept as the items begun by each start year and those still going at each end year (unions, so a
    year needs two bitmaps whatever the span of the years)."""

    def __init__(self, rows, start, end):
        self.rows, self.start, self.end = rows, start, end

    def read(self, order):
        rows = placed(self.rows, order, "pk", self.start, self.end)
        starts = bitmaps((place, start) for place, start, _end in rows)
        ends = bitmaps((place, end) for place, _start, end in rows)
        open_start, open_end = starts.pop(None, NOTHING), ends.pop(None, NOTHING)
        start_years, end_years = sorted(starts), sorted(ends)
        begun = list(itertools.accumulate((starts[year] for year in start_years), operator.or_))
        going = list(itertools.accumulate((ends[year] for year in reversed(end_years)), operator.or_))[::-1]
        return start_years, begun, end_years, going, open_start, open_end

    def select(self, kept, value):
        start_years, begun, end_years, going, open_start, open_end = kept
        year = int(value)
        started = bisect_right(start_years, year)  # how many start years are `year` or before
        ending = bisect_left(end_years, year)  # the first end year that is `year` or after
        begun_by = open_start | (begun[started - 1] if started else NOTHING)
        not_ended = open_end | (going[ending] if ending < len(end_years) else NOTHING)
        return (begun_by & not_ended) - (open_start & open_end)


def placed(rows, order, key, *values):
    """(position in `order`, *values) for each row of `rows` whose `key` is in `order` (field names or
    expressions).

    Read through a plain cursor: a model's values_list() costs 2 µs a row in Python (40 ms for the list's
    20,000 initiatives), the cursor a fifth of that."""
    sql, params = in_stated_order(rows.order_by()).values_list(key, *values).query.sql_with_params()
    places = {item: place for place, item in enumerate(order)}
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [(places[item], *rest) for item, *rest in cursor.fetchall() if item in places]


def bitmaps(pairs):
    """{value: FrozenBitMap of its positions}, from (position, value) pairs."""
    grouped = defaultdict(list)
    for place, value in pairs:
        grouped[value].append(place)
    return {value: FrozenBitMap(places) for value, places in grouped.items()}


def selected(facets, chosen, order, name, language):
    """The positions in `order` (the list `name`, in `language`) of the items that every chosen filter
    selects: `chosen` maps a filter's name to its cleaned value, `facets` a filter's name to its facet."""
    found = []
    for filter_name, value in chosen.items():
        facet = facets[filter_name]
        kept = kept_per_generation(f"list-facet:{name}:{filter_name}:{language}", functools.partial(facet.read, order))
        found.append(facet.select(kept, value))
    return functools.reduce(operator.and_, found)


class Selection:
    """The keys of `order` at `positions`, as a sequence that a paginator measures and slices."""

    def __init__(self, order, positions):
        self.order, self.positions = order, positions

    def __len__(self):
        return len(self.positions)

    def __getitem__(self, ranks):
        return [self.order[position] for position in self.positions[ranks]]
