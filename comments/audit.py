"""Who did what to which comment, in Django's own admin log: "Recent actions" and each object's
history read it, so a decision made anywhere (the queue, a bulk action, the shell) shows there."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType


def record(by, objects, message: str, flag: int = CHANGE) -> None:
    """One LogEntry per object (a queryset or a list), in one INSERT. Decisions the screen made
    have nobody to name, and are not logged."""
    if by is None or by.pk is None:
        return
    entries = [
        LogEntry(
            user_id=by.pk,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
            # "Recent actions" shows only this: what was done, not the bare name. Without the
            # reason typed after ": ", which may name people (comments.privacy erases); an IPv6
            # address has colons, never ": ".
            object_repr=f"{obj} · {message.split(': ', 1)[0]}"[:200],
            action_flag=flag,
            change_message=message,
        )
        for obj in objects
    ]
    LogEntry.objects.bulk_create(entries)
