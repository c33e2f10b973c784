"""Search looks in what readers read of a story (Article.body_text), not in its Markdown source,
whose editor's notes (<!-- -->), unused link definitions and scripts no reader is shown. The
text is made from each stored body_html as it is (the renderer is not run again here), and on
PostgreSQL the trigger indexes it in place of the body."""

from django.db import migrations, models

from articles.search import plain_text

# The trigger's function (migration 0010's, reading body_text). The text is escaped as in HTML
# first, as articles.search._as_html_text hands it to ts_headline: "<b>" typed in a code sample
# is words, not a tag for the parser to drop.
FUNCTION = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('newsportal_english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('newsportal_english', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('newsportal_english', {body}), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article;
CREATE TRIGGER articles_article_search_vector_update
  BEFORE INSERT OR UPDATE OF title, standfirst, {column} ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
"""
READER_TEXT = (
    "replace(replace(replace(coalesce(NEW.body_text, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
)
FORWARD = FUNCTION.format(body=READER_TEXT, column="body_text")
BACKWARD = FUNCTION.format(body="coalesce(NEW.body, '')", column="body")
BATCH = 500


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)  # first: each row written below is indexed as it is
    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.only("pk", "body_html").order_by("pk").iterator(BATCH):
        article.body_text = plain_text(article.body_html)
        batch.append(article)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["body_text"])
            batch = []
    Article.objects.bulk_update(batch, ["body_text"])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)
        schema_editor.execute("UPDATE articles_article SET title = title")  # indexed as before


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_section_description")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(blank=True, default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward),
    ]
