"""A stored full-text search document per story, kept current by PostgreSQL itself.

On PostgreSQL a trigger fills `search_document` from the headline (weight A), dek (B) and
body (C) on every insert and update, whatever writes the row (admin, wire import, bulk
loads, `QuerySet.update()`), and a GIN index serves the `@@` match. Ranking reads the stored
document instead of re-parsing every matching story, which is what keeps a common word fast
on a large archive. On other databases the column stays empty and search falls back to
matching words.
"""

import django.contrib.postgres.search
from django.db import migrations

CREATE = """
CREATE FUNCTION articles_article_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.headline, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.dek, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE OF headline, dek, body, search_document ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document();

UPDATE articles_article SET search_document = NULL;

CREATE INDEX article_search_idx ON articles_article USING gin (search_document);
"""

DROP = """
DROP INDEX IF EXISTS article_search_idx;
DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_document();
"""


def create_search_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_search_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_wire_import")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search_trigger, drop_search_trigger),
    ]
