"""A GIN index for full-text search on PostgreSQL; nothing on other databases.

The expression is a frozen copy of `articles.search.search_vector()` (a migration must not
change when app code does). `tests/test_search.py` checks that the planner uses this index for
the search query, so the two cannot drift apart unnoticed.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_INDEX = GinIndex(
    SearchVector("headline", weight="A", config="english")
    + SearchVector("dek", weight="B", config="english")
    + SearchVector("body", weight="C", config="english"),
    name="article_search_idx",
)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
