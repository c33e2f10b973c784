"""Published replies under a comment rejected or sent to spam after it was published (its
author's edit turned down) were off the site for good; they are shown again now, under a
placeholder (comments.querysets.REMOVED), and counted again in their story's count."""

from django.db import migrations
from django.db.models import Count, F


def _under_removed(apps):
    comment = apps.get_model("comments", "Comment")
    replies = comment.objects.filter(
        status="approved",
        withdrawn_at=None,
        parent__parent=None,
        parent__status__in=("rejected", "spam"),
    )
    return replies.values("article_id").annotate(n=Count("pk")).order_by("article_id")


def _move(apps, sign: int) -> None:
    article = apps.get_model("articles", "Article")
    for row in _under_removed(apps):
        article.objects.filter(pk=row["article_id"]).update(
            approved_comment_count=F("approved_comment_count") + sign * row["n"]
        )


def count_them(apps, schema_editor):
    _move(apps, 1)


def uncount_them(apps, schema_editor):
    _move(apps, -1)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("comments", "0026_policy_hide_after_reports_counts_networks"),
    ]

    operations = [migrations.RunPython(count_them, uncount_them)]
