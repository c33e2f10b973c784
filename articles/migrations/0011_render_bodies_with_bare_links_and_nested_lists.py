from importlib import import_module

from django.db import migrations

# The renderer now links addresses typed bare, nests lists indented by two spaces and lets the
# keyboard scroll a wide table: stored bodies are drawn again, as saving an article would (the
# same step as 0006).
render_bodies = import_module("articles.migrations.0006_render_bodies_again").render_bodies


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_search_ignores_accents"),
    ]

    operations = [migrations.RunPython(render_bodies, migrations.RunPython.noop)]
