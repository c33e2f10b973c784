"""Search finds a story by its picture's words too: the caption printed under it and the alt
text read out in its place, words its page gives readers (articles.search). While the story has
a picture: words left from one removed are on no page. On PostgreSQL the trigger (0017's)
indexes them in the same GIN-indexed vector, weighted as the body; SQLite's search reads the
columns themselves."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('newsportal_english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('newsportal_english', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('newsportal_english', {body}), 'C'){picture};
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article;
CREATE TRIGGER articles_article_search_vector_update
  BEFORE INSERT OR UPDATE OF title, standfirst, body_text{columns} ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
"""


def _as_html_text(column: str) -> str:
    # Escaped as in HTML, as 0017 does the body's: "<b>" typed in a caption is words, not a
    # tag for the parser to drop.
    text = f"coalesce(NEW.{column}, '')"
    return f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


PICTURE = f""" ||
    setweight(to_tsvector('newsportal_english', CASE WHEN coalesce(NEW.hero_image, '') <> ''
      THEN {_as_html_text("hero_alt")} || ' ' || {_as_html_text("hero_caption")}
      ELSE '' END), 'C')"""
FORWARD = FUNCTION.format(
    body=_as_html_text("body_text"),
    picture=PICTURE,
    columns=", hero_image, hero_alt, hero_caption",
)
BACKWARD = FUNCTION.format(body=_as_html_text("body_text"), picture="", columns="")
# The rows whose index lacks their picture's words: indexed again (the trigger runs on any
# update of a column it names).
INDEX_PICTURED = """
UPDATE articles_article SET title = title
WHERE hero_image <> '' AND (hero_alt <> '' OR hero_caption <> '')
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)
        schema_editor.execute(INDEX_PICTURED)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)
        schema_editor.execute(INDEX_PICTURED)


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_old_entry_slugs")]

    operations = [migrations.RunPython(forward, backward)]
