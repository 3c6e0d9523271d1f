from django.contrib import admin

from glossary.models import Term, Variant
from portal.admin import EditorialAdmin, EditorialResource, missing_translation_filter


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 1


class TermResource(EditorialResource):
    class Meta:
        model = Term
        fields = [
            "id",
            "key",
            *(f"{name}_{language}" for name in ["slug", "term", "acronym", "definition"] for language in ["es", "en"]),
            "kind",
            "source",
            "state",
            "publish_at",
            "unpublish_at",
        ]
        clean_model_instances = True
        skip_unchanged = True


@admin.register(Term)
class TermAdmin(EditorialAdmin):
    resource_classes = [TermResource]
    list_display = ["term", "acronym", "kind", "state", "updated_at"]
    list_filter = ["state", "kind", missing_translation_filter("term", "definition")]
    search_fields = ["term_es", "term_en", "acronym_es", "acronym_en", "variants__text", "key"]
    prepopulated_fields = {"slug": ("term",)}
    autocomplete_fields = ["related"]
    inlines = [VariantInline]
    fields = [
        "term",
        "acronym",
        "slug",
        "key",
        "kind",
        "definition",
        "related",
        "source",
        "state",
        "publish_at",
        "unpublish_at",
    ]
