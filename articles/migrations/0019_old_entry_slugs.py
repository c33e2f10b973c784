"""Old addresses of sections, authors and tags: a changed slug leads on to the new one. The
Editors group (0014) may end one (delete it on the page's change form), as an article's."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS_MAY = [
    f"{action}_{model}"
    for model in ("oldsectionslug", "oldauthorslug", "oldtagslug")
    for action in ("add", "change", "delete", "view")
]


def editors_end_old_addresses(apps, schema_editor):
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
        ("articles", "0018_bylines_in_order"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
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
        migrations.RunPython(editors_end_old_addresses, migrations.RunPython.noop),
    ]
