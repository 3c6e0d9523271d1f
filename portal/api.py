"""The read-only open data API (`/api/...`, schema at `/api/schema/`) and the CSV downloads of the lists.

Every record carries both languages (`title_es`, `title_en`...) and its page in each. Lists take the
same filters as the pages (the same FilterSets), so a CSV link on a filtered page downloads exactly
what the reader sees. Anything the API cannot understand is a 400 with a JSON body naming the
parameter, never a 500.
"""

import csv
import functools
import io
import itertools
from collections import namedtuple

import django_filters
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import F, Manager, OuterRef, Q
from django.http import Http404, StreamingHttpResponse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import pagination, renderers, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject

from glossary.models import Term, Variant
from initiatives.filters import InitiativeFilter, PublicationFilter
from initiatives.models import Comment, Initiative, Publication
from initiatives.models.initiative import country_codes
from portal.compiled import compiled_once
from portal.models import as_rows, built_once, planned_each_time, related_values
from portal.models import translated as translated_column
from portal.page_cache import kept_per_generation
from portal.rich_text import clean_html

LANGUAGES = ("es", "en")


class Pages(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        if view is not None and set(request.query_params) <= {"page", self.page_size_query_param, "format"}:
            # the whole list's length moves only with the content: counted once per content generation
            length = kept_per_generation(f"api-length:{type(view).__name__}", queryset.count)
            self.django_paginator_class = functools.partial(
                KnownLength, length=length, shape=f"api:{type(view).__qualname__}"
            )
        # A page that does not exist is a bad parameter (400), as any other.
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({"page": [str(error.detail)]}) from error

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError({"page_size": [f"A whole number from 1 to {self.max_page_size}."]})
        return super().get_page_size(request)


class KnownLength(Paginator):
    """A paginator of the whole list, told its length, which it would otherwise count: a page's SQL is
    compiled once per `shape` and page position (`compiled_once`)."""

    def __init__(self, *args, length, shape, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = length
        self.shape = shape

    def _get_page(self, object_list, number, paginator):
        shape = f"{self.shape}:{object_list.query.low_mark}:{object_list.query.high_mark}"
        return super()._get_page(compiled_once(object_list, shape), number, paginator)


CSV_BATCH = 500  # records read, written and sent at a time: a list of 20,000 is never held at once


def csv_text(batches):
    """The CSV text of `batches` of records (dicts with the same keys), a batch at a time: one row per
    record; lists are joined with "; " so that a spreadsheet keeps one cell each. It opens with the
    byte-order mark, which makes spreadsheets read UTF-8."""
    yield "\ufeff"
    out, writer = io.StringIO(), None
    for records in batches:
        for record in records:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(record))
                writer.writeheader()
            writer.writerow(
                {key: "; ".join(map(str, value)) if isinstance(value, list) else value for key, value in record.items()}
            )
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def in_batches(queryset, size):
    """The queryset's items `size` at a time, from one query read through a server-side cursor: a
    client-side one would receive the whole result at once. This is `QuerySet.iterator()` with
    server-side cursors, which the settings turn off for the rest of the site; inside a transaction, so
    that the cursor needs no WITH HOLD and also works through PgBouncer's transaction pooling."""
    database = queryset.db
    with transaction.atomic(using=database):
        items = iter(queryset.using(database)._iterator(use_chunked_fetch=True, chunk_size=size))
        while batch := list(itertools.islice(items, size)):
            yield batch


class CSVRenderer(renderers.BaseRenderer):
    """One record, or an error, as CSV (a list is streamed by `ReadOnly.download`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        if rows and not isinstance(rows[0], dict):
            rows = [{"detail": str(row)} for row in rows]
        return "".join(csv_text([rows]))


def address_pages(model, items, request):
    """{id(item): the item's page in each language, after the scheme and host}: one change of language
    per language for all the items, and one look-up of the address pattern (the model's `addressed()`),
    not two and one per item. An item is a model instance or a `Record` row, whose `page(code)` is
    what `addressed()` reads of it in that language."""
    origin = request.build_absolute_uri("/").removesuffix("/")
    pages = {id(item): {} for item in items}
    for code in LANGUAGES:
        with translation.override(code):
            address_of = model.addressed()
            for item in items:
                shown = item if isinstance(item, model) else item.page(code)
                pages[id(item)][code] = origin + address_of(shown)
    return pages


class Records(serializers.ListSerializer):
    """A page of records (or a CSV download): the items' pages are addressed all at once."""

    def to_representation(self, data):
        items = list(data.all() if isinstance(data, Manager) else data)
        self.context["pages"] = address_pages(self.child.Meta.model, items, self.context["request"])
        return [self.child.to_representation(item) for item in items]


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which skips building the filter set when the request names no filter:
    nothing would be filtered, and building it (copies of every filter, a form) is a tenth of a list's
    work."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and not any(name in request.query_params for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class CodesField(serializers.ListField):
    child = serializers.CharField()

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


# Fields whose value is read straight from the item's attribute of the same source: DRF's own
# `get_attribute` is kept for the others (a related field reads the key only, a dotted source follows it).
PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateTimeField,
    serializers.IntegerField,
    serializers.ListField,
    serializers.ReadOnlyField,
)
SKIPPED = object()


class BilingualSerializer(serializers.ModelSerializer):
    """A record with both languages and the item's page in each.

    A record is written from a list of readers made once per serializer class (`readers`), not by
    DRF's walk over the fields, which builds the fields anew for each request and asks each field for
    its attribute through several layers: that was half of an API page's work. The fields, and what
    they write, are DRF's own."""

    url_es = serializers.SerializerMethodField()
    url_en = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = Records

    def get_url_es(self, item) -> str:
        return self.pages(item)["es"]

    def get_url_en(self, item) -> str:
        return self.pages(item)["en"]

    def pages(self, item):
        """The item's page in each language: worked out for a whole page of records at once (`Records`),
        or here for one."""
        pages = self.context.get("pages", {}).get(id(item))
        return pages or address_pages(self.Meta.model, [item], self.context["request"])[id(item)]

    def to_representation(self, instance):
        record = {}
        for name, read in readers(type(self)):
            value = read(self, instance)
            if value is not SKIPPED:
                record[name] = value
        for name in getattr(self.Meta, "rich_text", ()):
            for code in LANGUAGES:
                key = f"{name}_{code}"
                record[key] = clean_html(record[key] or "") if record.get(key) is not None else None
        return record


@functools.cache
def readers(serializer_class):
    """(name, read(serializer, item)) for each field a record shows, in order; from the fields of a
    serializer made for the purpose, so that no request's serializer is kept."""
    made = []
    for field in serializer_class()._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            made.append((field.field_name, method_reader(field.method_name)))
        elif isinstance(field, PLAIN_FIELDS) and len(field.source_attrs) == 1:
            made.append((field.field_name, plain_reader(field.source_attrs[0], field.to_representation)))
        else:
            made.append((field.field_name, field_reader(field)))
    return made


ADDRESSES = {"get_url_es", "get_url_en"}


@functools.cache
def record_row(serializer_class):
    """The namedtuple a list's records are read as (`as_records`), when each of the serializer's fields
    reads one attribute (`plain_reader`) or is the item's page: those attributes, then the item's slug in
    each language (`slug_in_es`...). None when a field reads more (a relation, a method)."""
    attributes = []
    for field in serializer_class()._readable_fields:
        if isinstance(field, serializers.SerializerMethodField) and field.method_name in ADDRESSES:
            continue
        if not (isinstance(field, PLAIN_FIELDS) and len(field.source_attrs) == 1):
            return None
        attributes.append(field.source_attrs[0])
    model = serializer_class.Meta.model
    fields = [*attributes, *(f"slug_in_{code}" for code in LANGUAGES)]
    name = f"{model.__name__}Record"
    return type(name, (namedtuple(name, fields), Record), {"__slots__": ()})


# What a model's `addressed()` reads of an item in one language: its slug there, and its kind.
Page = namedtuple("Page", ["slug", "kind"])


class Record:
    """What a list's record row (`record_row`) adds to its columns."""

    __slots__ = ()

    def page(self, code):
        return Page(getattr(self, f"slug_in_{code}"), getattr(self, "kind", None))


def as_records(queryset, serializer_class):
    """`queryset`'s items as rows of what the serializer's records show (`record_row`), when those are
    columns of the items' own query; otherwise the queryset, read as model instances. A model instance
    each (modeltranslation's descriptors, the stored search vectors) was a fifth of an API page's work."""
    row = record_row(serializer_class)
    if row is None:
        return queryset
    columns = {field.attname for field in queryset.model._meta.concrete_fields} | set(queryset.query.annotations)
    if not set(row._fields[: -len(LANGUAGES)]) <= columns:
        return queryset
    slugs = {}
    for code in LANGUAGES:
        with translation.override(code):
            slugs[f"slug_in_{code}"] = translated_column("slug")  # with its fallback, as the pages have it
    return as_rows(queryset, row, **slugs)


def method_reader(name):
    return lambda serializer, item: getattr(serializer, name)(item)


def plain_reader(attribute, represent):
    def read(_serializer, item):
        value = getattr(item, attribute)
        if callable(value) and is_simple_callable(value):  # a method as the source, called as DRF does
            value = value()
        return None if value is None else represent(value)

    return read


def field_reader(field):
    """DRF's own steps for one field (`Serializer.to_representation`)."""

    def read(_serializer, item):
        try:
            attribute = field.get_attribute(item)
        except SkipField:
            return SKIPPED
        value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if value is None else field.to_representation(attribute)

    return read


def translated(*names):
    return [f"{name}_{code}" for name in names for code in LANGUAGES]


class InitiativeSerializer(BilingualSerializer):
    themes = CodesField(source="theme_codes")
    organizations = CodesField(source="organization_codes")
    countries = CodesField(source="country_list")

    class Meta(BilingualSerializer.Meta):
        model = Initiative
        fields = [
            "id",
            *translated("slug", "title", "summary", "body"),
            "status",
            "start_year",
            "end_year",
            "countries",
            "themes",
            "organizations",
            "url_es",
            "url_en",
        ]
        rich_text = ("summary", "body")


class PublicationSerializer(BilingualSerializer):
    themes = CodesField(source="theme_codes")
    publishers = CodesField(source="publisher_codes")
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(BilingualSerializer.Meta):
        model = Publication
        fields = [
            "id",
            *translated("slug", "title", "subtitle", "description"),
            "kind",
            "year",
            "languages",
            "authors",
            "publishers",
            "isbn",
            "issn",
            "symbol",
            "themes",
            "url",
            "url_es",
            "url_en",
        ]
        rich_text = ("description",)


class TermSerializer(BilingualSerializer):
    variants = serializers.ListField(child=serializers.CharField(), read_only=True, source="variant_texts")

    class Meta(BilingualSerializer.Meta):
        model = Term
        fields = ["id", "key", *translated("slug", "term", "acronym", "definition"), "kind", "variants", "source"]
        fields += ["url_es", "url_en"]
        rich_text = ("definition",)


class CommentSerializer(BilingualSerializer):
    member_state = serializers.CharField(source="member_state.country.code", read_only=True)
    target_kind = serializers.CharField(read_only=True)
    target_id = serializers.SerializerMethodField()
    paragraph_number = serializers.SerializerMethodField()

    class Meta(BilingualSerializer.Meta):
        model = Comment
        fields = [
            "id",
            "member_state",
            "target_kind",
            "target_id",
            "paragraph_number",
            "parent",
            "language",
            "body",
            "official_position",
            "created_at",
            "url_es",
            "url_en",
        ]

    def get_target_id(self, comment) -> int:
        return comment.paragraph_id or comment.initiative_id or comment.publication_id

    def get_paragraph_number(self, comment) -> int | None:
        return comment.paragraph.number if comment.paragraph_id else None


class TermFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Term.Kind.choices)
    acronym = django_filters.CharFilter(method="filter_acronym", max_length=40)

    class Meta:
        model = Term
        fields = ["kind", "acronym"]

    def filter_acronym(self, queryset, name, value):
        return queryset.filter(pk__in=Term.objects.matching_acronym(value).values("pk"))


class CommentFilter(django_filters.FilterSet):
    target = django_filters.ChoiceFilter(
        choices=[("paragraph", "paragraph"), ("initiative", "initiative"), ("publication", "publication")],
        method="filter_target",
    )
    paragraph = django_filters.NumberFilter(field_name="paragraph__number", min_value=1, max_value=32767)
    language = django_filters.ChoiceFilter(choices=Comment.Language.choices)
    official_position = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_official_position"
    )

    class Meta:
        model = Comment
        fields = ["target", "paragraph", "language", "official_position"]

    def filter_target(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_official_position(self, queryset, name, value):
        return queryset.filter(official_position=value == "true")


class Schema(AutoSchema):
    """Every operation may answer 400 (a parameter it cannot understand) with the parameters named."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses["400"] = {
            "description": "A parameter could not be understood; each key names one, with its messages.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": {
                            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                        },
                    }
                }
            },
        }
        if not self._is_list_view():
            responses["404"] = {
                "description": "No published record has this id.",
                "content": {
                    "application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}}
                },
            }
        return responses


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    schema = Schema()
    lookup_value_regex = "[^/]+"  # any id reaches the view, which answers a JSON 404, not the site's HTML one

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self.download(request)
        # a filtered list is planned with its own values (`planned_each_time`): the pages count from bitmaps
        filters = getattr(getattr(self, "filterset_class", None), "base_filters", {})
        if not any(name in request.query_params for name in filters):
            return super().list(request, *args, **kwargs)
        with planned_each_time(connections[self.get_queryset().db]):
            return super().list(request, *args, **kwargs)

    def download(self, request):
        """The whole filtered list as CSV, written as it is read, `CSV_BATCH` records at a time. Held at
        once, the 20,000 initiatives' 100 MB took a worker to 830 MB. Not kept by the page cache, which
        keeps no streamed answer: a download is rarer than the pages and larger than all of them."""
        serializer = self.get_serializer(many=True)
        items = in_batches(self.filter_queryset(self.get_queryset()), CSV_BATCH)
        batches = (serializer.to_representation(batch) for batch in items)
        response = StreamingHttpResponse(csv_text(batches), content_type="text/csv; charset=utf-8")
        name = request.path_info.rstrip("/").rsplit("/", 1)[-1]  # initiatives, glossary-terms...
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:  # ?format=xyz is a bad parameter like any other
            raise ValidationError({"format": ["Use csv or json."]}) from error

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when the list was asked for as CSV: a client reads why it failed.
        if response.status_code >= 400 and getattr(request, "accepted_renderer", None):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def filter_queryset(self, queryset):
        filtered = super().filter_queryset(queryset)
        if self.action != "list":
            return filtered
        if filtered is queryset:  # nothing filtered: the whole list's records, built once
            return whole_list_records(type(self))
        return as_records(filtered, self.get_serializer_class())

    pagination_class = Pages
    filter_backends = [FilterBackend]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]


@built_once
def whole_list_records(viewset):
    """`as_records()` of a viewset's whole list, built once per process and language like the querysets
    it reads: annotating and choosing the rows' columns cost a tenth of an API page."""
    return as_records(viewset().get_queryset(), viewset.serializer_class)


def documented(kind):
    return extend_schema_view(
        list=extend_schema(summary=f"Published {kind}"),
        retrieve=extend_schema(summary=f"One published {kind[:-1]}"),
    )


@built_once
def published_initiatives():
    return (
        Initiative.objects.published()
        .annotate(
            theme_codes=related_values(Initiative, "themes", F("theme__code"), ["theme__order", "shown"]),
            organization_codes=related_values(Initiative, "organizations", F("organization__code"), ["shown"]),
            # as stored, not a Country object each; not named `country_codes`, which the country filter aliases
            country_list=country_codes(),
        )
        .order_by("pk")
    )


@built_once
def published_publications():
    return (
        Publication.objects.published()
        .annotate(
            theme_codes=related_values(Publication, "themes", F("theme__code"), ["theme__order", "shown"]),
            publisher_codes=related_values(Publication, "publishers", F("organization__code"), ["shown"]),
        )
        .order_by("pk")
    )


@built_once
def published_terms():
    variants = Variant.objects.filter(term=OuterRef("pk")).order_by("pk").values("text")
    return Term.objects.published().annotate(variant_texts=ArraySubquery(variants)).order_by("pk")


@built_once
def published_comments():
    published_documents = Publication.objects.published()
    return (
        Comment.objects.approved()
        .filter(
            Q(paragraph__document__in=published_documents)
            | Q(initiative__in=Initiative.objects.published())
            | Q(publication__in=published_documents)
        )
        .select_related("member_state", "paragraph")
        .order_by("pk")
    )


@documented("initiatives")
class InitiativeViewSet(ReadOnly):
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter

    def get_queryset(self):
        return published_initiatives()


@documented("publications")
class PublicationViewSet(ReadOnly):
    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter

    def get_queryset(self):
        return published_publications()


@documented("terms")
class TermViewSet(ReadOnly):
    serializer_class = TermSerializer
    filterset_class = TermFilter

    def get_queryset(self):
        return published_terms()


@documented("comments")
class CommentViewSet(ReadOnly):
    """Approved comments on published paragraphs, initiatives and publications."""

    serializer_class = CommentSerializer
    filterset_class = CommentFilter

    def get_queryset(self):
        return published_comments()


PARAMETER_LIMITS = {
    "page": {"type": "integer", "minimum": 1},
    "page_size": {"type": "integer", "minimum": 1, "maximum": Pages.max_page_size},
    "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
    "paragraph": {"type": "integer", "minimum": 1, "maximum": 32767},
}


def document_limits(result, generator, request, public):
    """drf-spectacular hook: the limits the filters enforce, written into the schema, so clients
    (and the fuzzing test) know them instead of learning them from 400s."""
    for path in result["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in PARAMETER_LIMITS:
                    parameter["schema"] = dict(PARAMETER_LIMITS[parameter["name"]])
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                # A CSV download is text, not the JSON records: say so rather than repeat the JSON schema.
                if "text/csv" in content:
                    content["text/csv"] = {"schema": {"type": "string"}}
    return result
