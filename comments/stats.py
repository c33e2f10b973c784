"""The numbers behind "we will review it in the next few hours", for the admin index."""

from datetime import timedelta

from django.db.models import Count, F, Min
from django.utils import timezone

from comments.models import Comment

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
    }
