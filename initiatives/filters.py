import django_filters
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES

from initiatives.charts import published_per_country
from initiatives.countries import country_names
from initiatives.models import Initiative, Organization, Publication, Region, Theme
from initiatives.models.publication import PUBLICATION_LANGUAGES
from portal.forms import QuickSelect
from portal.models import translated

# A text box, not type=number: a mistyped year is shown back as typed, with the message.


def country_codes():
    """What the country filter accepts; the menu's names are set per request, in the page's language.
    A function, so that each request's copy of the form does not deep-copy 250 choices."""
    return [(code, code) for code in COUNTRIES]


YEAR_INPUT = forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4})


def offer_by_code(field):
    """The menu of a model choice as plain (code, name) rows: no model instance built per option, and
    the name read in the page's language by the query itself."""
    order = ["label" if name == "name" else name for name in field.queryset.model._meta.ordering]
    rows = field.queryset.annotate(label=translated("name")).order_by(*order).values_list("code", "label")
    field.widget.choices = [("", field.empty_label), *rows]


class InitiativeFilter(django_filters.FilterSet):
    """Filters kept in the URL with language-neutral values, so switching language keeps them."""

    theme = django_filters.ModelChoiceFilter(
        widget=QuickSelect,
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        field_name="themes",
        empty_label=_("All themes"),
    )
    organization = django_filters.ModelChoiceFilter(
        widget=QuickSelect,
        label=_("Organization"),
        queryset=Organization.objects.all(),
        to_field_name="code",
        method="filter_organization",
        empty_label=_("All organizations"),
    )
    country = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Country"),
        choices=country_codes,
        method="filter_country",
        empty_label=_("All countries"),
    )
    region = django_filters.ModelChoiceFilter(
        widget=QuickSelect,
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("theme", "organization", "region"):
            offer_by_code(self.form.fields[name])
        # Any country is a valid filter; the menu offers those that have initiatives.
        self.country_counts = published_per_country()
        field = self.form.fields["country"]
        field.widget.choices = [("", field.choices[0][1])] + [
            (code, name) for code, name in country_names(get_language()) if code in self.country_counts
        ]

    def filter_organization(self, queryset, name, value: Organization):
        return queryset.with_organization(value.code).distinct()

    def filter_country(self, queryset, name, value: str):
        return queryset.for_country(value)

    def filter_year(self, queryset, name, value):
        return queryset.active_in(int(value))


class PublicationFilter(django_filters.FilterSet):
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
    theme = django_filters.ModelChoiceFilter(
        widget=QuickSelect,
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        field_name="themes",
        empty_label=_("All themes"),
    )

    class Meta:
        model = Publication
        fields = ["kind", "year", "language", "theme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_by_code(self.form.fields["theme"])

    def filter_language(self, queryset, name, value):
        return queryset.in_language(value)
