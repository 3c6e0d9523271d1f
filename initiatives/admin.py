from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.admin import TranslationTabularInline

from initiatives.charts import initiatives_per_country
from initiatives.models import (
    Footnote,
    Initiative,
    Organization,
    Paragraph,
    Participation,
    Publication,
    Region,
    Section,
    Theme,
)
from initiatives.models.publication import PUBLICATION_LANGUAGES
from portal.admin import EditorialAdmin, EditorialResource, TranslatorAwareAdmin, missing_translation_filter


@admin.register(Theme)
class ThemeAdmin(TranslatorAwareAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name_es", "name_en", "code"]
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(Region)
class RegionAdmin(TranslatorAwareAdmin):
    list_display = ["name", "code"]
    search_fields = ["name_es", "name_en", "code"]


@admin.register(Organization)
class OrganizationAdmin(TranslatorAwareAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", missing_translation_filter("name")]
    search_fields = ["name_es", "name_en", "acronym_es", "acronym_en", "code"]
    autocomplete_fields = ["glossary_term"]


class CountryListFilter(admin.SimpleListFilter):
    """The countries initiatives are tied to (a multiple country field has no built-in filter)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        used = initiatives_per_country(Initiative.objects.all())
        return [(code, name) for code, name in countries if code in used]

    def queryset(self, request, queryset):
        return queryset.for_country(self.value()) if self.value() else queryset


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["organization"]


class InitiativeResource(EditorialResource):
    class Meta:
        model = Initiative
        fields = [
            "id",
            *(f"{name}_{language}" for name in ["slug", "title", "summary", "body"] for language in ["es", "en"]),
            "themes",
            "status",
            "start_year",
            "end_year",
            "featured",
            "state",
            "publish_at",
            "unpublish_at",
        ]
        clean_model_instances = True
        skip_unchanged = True


@admin.register(Initiative)
class InitiativeAdmin(EditorialAdmin):
    resource_classes = [InitiativeResource]
    list_display = ["title", "state", "status", "start_year", "end_year", "featured", "updated_at"]
    list_filter = [
        "state",
        "status",
        "featured",
        "themes",
        ("participations__organization", admin.RelatedOnlyFieldListFilter),
        CountryListFilter,
        "start_year",
        missing_translation_filter("title", "summary"),
    ]
    search_fields = ["title_es", "title_en", "summary_es", "summary_en"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["themes", "regions", "publications", "source_paragraphs"]
    inlines = [ParticipationInline]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Classification"), {"fields": ["themes", "status", "start_year", "end_year", "featured"]}),
        (_("Where"), {"fields": ["countries", "regions"]}),
        (_("Sources"), {"fields": ["source_paragraphs", "publications"]}),
        (_("Publication"), {"fields": ["state", "publish_at", "unpublish_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")


class PublicationAdminForm(forms.ModelForm):
    languages = forms.TypedMultipleChoiceField(
        label=_("languages"),
        choices=PUBLICATION_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    url = forms.URLField(label=_("external link"), required=False, assume_scheme="https")

    class Meta:
        model = Publication
        fields = ["languages", "url"]  # the admin adds the rest from its fieldsets


class PublicationResource(EditorialResource):
    class Meta:
        model = Publication
        fields = [
            "id",
            *(
                f"{name}_{language}"
                for name in ["slug", "title", "subtitle", "description"]
                for language in ["es", "en"]
            ),
            "kind",
            "year",
            "authors",
            "isbn",
            "issn",
            "symbol",
            "url",
            "themes",
            "state",
            "publish_at",
            "unpublish_at",
        ]
        clean_model_instances = True
        skip_unchanged = True


@admin.register(Publication)
class PublicationAdmin(EditorialAdmin):
    resource_classes = [PublicationResource]
    form = PublicationAdminForm
    list_display = ["title", "kind", "year", "symbol", "state"]
    list_filter = ["state", "kind", "year", "themes", missing_translation_filter("title", "description")]
    search_fields = ["title_es", "title_en", "symbol", "isbn", "issn"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["publishers", "themes"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "kind", "description"]}),
        (_("Record"), {"fields": ["year", "languages", "authors", "publishers", "isbn", "issn", "symbol", "themes"]}),
        (_("Files and links"), {"fields": ["file", "url"]}),
        (_("Publication"), {"fields": ["state", "publish_at", "unpublish_at"]}),
    ]


class FootnoteInline(TranslationTabularInline):
    model = Footnote
    fk_name = "paragraph"
    fields = ["number", "text"]
    extra = 0


@admin.register(Section)
class SectionAdmin(TranslatorAwareAdmin):
    list_display = ["title", "document", "order", "parent"]
    list_filter = ["document"]
    search_fields = ["title_es", "title_en"]


@admin.register(Paragraph)
class ParagraphAdmin(TranslatorAwareAdmin):
    list_display = ["number", "document", "section"]
    list_filter = ["document"]
    search_fields = ["text_es", "text_en", "number"]
    ordering = ["document", "number"]
    inlines = [FootnoteInline]


from initiatives import consultation_admin  # noqa: F401,E402  (registers the consultation's admin)
