"""Search finds "São Paulo" when a reader types "sao paulo" (PostgreSQL only): a text search
configuration of our own, English with the unaccent dictionary before the stemmer, used by
the trigger that fills Article.search_vector and by articles.search. unaccent ships with
PostgreSQL and is a trusted extension: the database's owner may create it."""

from django.db import migrations

# The trigger's function, for a text search configuration.
TRIGGER = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('{config}', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('{config}', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('{config}', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE articles_article SET title = title;
"""

CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'newsportal_english') THEN
    CREATE TEXT SEARCH CONFIGURATION newsportal_english (COPY = english);
    ALTER TEXT SEARCH CONFIGURATION newsportal_english
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
END
$$;
"""

FORWARD = CONFIGURATION + TRIGGER.format(config="newsportal_english")
BACKWARD = TRIGGER.format(config="english") + (
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS newsportal_english;"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_render_bodies_with_links_and_alignment")]

    operations = [migrations.RunPython(forward, backward)]
