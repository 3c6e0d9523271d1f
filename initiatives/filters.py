import copy
import functools

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Func, TextField, Value
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES

from initiatives.charts import published_per_country
from initiatives.countries import country_names
from initiatives.models import Initiative, Organization, Participation, Publication, Region, Theme
from initiatives.models.initiative import country_codes as code_array
from initiatives.models.publication import PUBLICATION_LANGUAGES
from portal.facets import Span, Values
from portal.forms import QuickSelect, QuickTextInput, menu
from portal.models import translated
from portal.page_cache import kept_per_generation

# A text box, not type=number: a mistyped year is shown back as typed, with the message.


def country_codes():
    """What the country filter accepts; the menu's names are set per request, in the page's language.
    A function, so that each request's copy of the form does not deep-copy 250 choices."""
    return [(code, code) for code in COUNTRIES]


YEAR_INPUT = QuickTextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4})


def offer_by_code(form, names):
    """The menus of model choices as plain (code, name) rows, all read in one query and kept per content
    generation and language, like the charts: no model instance per option, and each name in the
    page's language. Each menu keeps its model's order (`order` first where there is one, then the
    name)."""

    def read():
        parts = []
        for index, name in enumerate(names):
            model = form.fields[name].model
            rank = F("order") if "order" in model._meta.ordering else Value(0)
            # rewrite(False): modeltranslation would reorder the columns, which a UNION needs as stated
            rows = model.objects.rewrite(False).order_by().values_list(Value(index), rank, translated("name"), "code")
            parts.append(rows)
        menus = [[("", form.fields[name].empty_label)] for name in names]
        for index, _rank, label, code in sorted(parts[0].union(*parts[1:], all=True)):
            menus[index].append((code, label))
        return [menu(rows) for rows in menus]

    menus = kept_per_generation(f"option-menus:{type(form).__name__}:{','.join(names)}:{get_language()}", read)
    for name, kept in zip(names, menus, strict=True):
        form.fields[name].widget.offer(kept)


def code_keys(model):
    """Every theme's, organization's or region's code and key, kept per content generation."""
    return kept_per_generation(f"code-keys:{model._meta.label}", lambda: dict(model.objects.values_list("code", "pk")))


class CodeChoiceField(forms.Field):
    """A theme, organization or region chosen by its code, checked against `code_keys` instead of one
    query per filtered page. It gives an instance that holds the key and the code only: all that the
    filters read of it. Its menu's options are offered per request (`offer_by_code`)."""

    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, *, model, empty_label=None, **kwargs):
        self.model, self.empty_label = model, empty_label
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = code_keys(self.model).get(str(value))
        if key is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return self.model(pk=key, code=value)


class CodeChoiceFilter(django_filters.CharFilter):
    """A filter on a model's code that holds the model, not a queryset: a filter set's filters are
    deep-copied for each request, and a queryset with them. A text filter to the API's description,
    which documents a code."""

    field_class = CodeChoiceField


class KeptFormFilterSet(django_filters.FilterSet):
    """A filter set whose form class is built once per class, not once per request: the fields depend
    on neither the request nor the language (their labels are translated when shown), and each form
    copies its fields anyway."""

    def __init__(self, *args, **kwargs):
        self.base_filters = ShallowCopies(type(self).base_filters)  # what FilterSet copies for this request
        super().__init__(*args, **kwargs)

    def get_form_class(self):
        return kept_form_class(type(self))


