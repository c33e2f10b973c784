"""Bylines in the order the editor sets (Byline.position), where they printed alphabetically:
each story's authors keep that alphabetical order as their first positions. The Editors group
(0014) may write them: the byline is an inline of its own now, which the admin leaves out of
the form of whoever may not add, change or delete bylines (since, the inline follows the
article's own permissions: articles.admin_bylines). Reversed, every story keeps its authors but
not their order: forwards again, they print alphabetically."""

from itertools import groupby

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS_MAY = [f"{action}_byline" for action in ("add", "change", "delete", "view")]


def bylines_from_authors(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    rows = Article.authors.through.objects.order_by("article_id", "author__name", "author_id")
    Byline.objects.bulk_create(
        Byline(article_id=article_id, author_id=row.author_id, position=position)
        for article_id, named in groupby(rows, key=lambda row: row.article_id)
        for position, row in enumerate(named, start=1)
    )


def authors_from_bylines(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article_id=article_id, author_id=author_id)
        for article_id, author_id in Byline.objects.values_list("article_id", "author_id")
    )


def editors_write_bylines(apps, schema_editor):
    # Permissions are made after all migrations run: made now, as 0014 makes them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    may = Permission.objects.filter(content_type__app_label="articles", codename__in=EDITORS_MAY)
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.add(*may)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_search_reader_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Byline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bylines",
                        to="articles.article",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bylines",
                        to="articles.author",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "author"), name="byline_names_author_once"
                    )
                ],
            },
        ),
        migrations.RunPython(bylines_from_authors, authors_from_bylines),
        migrations.RemoveField(model_name="article", name="authors"),
        migrations.AddField(
            model_name="article",
            name="authors",
            field=models.ManyToManyField(
                related_name="articles", through="articles.Byline", to="articles.author"
            ),
        ),
        migrations.RunPython(editors_write_bylines, migrations.RunPython.noop),
    ]
