"""The numbers behind "we will review it in the next few hours", for the admin index."""

from datetime import datetime, time, timedelta

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from comments.models import Comment, Report

WINDOW_DAYS = 7


def median_decision_time(days: int = WINDOW_DAYS) -> timedelta | None:
    """Median time from submission to a moderator's decision, computed in the database: the
    middle one or two waits by their rank among the window's, in one pass over its rows."""
    wait = F("moderated_at") - F("created_at")
    ranked = Comment.objects.decided_since(days).annotate(
        wait=wait, rank=Window(RowNumber(), order_by=wait.asc()), total=Window(Count("pk"))
    )
    # Ranks count from 1: of 5 waits the 3rd, of 4 the 2nd and 3rd (integer division).
    middle = ranked.filter(rank__gte=(F("total") + 1) / 2, rank__lte=F("total") / 2 + 1)
    waits = list(middle.values_list("wait", flat=True))
    return sum(waits, timedelta()) / len(waits) if waits else None


def moderation_summary() -> dict:
    queue = Comment.objects.pending().aggregate(count=Count("pk"), oldest=Min("created_at"))
    oldest = queue["oldest"]
    return {
        "pending": queue["count"],
        "oldest_pending_at": oldest,
        "median_decision_time": median_decision_time(),
        "window_days": WINDOW_DAYS,
        "reported": reported_count(),
    }


def reported_count() -> int:
    return Report.objects.open().values("comment_id").distinct().count()


def daily(days: int = 30) -> list[dict]:
    """Per day, oldest first: comments received, decided by a moderator, and how long the
    oldest comment waiting at the day's end (or now, for today) had waited. Three queries."""
    now = timezone.now()
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    dates = [first + timedelta(days=n) for n in range(days)]
    ends = [min(timezone.make_aware(datetime.combine(d, time.max)), now) for d in dates]

    def per_day(field, **filters):
        rows = (
            Comment.objects.filter(**{f"{field}__gte": start}, **filters)
            .annotate(day=TruncDate(field))
            .values("day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["day"]: row["n"] for row in rows}

    received = per_day("created_at")
    decided = per_day("moderated_at", moderated_by__isnull=False)
    # A comment back in the queue after it was published (hidden by its readers' reports)
    # still carries its first decision's time: today it waits all the same, counted from when
    # it came in, as the panel's "oldest waiting" counts it. Earlier days it stood published.
    back_in_queue = Q(status=Comment.Status.PENDING)
    waiting_at = {
        f"d{n}": Min(
            "created_at",
            filter=Q(created_at__lte=end)
            & (
                Q(moderated_at__isnull=True)
                | Q(moderated_at__gt=end)
                | (back_in_queue if end == now else Q(pk__in=[]))
            ),
        )
        for n, end in enumerate(ends)
    }
    # Only a comment waiting now lacks a decision's time (a comment its author withdrew while
    # it waited is a placeholder, no longer waiting), so what waited at some day's end is
    # waiting now or decided since the first day: each side read from an index, not the table.
    oldest = Comment.objects.filter(
        back_in_queue | Q(moderated_at__gt=start), created_at__lte=now
    ).aggregate(**waiting_at)
    return [
        {
            "date": day,
            "received": received.get(day, 0),
            "decided": decided.get(day, 0),
            "oldest_wait": (end - oldest[f"d{n}"]) if oldest[f"d{n}"] else None,
        }
        for n, (day, end) in enumerate(zip(dates, ends, strict=True))
    ]
