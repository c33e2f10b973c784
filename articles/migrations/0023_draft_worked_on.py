"""A draft's place in the article list (articles.querysets.last_worked_on) is when it was last
worked on, a time of its own (Article.worked_on_at): it was its "Updated" time, which a story
taken down keeps for readers, so such a story moved up only when its words changed, and sorted
by the day it was last updated (pages down) while it was being fixed.

Each draft starts from its "Updated" time: every draft keeps its place at the upgrade, and a
story taken down moves up at its next change. A story out or scheduled is placed by its
publication time and keeps the upgrade's time (the column's default), unread: it is given its
own when taken down (articles.services: unpublish_articles, or save_article's change of status),
so only the drafts' rows are written, not the archive, while the table is locked. The column has a database default (now), as
0024's has (""): the release before, which does not know them, adds stories on this schema
during `make reload MIGRATE=1`."""

from django.db import migrations, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils import timezone


def worked_on_when_updated(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="draft").update(worked_on_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="worked_on_at",
            field=models.DateTimeField(db_default=Now(), default=timezone.now, editable=False),
        ),
        migrations.RunPython(worked_on_when_updated, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="article", name="article_worked_on_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                models.OrderBy(
                    models.Case(
                        models.When(
                            models.Q(status=RawSQL("'draft'", ())), then=models.F("worked_on_at")
                        ),
                        default=models.F("published_at"),
                    ),
                    descending=True,
                ),
                models.OrderBy(models.F("id"), descending=True),
                name="article_worked_on_idx",
            ),
        ),
    ]
