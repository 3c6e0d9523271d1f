"""Querysets compiled to SQL once per shape, not once per request.

Turning a page's queryset into SQL (its joins, its annotations' subqueries, its ordering) costs a
public page 1–3 ms of the worker's CPU, more than PostgreSQL spends running the prepared statement. A
page whose query has one shape (the same filters and annotations; only a slug, a page's keys or the
moment change) marks it with `compiled_once(queryset, shape, slug=...)`: the first run in a process
compiles it with `Slot`s standing for the values and keeps the compiler; later runs copy the kept
compiler and only put the values in. The moment that `published()` compares with is a slot of its own,
taken anew on each run.

The mark is dropped by anything that builds a new queryset from the marked one (`filter()`, `count()`,
`first()`, `exists()`...), which therefore compiles as usual: only the marked queryset itself runs the
kept SQL. Mark a queryset last, just before it is read.

django-prepared-queries does this for Django 1.x, unmaintained; this module is its small core for 5.2.
"""

import contextvars
import copy

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.sql import Query
from django.utils import timezone, translation

MAX_SHAPES = 256  # kept compilers per process, the least recently run dropped first (a list's page
# positions are shapes of their own: a crawler walking every page must not push the others out for good)
# The test suite sets this: each run also compiles its query as usual, and fails unless the SQL and its
# fixed parameters are the kept ones (a shape name given to two shapes, a value that is not a slot).
CHECKED = False

_compiling_once = contextvars.ContextVar("compiling_once", default=False)
_kept = {}  # (shape, database alias, language) -> KeptSQL


class Slot(models.Expression):
    """A value of a query compiled once, put in on each run: `filter(slug=Slot("slug", CharField()))`."""

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        if not compiling_once():
            raise TypeError(f"{self!r} is filled only in a queryset marked by compiled_once(), not one built from it")
        return "%s", [self]

    def __repr__(self):
        return f"Slot({self.name!r})"


KEYS = Slot("keys", ArrayField(models.BigIntegerField()))  # a page's keys: `filter(pk__any=KEYS)`
MOMENT = "moment"  # the slot `CurrentTime` stands in while a query is compiled once


def compiling_once():
    """True while a query is being compiled to be kept: `CurrentTime` then leaves a slot, not the time."""
    return _compiling_once.get()


@models.ForeignKey.register_lookup
@models.Field.register_lookup
class AnyOf(models.Lookup):
    """`field__any=Slot(...)`: the field equals one value of an array, in one SQL shape whatever the
    number of values (`__in` writes a placeholder per value, a shape per length). A foreign key too
    (`initiative__any`), as its column."""

    lookup_name = "any"
    prepare_rhs = False  # an array (or a stand-in for one), not one value of the field

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::{self.lhs.output_field.db_type(connection)}[])", (*lhs_params, *rhs_params)


class KeptSQL:
    """A compiler that has compiled its query once, and where its slots are in its parameters."""

    def __init__(self, compiler, sql, params, names):
        self.compiler, self.sql, self.params = compiler, sql, list(params)
        self.slots = [(index, param.name) for index, param in enumerate(params) if isinstance(param, Slot)]
        found = {name for _index, name in self.slots} - {MOMENT}
        if found != set(names):
            # a value was turned into a plain one on its way (a lookup that rewrites it): running
            # the kept SQL would put in the first request's value for every request
            raise ValueError(f"slots {sorted(names)} given, {sorted(found)} found in the SQL: {sql}")

    def check(self, compiler, shape):
        """Fails unless `compiler` compiles to the kept SQL, with the same parameters outside slots."""
        sql, params = keeping_slots(compiler)

        def described(params):
            return [("slot", param.name) if isinstance(param, Slot) else param for param in params]

        if sql != self.sql or described(params) != described(self.params):
            raise AssertionError(f"{shape!r} names two shapes:\n{self.sql} {self.params}\n{sql} {params}")

    def compiler_for(self, connection, values):
        """A copy of the kept compiler for `connection` (this thread's), that runs the SQL with `values`."""
        compiler = copy.copy(self.compiler)
        compiler.connection, compiler.using = connection, connection.alias
        params = self.params.copy()
        values = {**values, MOMENT: timezone.now()}
        for index, name in self.slots:
            params[index] = values[name]
        compiler.as_sql = lambda *args, **kwargs: (self.sql, tuple(params))
        return compiler


def keeping_slots(compiler):
    """The compiler's SQL and parameters, with a slot where `CurrentTime` would put the time."""
    token = _compiling_once.set(True)
    try:
        return compiler.as_sql()
    finally:
        _compiling_once.reset(token)


class CompiledOnceQuery(Query):
    """A query whose compiler is kept per shape; its clones are plain queries again."""

    def clone(self):
        plain = super().clone()
        plain.__class__ = Query
        del plain.compiled_as
        return plain

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        connection = connection or connections[using]
        shape, values = self.compiled_as
        key = (shape, connection.alias, translation.get_language())
        kept = _kept.pop(key, None)  # put back last: the least recently run shape goes first
        if kept is None:
            compiler = super().get_compiler(connection=connection, elide_empty=elide_empty)
            try:
                sql, params = keeping_slots(compiler)
            except EmptyResultSet:  # nothing to run: the usual compiler says so again
                return super().get_compiler(connection=connection, elide_empty=elide_empty)
            kept = KeptSQL(compiler, sql, params, values)
            if len(_kept) >= MAX_SHAPES:
                _kept.pop(next(iter(_kept), None), None)
        elif CHECKED:
            kept.check(super().get_compiler(connection=connection, elide_empty=elide_empty), shape)
        _kept[key] = kept
        return kept.compiler_for(connection, values)


def compiled_once(queryset, shape, **values):
    """A copy of `queryset` whose SQL is kept under `shape` (a name unique to the queryset's shape, per
    language and database) and run with `values` for its `Slot`s."""
    marked = queryset.all()
    if type(marked.query) is not Query:
        raise TypeError(f"{type(marked.query).__name__} cannot be compiled once")
    marked.query.__class__ = CompiledOnceQuery
    marked.query.compiled_as = (shape, values)
    return marked
