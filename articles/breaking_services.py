"""Write paths for the breaking-news strip. It is on every page, so each write purges the site
(newsportal.caching.SITE, which every shared page and the menus' fragments carry) and, for a
strip that leaves or changes, its own key for good (breaking_key); a strip that ends by its own
time has the worker purge them then, when no write happens."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from articles.models import BreakingNews
from newsportal.caching import SITE, breaking_key, purge, run_at


def put_up_breaking_news(*, banner: BreakingNews, user=None) -> BreakingNews:
    """Put a new strip up, in place of any that is up: readers see one at a time, and a strip
    ended by a newer one does not come back when the newer ends."""
    now = timezone.now()
    banner.started_at = now
    banner.started_by = user
    with transaction.atomic():
        banner.full_clean()
        replaced = list(BreakingNews.objects.live().values_list("pk", flat=True))
        BreakingNews.objects.filter(pk__in=replaced).update(ends_at=now)
        banner.save()
        _purge_put_up(banner, stale=replaced)
    return banner


def mend_breaking_news(*, banner: BreakingNews) -> BreakingNews:
    """Its words, story or end mended (a typo, a time moved): the pages show the strip mended."""
    with transaction.atomic():
        banner.full_clean()
        banner.save()
        _purge_put_up(banner, stale=[banner.pk])  # its old words
    return banner


def end_breaking_news(*, queryset) -> int:
    """Take these strips off the pages now (those already ended keep the time they ended)."""
    with transaction.atomic():
        ended = list(queryset.live().values_list("pk", flat=True))
        BreakingNews.objects.filter(pk__in=ended).update(ends_at=timezone.now())
        _purge_ended(ended)
    return len(ended)


def end_strips_leading_to(*, article_ids) -> None:
    """Stories about to be deleted: a strip up leading to one ends with it (kept as a record,
    its words without the story)."""
    end_breaking_news(queryset=BreakingNews.objects.filter(article_id__in=article_ids))


def delete_breaking_news(*, queryset) -> int:
    with transaction.atomic():
        shown = list(queryset.live().values_list("pk", flat=True))
        count, _ = queryset.delete()
        _purge_ended(shown)
    return count


def _purge_ended(pks) -> None:
    # Its key is purged for good: a strip taken down must not come back from a stale copy.
    if pks:
        purge(SITE, *(breaking_key(pk) for pk in pks))


def _purge_put_up(banner: BreakingNews, *, stale) -> None:
    """Every page shows the strip now; those showing the stale strips, for good."""
    purge(SITE, *(breaking_key(pk) for pk in stale))
    if banner.ends_at is not None and banner.ends_at > timezone.now():
        pk, ends_at = banner.pk, banner.ends_at
        args = (pk, ends_at.isoformat())
        transaction.on_commit(lambda: run_at(ends_at, breaking_news_ended, *args, once=True))


@task(queue_name="purge")
def breaking_news_ended(banner_id: int, ends_at: str) -> str:
    # Ended early, mended to another time (which has a task of its own) or deleted meanwhile:
    # its end was purged then, and a purge costs every page a fetch from the origin.
    ended = BreakingNews.objects.filter(pk=banner_id, ends_at=datetime.fromisoformat(ends_at))
    if not ended.exists():
        return "not due"
    _purge_ended([banner_id])
    return "ended"