class ShallowCopies(dict):
    """A filter set's filters, copied for a request one level deep. FilterSet deep-copies them, with
    their widgets, labels and options, to give each copy its own parent and model: about a twentieth of
    a list page's time. A filter keeps nothing else of a request (its form field is made on the copy),
    and a filter by method is bound again to its copy, as a deep copy would."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            copies[name] = copy.copy(filter_)
            copies[name].method = filter_.method
        return copies


@functools.cache
def kept_form_class(filterset_class):
    # from copies of the filters: a base filter keeps the field it makes, and is copied per request
    filters = copy.deepcopy(filterset_class.base_filters)
    fields = {name: filter_.field for name, filter_ in filters.items()}
    return type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)


def each(array, function):
    """A row per element of an array (a set-returning function in the SELECT), as text."""
    return Func(array, function=function, output_field=TextField())


class CountryField(django_filters.fields.ChoiceField):
    """Any country code is valid: checked in the table of countries, not by walking 250 choices."""

    def valid_value(self, value):
        return value in COUNTRIES


class CountryFilter(django_filters.ChoiceFilter):
    field_class = CountryField


class InitiativeFilter(KeptFormFilterSet):
    """Filters kept in the URL with language-neutral values, so switching language keeps them."""

    theme = CodeChoiceFilter(
        widget=QuickSelect,
        label=_("Theme"),
        model=Theme,
        field_name="themes",
        empty_label=_("All themes"),
    )
    organization = CodeChoiceFilter(
        widget=QuickSelect,
        label=_("Organization"),
        model=Organization,
        method="filter_organization",
        empty_label=_("All organizations"),
    )
    country = CountryFilter(
        widget=QuickSelect,
        label=_("Country"),
        choices=country_codes,
        method="filter_country",
        empty_label=_("All countries"),
    )
    region = CodeChoiceFilter(
        widget=QuickSelect,
        label=_("Region"),
        model=Region,
        field_name="regions",
        empty_label=_("All regions"),
    )
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1900, max_value=2100, widget=YEAR_INPUT
    )
    status = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Status"), choices=Initiative.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Initiative
        fields = ["theme", "organization", "country", "region", "year", "status"]

    # how each filter selects, for the pages' bitmaps (`portal.facets`); the API filters with the methods
    facets = {
        "theme": Values(Initiative.themes.through.objects, "theme_id", key="initiative_id"),
        "organization": Values(Participation.objects, "organization_id", key="initiative_id"),
        "country": Values(Initiative.objects.published(), each(code_array(), "unnest")),
        "region": Values(Initiative.regions.through.objects, "region_id", key="initiative_id"),
        "year": Span(Initiative.objects.published(), "start_year", "end_year"),
        "status": Values(Initiative.objects.published(), "status"),
    }

    def offer_menus(self):
        """The menus' options, in the page's language: for a page that shows the form, not the API."""
        offer_by_code(self.form, ["theme", "organization", "region"])
        # Any country is a valid filter; the menu offers those that have initiatives.
        field = self.form.fields["country"]

        def countries():
            counts = published_per_country()
            named = [(code, name) for code, name in country_names(get_language()) if code in counts]
            return menu([("", field.choices[0][1]), *named])

        field.widget.offer(kept_per_generation(f"country-menu:{get_language()}", countries))

    def filter_organization(self, queryset, name, value: Organization):
        return queryset.with_organization(value.code).distinct()

    def filter_country(self, queryset, name, value: str):
        return queryset.for_country(value)

    def filter_year(self, queryset, name, value):
        return queryset.active_in(int(value))


class PublicationFilter(KeptFormFilterSet):
    kind = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Kind"), choices=Publication.Kind.choices, empty_label=_("All kinds")
    )
    year = django_filters.NumberFilter(label=_("Year"), min_value=1900, max_value=2100, widget=YEAR_INPUT)
    language = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Language"),
        choices=PUBLICATION_LANGUAGES,
        method="filter_language",
        empty_label=_("All languages"),
    )
    theme = CodeChoiceFilter(
        widget=QuickSelect,
        label=_("Theme"),
        model=Theme,
        field_name="themes",
        empty_label=_("All themes"),
    )

    class Meta:
        model = Publication
        fields = ["kind", "year", "language", "theme"]

    facets = {
        "kind": Values(Publication.objects.published(), "kind"),
        "year": Values(Publication.objects.published(), "year"),
        "language": Values(Publication.objects.published(), each("languages", "jsonb_array_elements_text")),
        "theme": Values(Publication.themes.through.objects, "theme_id", key="publication_id"),
    }

    def offer_menus(self):
        offer_by_code(self.form, ["theme"])

    def filter_language(self, queryset, name, value):
        return queryset.in_language(value)
