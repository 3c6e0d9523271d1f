from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Everything a public page shows; a change to any of them makes every cached page stale.
PUBLIC_MODELS = [
    "initiatives.Theme",
    "initiatives.Region",
    "initiatives.Organization",
    "initiatives.Initiative",
    "initiatives.Participation",
    "initiatives.Publication",
    "initiatives.Section",
    "initiatives.Paragraph",
    "initiatives.Footnote",
    "initiatives.Consultation",
    "initiatives.Comment",
    "glossary.Term",
    "glossary.Variant",
]


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.apps import apps

        from portal.page_cache import content_changed

        for label in PUBLIC_MODELS:
            model = apps.get_model(label)
            post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    content_changed, sender=field.remote_field.through, dispatch_uid=f"page-cache-m2m-{label}"
                )
