"""Old addresses of sections, authors and tags: a changed slug leads on to the new one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_bylines_in_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="OldAuthorSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="articles.author",
                    ),
                ),
            ],
            options={
                "verbose_name": "old address",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="OldSectionSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="articles.section",
                    ),
                ),
            ],
            options={
                "verbose_name": "old address",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="OldTagSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="articles.tag",
                    ),
                ),
            ],
            options={
                "verbose_name": "old address",
                "abstract": False,
            },
        ),
    ]
