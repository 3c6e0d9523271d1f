import contextlib
import functools

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Expression, F, Func, OuterRef, Q, Value
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.db.models.query import ValuesListIterable
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.compiled import MOMENT, Slot, compiling_once


def in_stated_order(queryset):
    """modeltranslation rewrites values_list() and may reorder its columns; a UNION or a plain cursor
    needs them as stated."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def translated(field):
    """A translated field in the active language as SQL, Spanish where that translation is empty: what
    modeltranslation shows, for queries that read the value without building a model instance."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = (translation.get_language() or default).split("-")[0]
    source = f"{field}_{default}"
    if language == default or language not in settings.MODELTRANSLATION_LANGUAGES:
        return F(source)
    text = models.TextField()
    return Coalesce(NullIf(f"{field}_{language}", Value(""), output_field=text), source, output_field=text)


def related_values(model, relation, value, order=()):
    """One value per related row of an item (a code, a name in the page's language...) as an array
    column of the item's own query, in `order`: what lists and pages show of an item's themes,
    regions or publishers, without a prefetch that builds a model instance per related row.

    `value` and `order` are read from the link table ("theme__code", translated("theme__name")); the
    value itself can be ordered on as "shown"."""
    through = getattr(model, relation).through
    own_key = through._meta.get_field(model._meta.model_name).attname
    links = through.objects.filter(**{own_key: OuterRef("pk")}).annotate(shown=value).order_by(*order)
    return ArraySubquery(links.values("shown"))


class CurrentTime(Expression):
    """`timezone.now()` as a query parameter, taken when the query is compiled, that is each time it
    runs: a queryset that compares with it holds no moment of its own, so it can be built once and
    kept. The clock is the portal's own, the one the page cache's schedule and `is_published()` read."""

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection):
        if compiling_once():  # the query is kept: each run puts in its own moment
            return "%s", [Slot(MOMENT, self.output_field)]
        return "%s", [timezone.now()]


def built_once(build):
    """`build(*arguments)`'s queryset made once per process, language and arguments, and each caller
    given its own copy: filtering and annotating a page's queryset cost more than running it. Safe
    because querysets hold no moment of their own (`published()` takes the time when each query runs)
    and the copy is never the kept one."""
    kept = functools.lru_cache(maxsize=32)(lambda _language, *arguments: build(*arguments))

    @functools.wraps(build)
    def copy(*arguments):
        return kept(translation.get_language(), *arguments).all()

    return copy


def as_rows(queryset, row_class, **expressions):
    """Each item of `queryset` as a `row_class` (a namedtuple): its fields in their order, each read
    from the column of that name or from `expressions[name]` (a text in the page's language, a related
    array). For lists that show a few values of many items: a model instance each cost more than the
    values (modeltranslation's descriptors, the deferred columns)."""
    aliases = {f"row_{name}": expression for name, expression in expressions.items()}
    columns = [f"row_{name}" if name in expressions else name for name in row_class._fields]
    if hasattr(queryset, "rewrite"):  # modeltranslation's: names are columns here, not the active language's
        queryset = queryset.rewrite(False)
    rows = queryset.annotate(**aliases).values_list(*columns)
    rows._iterable_class = rows_of(row_class)
    return rows


@functools.cache
def rows_of(row_class):
    """The queryset iterable that makes each values_list() row a `row_class`."""
    return type(
        f"{row_class.__name__}Rows",
        (ValuesListIterable,),
        {"__iter__": lambda self: map(row_class._make, ValuesListIterable.__iter__(self))},
    )


def as_one_json(values):
    """The JSON values of a subquery (`values(name=JSONObject(...))`) as one JSON array, a column of
    the outer query: rows that a page shows of each item, decoded once per item, not once per value,
    and with no model instance each."""
    return Func(ArraySubquery(values), function="to_jsonb", output_field=models.JSONField())


@contextlib.contextmanager
def planned_each_time(connection):
    """Runs the queries inside unprepared, so PostgreSQL plans each with its own values: for queries
    whose best plan depends on them (a search's words, a filter's country: one matches half the rows,
    another three), where a generic plan kept for the statement could be the wrong one."""
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def published_condition(through="", at=None):
    """What the public may see: published, and inside its publish/unpublish window, at `at` or else
    when the query runs (`CurrentTime`).

    `through` reaches the item over a relation ("initiative__"), for queries on a link table.
    """
    now = at or CurrentTime()
    return (
        (Q(**{f"{through}publish_at__isnull": True}) | Q(**{f"{through}publish_at__lte": now}))
        & (Q(**{f"{through}unpublish_at__isnull": True}) | Q(**{f"{through}unpublish_at__gt": now}))
        & Q(**{f"{through}state": Publishable.State.PUBLISHED})
    )


class PublishableQuerySet(models.QuerySet):
    def published(self, at=None):
        return self.filter(published_condition(at=at))

    def with_tags(self, relation):
        """`<theme|region>_tags`: the related themes or regions as {"code", "name"}, in the page's
        language and their own order, read as one column of the item's query: no prefetch query and no
        model instance per tag."""
        target = self.model._meta.get_field(relation).related_model
        name = target._meta.model_name
        tag = JSONObject(code=F(f"{name}__code"), name=translated(f"{name}__name"))
        order = [f"{name}__{field}" for field in target._meta.ordering]
        return self.annotate(**{f"{name}_tags": related_values(self.model, relation, tag, order)})

    def missing_translation(self):
        """Items where a field required for publishing is empty in Spanish or English."""
        missing = Q()
        for name in self.model.translation_required_fields:
            for language in ("es", "en"):
                field = f"{name}_{language}"
                missing |= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__regex": r"^\s*$"})
        return self.filter(missing)

    def stale_translation(self):
        """Items where one language was edited after the other was last touched."""
        # Items from before the stamps, or loaded from the fixtures, count as touched when created.
        return self.annotate(
            es_touched=Coalesce("es_edited_at", "created_at"), en_touched=Coalesce("en_edited_at", "created_at")
        ).filter(Q(es_touched__gt=F("en_touched")) | Q(en_touched__gt=F("es_touched")))


