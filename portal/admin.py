from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.models import Publishable

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


class EditedConcurrentlyForm(forms.ModelForm):
    """Carries the moment the item was loaded; a save over someone else's later save is refused."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: a restored history version carries its old timestamp.
            current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
            self.initial["loaded_version"] = current.first().isoformat() if current else ""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            # The row stays locked until the save commits, so two saves cannot both pass this check.
            latest = (
                type(self.instance)
                .objects.select_for_update(of=("self",))
                .filter(pk=self.instance.pk)
                .values_list("updated_at", "updated_by__username")
                .first()
            )
            if latest and latest[0].isoformat() != cleaned_data.get("loaded_version"):
                raise forms.ValidationError(
                    _(
                        "%(user)s saved this item at %(time)s, after you opened it. Your changes were not saved, "
                        "so that theirs are kept: open the item again and redo your changes."
                    )
                    % {
                        "user": latest[1] or _("Another editor"),
                        "time": date_format(timezone.localtime(latest[0]), "DATETIME_FORMAT"),
                    },
                    code="edited_concurrently",
                )
        return cleaned_data


class TranslatorAwareAdmin(TabbedTranslationAdmin):
    """Translated content in Spanish and English tabs, where translators edit only the English.

    A translator is a user who may change the model but neither add it nor publish it (the translator
    group): Spanish is the source language, so every other field stays read-only for them, and the
    inlines (which hold no translation) are left out. The server ignores whatever else the form sends.
    """

    def translates_only(self, request):
        opts = self.opts
        may_publish = request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
        return not self.has_add_permission(request) and not may_publish

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.translates_only(request):
            translated = self.trans_opts.all_fields
            readonly += [
                field.name
                for field in [*self.opts.fields, *self.opts.many_to_many]
                if field.editable
                and not field.auto_created
                and field.name not in translated  # the original column behind the _es/_en ones
                and not field.name.endswith("_en")
                and field.name not in readonly
            ]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.translates_only(request) else super().get_prepopulated_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if self.translates_only(request) else super().get_inlines(request, obj)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if self.translates_only(request):
            changelist.list_editable = ()  # e.g. the order of themes: not a translation
        return changelist


class EditorialAdmin(SimpleHistoryAdmin, ImportExportModelAdmin, TranslatorAwareAdmin):
    """The editorial workflow for content that is published (initiatives, publications, glossary terms).

    Who may do what, checked here on the server whatever the form sent:
    - a user with the model's ``publish_*`` permission (publishers) sets any state;
    - a user who may add and change (editors) works on drafts and items in review, and can only choose
      those two states, so an editor cannot publish, archive, or change what is published;
    - translators edit only the English of existing items (``TranslatorAwareAdmin``).
    """

    editorial_states = [Publishable.State.DRAFT, Publishable.State.REVIEW]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    def get_view_on_site_url(self, obj=None):
        # Drafts are not public yet: "view on site" opens the staff preview of the real page, in the admin's language.
        return f"{obj.get_absolute_url()}?preview" if obj is not None and obj.pk else None

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def can_publish(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.can_publish(request) or self.translates_only(request):
            return True
        return obj.state in self.editorial_states

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type("EditorialForm", (EditedConcurrentlyForm, self.form), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        first_name, first_options = fieldsets[0]
        first_fields = [*first_options["fields"], "loaded_version"]
        return [(first_name, {**first_options, "fields": first_fields}), *fieldsets[1:]]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "state" and not self.can_publish(request):
            kwargs["choices"] = [(state.value, state.label) for state in self.editorial_states]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.record_language_edits(form.changed_data)
        super().save_model(request, obj, form, change)

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may view the history save a version; restoring is a change.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return self.translates_only(request) or super().revert_disabled(request, obj)

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    @admin.display(description=_("translation"))
    def translation_status(self, obj):
        missing = obj.missing_translations()
        if not missing:
            return _("ES and EN complete")
        names = {"es": _("ES"), "en": _("EN")}
        return "; ".join(
            _("%(language)s incomplete: %(fields)s") % {"language": names[language], "fields": ", ".join(fields)}
            for language, fields in missing.items()
        )


class EditorialResource(resources.ModelResource):
    """CSV/XLSX rows of a published model; every row is validated like the admin form before anything is written.

    The import runs in one transaction: a single bad row and nothing is written.
    """

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        model = type(instance)
        may_publish = self.user is not None and self.user.has_perm(
            f"{model._meta.app_label}.publish_{model._meta.model_name}"
        )
        if not may_publish and instance.state not in EditorialAdmin.editorial_states:
            raise ValidationError({"state": _("You may import drafts and items in review only.")})
        if instance.pk and not may_publish:
            current_state = model.objects.filter(pk=instance.pk).values_list("state", flat=True).first()
            if current_state not in EditorialAdmin.editorial_states:
                raise ValidationError({"state": _("You may not change an item that is published or archived.")})

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.created_by = self.user
        instance.updated_by = self.user
        instance.record_language_edits([f"x_{language}" for language in ("es", "en")])


class TranslationDashboardView(TemplateView):
    """Items whose translation is missing or stale, for the models the signed-in user may see."""

    template_name = "admin/translation_dashboard.html"

    def get_context_data(self, **kwargs):
        missing, stale = [], []
        for model, model_admin in admin.site._registry.items():
            if not isinstance(model_admin, EditorialAdmin) or not model_admin.has_view_permission(self.request):
                continue
            change_url = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
            for item in model.objects.missing_translation():
                missing.append((model._meta.verbose_name, item, change_url, item.missing_translations()))
            for item in model.objects.stale_translation():
                stale.append((model._meta.verbose_name, item, change_url, item.stale_language()))
        return super().get_context_data(
            **admin.site.each_context(self.request),
            title=_("Translations"),
            missing=missing,
            stale=stale,
            **kwargs,
        )
