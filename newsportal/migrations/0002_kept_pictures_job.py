"""prune_kept_pictures joins the watched cron jobs: counted as run at this upgrade, as 0001 did
for the first ones, so a cron line never added shows as late once its allowance has passed."""

from django.db import migrations
from django.utils import timezone


def start_counting(apps, schema_editor):
    JobRun = apps.get_model("newsportal", "JobRun")
    JobRun.objects.get_or_create(
        name="prune_kept_pictures", defaults={"finished_at": timezone.now()}
    )


def stop_counting(apps, schema_editor):
    apps.get_model("newsportal", "JobRun").objects.filter(name="prune_kept_pictures").delete()


class Migration(migrations.Migration):
    dependencies = [("newsportal", "0001_job_runs")]

    operations = [migrations.RunPython(start_counting, stop_counting)]
