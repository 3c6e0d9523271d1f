from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from glossary.models import Term, Variant
from portal.admin import missing_translation_filter


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 1


@admin.register(Term)
class TermAdmin(TabbedTranslationAdmin):
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
