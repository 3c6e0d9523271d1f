from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Migration and Development Portal")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Editors' desk")


def missing_translation_filter(*field_names):
    """A list filter: items where a required field is empty in one language."""

    class MissingTranslationFilter(admin.SimpleListFilter):
        title = _("translation")
        parameter_name = "missing"

        def lookups(self, request, model_admin):
            return [("en", _("English missing")), ("es", _("Spanish missing"))]

        def queryset(self, request, queryset):
            if self.value() not in {"es", "en"}:
                return queryset
            missing = Q()
            for name in field_names:
                field = f"{name}_{self.value()}"
                missing |= Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
            return queryset.filter(missing)

    return MissingTranslationFilter
