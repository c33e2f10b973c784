"""Write paths for the breaking-news strip. It is on every page, so each write purges the site
(newsportal.caching.SITE, which every shared page and the menus' fragments carry); a strip
that ends by its own time has the worker purge the site then, when no write happens."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from articles.models import BreakingNews
from newsportal.caching import SITE, purge, run_at


def put_up_breaking_news(*, banner: BreakingNews, user=None) -> BreakingNews:
    """Put a new strip up, in place of any that is up: readers see one at a time, and a strip
    ended by a newer one does not come back when the newer ends."""
    now = timezone.now()
    banner.started_at = now
    banner.started_by = user
    with transaction.atomic():
        banner.full_clean()
        BreakingNews.objects.live().update(ends_at=now)
        banner.save()
        _purge_site(banner)
    return banner


def mend_breaking_news(*, banner: BreakingNews) -> BreakingNews:
    """Its words, story or end mended (a typo, a time moved): the pages show the strip mended."""
    with transaction.atomic():
        banner.full_clean()
        banner.save()
        _purge_site(banner)
    return banner


def end_breaking_news(*, queryset) -> int:
    """Take these strips off the pages now (those already ended keep the time they ended)."""
    with transaction.atomic():
        count = queryset.live().update(ends_at=timezone.now())
        if count:
            purge(SITE)
    return count


def delete_breaking_news(*, queryset) -> int:
    with transaction.atomic():
        shown = queryset.live().exists()
        count, _ = queryset.delete()
        if shown:
            purge(SITE)
    return count


def _purge_site(banner: BreakingNews) -> None:
    purge(SITE)
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
    purge(SITE)
    return "ended"
