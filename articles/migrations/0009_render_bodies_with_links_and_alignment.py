from importlib import import_module

from django.db import migrations

# The renderer now keeps tel: links and tables' column alignment that it used to drop: stored
# bodies are drawn again, as saving an article would (the same step as 0006).
render_bodies = import_module("articles.migrations.0006_render_bodies_again").render_bodies


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_old_slugs"),
    ]

    operations = [migrations.RunPython(render_bodies, migrations.RunPython.noop)]