class Publishable(models.Model):
    """Workflow fields shared by everything editors publish."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Leave empty to publish at once.")
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"), null=True, blank=True, help_text=_("Leave empty to keep it published.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # When each language was last edited: the translation dashboard compares them to find stale translations.
    es_edited_at = models.DateTimeField(_("Spanish last edited"), null=True, blank=True, editable=False)
    en_edited_at = models.DateTimeField(_("English last edited"), null=True, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    # Translated fields that must be filled in both languages before the item may be published.
    translation_required_fields = ()

    class Meta:
        abstract = True

    def missing_translations(self):
        """{language: [verbose names of the required fields left empty]} for each incomplete language."""
        missing = {}
        for language in ("es", "en"):
            empty = [
                str(self._meta.get_field(name).verbose_name)
                for name in self.translation_required_fields
                if not (getattr(self, f"{name}_{language}") or "").strip()
            ]
            if empty:
                missing[language] = empty
        return missing

    def stale_language(self):
        """The language edited before the other was last touched, or None when they are in step."""
        es_touched = self.es_edited_at or self.created_at
        en_touched = self.en_edited_at or self.created_at
        if es_touched == en_touched:
            return None
        return "en" if es_touched > en_touched else "es"

    def record_language_edits(self, changed_fields, *, now=None):
        """Stamp the languages whose fields a save changed.

        Catching up (editing only the language that was behind) or completing a missing language
        brings both in step; editing one language of an item in step leaves the other behind.
        """
        now = now or timezone.now()
        languages = {name.rsplit("_", 1)[1] for name in changed_fields if name.rsplit("_", 1)[-1] in {"es", "en"}}
        if not languages:
            return
        previous = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        created = previous is None
        completed = not created and previous.missing_translations() and not self.missing_translations()
        caught_up = not created and languages == {previous.stale_language()}
        if created or completed or caught_up:
            languages = {"es", "en"}
        for language in languages:
            setattr(self, f"{language}_edited_at", now)

    def is_published(self, at=None):
        now = at or timezone.now()
        return (
            self.state == self.State.PUBLISHED
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": _("The unpublish date must come after the publish date.")})
        if self.state == self.State.PUBLISHED:
            # One sentence per language, so that each reads naturally once translated.
            sentences = {"es": _("Spanish is missing: %(fields)s."), "en": _("English is missing: %(fields)s.")}
            problems = [
                sentences[language] % {"fields": ", ".join(fields)}
                for language, fields in self.missing_translations().items()
            ]
            if problems:
                raise ValidationError(
                    {"state": [_("It cannot be published while a required field is empty."), *problems]}
                )


class OutboundEmail(models.Model):
    """Mail waits here until the mail server takes it: a server that is down loses nothing."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to}: {self.subject}"


SEARCH_CONFIGS = {"es": "spanish", "en": "english"}


def search_document(language, weighted_columns):
    """A stored tsvector over the given columns, weighted A (titles) to D, in one language's configuration.

    PostgreSQL computes it on every write (a generated column), so no save path can forget it and a
    search reads an indexed column instead of parsing every row. `weighted_columns` is
    `{"A": ["title_es"], "B": ["summary_es", "body_es"]}`.
    """
    from django.contrib.postgres.search import SearchVector, SearchVectorField

    config = SEARCH_CONFIGS[language]
    vectors = [SearchVector(*columns, config=config, weight=weight) for weight, columns in weighted_columns.items()]
    expression = vectors[0]
    for vector in vectors[1:]:
        expression = expression + vector
    return models.GeneratedField(
        expression=expression, output_field=SearchVectorField(), db_persist=True, editable=False
    )


def search_vectors_inline(table, *sources):
    """A migration's operation that keeps `table`'s search vectors in its rows, and rewrites the rows
    already there. By default PostgreSQL moves any value of a row over 2 kB to a side table (TOAST), and
    a search then fetched each matching row's vector from there to rank it: a lookup per row, which made
    most of a search's time. With rows of up to 8 kB, and the vectors the last values to be moved out,
    the long texts (bodies, definitions) go to the side table and the vectors stay in the row.

    `sources` are columns that the vectors read (one per vector): writing them anew, unchanged, makes
    PostgreSQL compute the vectors again, and store them under the new rule (rewriting the row alone
    keeps the vectors where they were). On 20,000 initiatives this takes about 20 seconds."""
    from django.db import migrations

    def storage(kind):
        columns = (f"ALTER COLUMN search_{code} SET STORAGE {kind}" for code in SEARCH_CONFIGS)
        return f"ALTER TABLE {table} {', '.join(columns)}"

    return migrations.RunSQL(
        [
            f"ALTER TABLE {table} SET (toast_tuple_target = 8160)",
            storage("MAIN"),
            f"UPDATE {table} SET {', '.join(f'{source} = {source}' for source in sources)}",
        ],
        [f"ALTER TABLE {table} RESET (toast_tuple_target)", storage("EXTENDED")],
    )


# Left out of content history: slugs (a restore keeps today's address), the per-language edit
# times the translation dashboard uses, and the search vectors PostgreSQL derives from the text.
HISTORY_EXCLUDED_FIELDS = ["slug", "slug_es", "slug_en", "es_edited_at", "en_edited_at", "search_es", "search_en"]
