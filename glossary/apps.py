from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from glossary.linking import forget_tables
        from glossary.models import Term, Variant

        for model in (Term, Variant):
            post_save.connect(forget_tables, sender=model, dispatch_uid=f"glossary-links-{model.__name__}")
            post_delete.connect(forget_tables, sender=model, dispatch_uid=f"glossary-links-{model.__name__}-delete")
