"""Who did what to which comment, in Django's own admin log: "Recent actions" and each object's
history read it, so a decision made anywhere (the queue, a bulk action, the shell) shows there."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

__all__ = ["ADDITION", "CHANGE", "record"]


def record(by, objects, message: str, flag: int = CHANGE) -> None:
    """One LogEntry per object (a queryset or a list), in one INSERT. Decisions the screen made
    have nobody to name, and are not logged."""
    if by is None or by.pk is None:
        return
    LogEntry.objects.log_actions(by.pk, objects, flag, change_message=message)
