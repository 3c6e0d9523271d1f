from django.db import migrations

from portal.models import search_vectors_inline


class Migration(migrations.Migration):
    """The search vectors stay in the rows, so that ranking reads no side table (see
    `portal.models.search_vectors_inline`)."""

    dependencies = [
        ("initiatives", "0011_publication_kind_index"),
    ]

    operations = [
        search_vectors_inline("initiatives_initiative", "title_es", "title_en"),
        search_vectors_inline("initiatives_publication", "title_es", "title_en"),
        search_vectors_inline("initiatives_paragraph", "text_es", "text_en"),
        search_vectors_inline("initiatives_comment", "body"),
    ]
