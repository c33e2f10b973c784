from django.db import migrations


def render_bodies(apps, schema_editor):
    # The renderer now keeps headings, footnotes and our own pictures that it used to drop:
    # stored bodies are drawn again, as saving an article would.
    from articles.rendering import render_markdown

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body").iterator():
        Article.objects.filter(pk=article.pk).update(body_html=render_markdown(article.body))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_first_published_at"),
    ]

    operations = [migrations.RunPython(render_bodies, migrations.RunPython.noop)]
