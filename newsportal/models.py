from django.db import models


class JobRun(models.Model):
    """When one of our cron jobs last finished a run (newsportal/jobs.py says which are late)."""

    name = models.CharField(max_length=100, primary_key=True)
    finished_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.finished_at:%Y-%m-%d %H:%M}"
