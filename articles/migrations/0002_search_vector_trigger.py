"""Keep Article.search_vector current with a trigger, and index it (PostgreSQL only).

A trigger rather than application code, so every write path (admin, bulk updates, raw SQL
imports) keeps the index right. On SQLite this migration does nothing: search falls back to a
substring match there.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article;
CREATE TRIGGER articles_article_search_vector_update
  BEFORE INSERT OR UPDATE OF title, standfirst, body ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

CREATE INDEX IF NOT EXISTS articles_article_search_gin
  ON articles_article USING gin (search_vector);

UPDATE articles_article SET title = title;
"""

BACKWARD = """
DROP INDEX IF EXISTS articles_article_search_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
