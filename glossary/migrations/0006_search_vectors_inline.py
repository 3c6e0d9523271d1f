from django.db import migrations

from portal.models import search_vectors_inline


class Migration(migrations.Migration):
    """The search vectors stay in the rows (see `portal.models.search_vectors_inline`)."""

    dependencies = [
        ("glossary", "0005_merge_0004_editorial_history_0004_search_documents"),
    ]

    operations = [search_vectors_inline("glossary_term", "term_es", "term_en")]
