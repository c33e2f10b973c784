"""The last run of each of our cron jobs. Each is counted as run at the upgrade, so a cron line
that was never added shows as late once its allowance has passed since then (with no row the
job would be unknown, never late). Named here, not read from newsportal/jobs.py: a migration
must not change with code it would import."""

from django.db import migrations, models
from django.utils import timezone

JOBS = ["remind_moderators", "requeue_mail", "prune_comments"]


def start_counting(apps, schema_editor):
    JobRun = apps.get_model("newsportal", "JobRun")
    now = timezone.now()
    JobRun.objects.bulk_create([JobRun(name=name, finished_at=now) for name in JOBS])


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="JobRun",
            fields=[
                ("name", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("finished_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(start_counting, migrations.RunPython.noop),
    ]
