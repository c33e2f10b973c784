"""The numbers behind "we will review it in the next few hours", for the admin index."""

from datetime import datetime, time, timedelta

from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from comments.models import Comment, Report

WINDOW_DAYS = 7


def median_decision_time(days: int = WINDOW_DAYS) -> timedelta | None:
    """Median time from submission to a moderator's decision, computed in the database."""
    decided = Comment.objects.decided_since(days)
    total = decided.count()
    if not total:
        return None
    waits = decided.annotate(wait=F("moderated_at") - F("created_at")).order_by("wait")
    middle = list(waits.values_list("wait", flat=True)[(total - 1) // 2 : total // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


def moderation_summary() -> dict:
    queue = Comment.objects.pending().aggregate(count=Count("pk"), oldest=Min("created_at"))
    oldest = queue["oldest"]
    return {
        "pending": queue["count"],
        "oldest_pending_at": oldest,
        "oldest_pending_age": timezone.now() - oldest if oldest else None,
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
    oldest = Comment.objects.filter(
        Q(moderated_at__isnull=True) | Q(moderated_at__gt=start) | back_in_queue,
        created_at__lte=now,
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
