"""Write paths for the breaking-news strip. It is on every page, so each write purges the site
(newsportal.caching.SITE, which every shared page and the menus' fragments carry) and, for a
strip that leaves or changes, its own key for good (breaking_key); a strip that goes up or ends
by its own time has the worker purge them then, when no write happens."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from django_tasks import task

from articles.models import BreakingNews
from articles.models.breaking import newer_gone_up
from newsportal.caching import SITE, breaking_key, purge, run_at


def put_up_breaking_news(*, banner: BreakingNews, user=None) -> BreakingNews:
    """Put a new strip up, in place of any that is up: readers see one at a time, and a strip
    ended by a newer one does not come back when the newer ends. With a "show from" time to
    come it is scheduled: it replaces the strip up then, at that time."""
    banner.started_by = user
    with transaction.atomic():
        _starts_now_unless_later(banner)
        banner.full_clean()
        replaced = _end_live_if_up_now(banner)
        banner.save()
        _purge_put_up(banner, stale=replaced)
    return banner


def mend_breaking_news(*, banner: BreakingNews) -> BreakingNews:
    """Its words, story or end mended (a typo, a time moved), or, while it waits, its start:
    the pages show the strip mended."""
    with transaction.atomic():
        # Locked, then read: an end or a cancel committed meanwhile is not saved over.
        stored = BreakingNews.objects.with_up().select_for_update().filter(pk=banner.pk).first()
        if stored is None or not (stored.up or stored.waiting):
            raise ValidationError("this strip is no longer up (ended, replaced or cancelled).")
        if stored.up and banner.started_at != stored.started_at:
            # Its form was opened while it waited; it went up meanwhile.
            raise ValidationError("this strip has gone up meanwhile: its start is kept.")
        if stored.waiting:
            _starts_now_unless_later(banner)
        banner.full_clean()
        replaced = _end_live_if_up_now(banner)
        banner.save()
        _purge_put_up(banner, stale=[banner.pk, *replaced])  # its old words
    return banner


def end_breaking_news(*, queryset) -> int:
    """Take these strips off the pages now (those already ended keep the time they ended);
    those waiting for their time are cancelled: they never go up, and replace nothing."""
    now = timezone.now()
    with transaction.atomic():
        ended = list(queryset.live().values_list("pk", flat=True))
        waiting = list(queryset.scheduled().values_list("pk", flat=True))
        BreakingNews.objects.filter(pk__in=[*ended, *waiting]).update(ends_at=now)
        # A page drawn while one waited is kept until its start at most: nothing to purge.
        _purge_ended(ended)
    return len(ended) + len(waiting)


def end_strips_leading_to(*, article_ids) -> None:
    """Stories about to be deleted: a strip up, or waiting, leading to one ends with it (kept
    as a record, its words without the story)."""
    end_breaking_news(queryset=BreakingNews.objects.filter(article_id__in=article_ids))


def delete_breaking_news(*, queryset) -> int:
    with transaction.atomic():
        # Those they replaced by their start, with no write then, must stay ended without them.
        _record_replaced()
        shown = list(queryset.live().values_list("pk", flat=True))
        count, _ = queryset.delete()
        _purge_ended(shown)
    return count


def _starts_now_unless_later(banner: BreakingNews) -> None:
    # Empty, or a time already past (a form left open): it goes up now, and is newer than any
    # strip up now.
    now = timezone.now()
    if banner.started_at is None or banner.started_at <= now:
        banner.started_at = now


def _end_live_if_up_now(banner: BreakingNews) -> list[int]:
    """A strip going up now ends the one up (its record says so at once); one scheduled
    replaces it only at its start (BreakingNews.live decides by start time meanwhile)."""
    if banner.started_at > timezone.now():
        return []
    replaced = list(BreakingNews.objects.live().exclude(pk=banner.pk).values_list("pk", flat=True))
    BreakingNews.objects.filter(pk__in=replaced).update(ends_at=banner.started_at)
    return replaced


def _record_replaced() -> list[int]:
    """Strips replaced by one scheduled, at its start: their end written as that start, so the
    record says when they left, and deleting the newer does not bring them back. Returns them."""
    now = timezone.now()
    first_newer = newer_gone_up(now).order_by("started_at", "pk").values("started_at")[:1]
    rows = (
        BreakingNews.objects.annotate(replaced_at=Subquery(first_newer))
        .filter(replaced_at__isnull=False)
        .values_list("pk", "ends_at", "replaced_at")
    )
    replaced = []
    for pk, ends_at, replaced_at in rows:
        if ends_at is None or ends_at > replaced_at:
            BreakingNews.objects.filter(pk=pk).update(ends_at=replaced_at)
            replaced.append(pk)
    return replaced


def _purge_ended(pks) -> None:
    # Its key is purged for good: a strip taken down must not come back from a stale copy.
    if pks:
        purge(SITE, *(breaking_key(pk) for pk in pks))


def _purge_put_up(banner: BreakingNews, *, stale) -> None:
    """Every page shows the strip now; those showing the stale strips, for good. A strip
    scheduled purges too: pages kept now must learn they change at its start."""
    purge(SITE, *(breaking_key(pk) for pk in stale))
    now = timezone.now()
    pk = banner.pk
    if banner.started_at > now:
        starts_at = banner.started_at
        args = (pk, starts_at.isoformat())
        transaction.on_commit(lambda: run_at(starts_at, breaking_news_started, *args, once=True))
    if banner.ends_at is not None and banner.ends_at > now:
        ends_at = banner.ends_at
        ended = (pk, ends_at.isoformat())
        transaction.on_commit(lambda: run_at(ends_at, breaking_news_ended, *ended, once=True))


@task(queue_name="purge")
def breaking_news_started(banner_id: int, starts_at: str) -> str:
    # Cancelled, moved to another time (which has a task of its own) or deleted meanwhile.
    starts = datetime.fromisoformat(starts_at)
    not_cancelled = Q(ends_at__isnull=True) | Q(ends_at__gt=starts)
    if not BreakingNews.objects.filter(not_cancelled, pk=banner_id, started_at=starts).exists():
        return "not due"
    with transaction.atomic():
        # The one it replaced, up just before its start, leaves every page for good.
        before = BreakingNews.objects.live_at(starts - timedelta(microseconds=1))
        stale = list(before.exclude(pk=banner_id).values_list("pk", flat=True))
        _record_replaced()
        purge(SITE, *(breaking_key(pk) for pk in stale))
    return "started"


@task(queue_name="purge")
def breaking_news_ended(banner_id: int, ends_at: str) -> str:
    # Ended early, mended to another time (which has a task of its own) or deleted meanwhile:
    # its end was purged then, and a purge costs every page a fetch from the origin.
    ended = BreakingNews.objects.filter(pk=banner_id, ends_at=datetime.fromisoformat(ends_at))
    if not ended.exists():
        return "not due"
    _purge_ended([banner_id])
    return "ended"
