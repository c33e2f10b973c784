"""Updates deleted from a live coverage (posted by mistake, to the wrong story say): what is left
reads as a coverage that began with its oldest update left, not with one readers never see. Its
days are counted from there (a day's coverage shows no dates), search engines are given that
start, and the story's form says it."""

import re
from datetime import timedelta

from django.utils import timezone

from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import delete_updates, post_update
from articles.models import Article, LiveUpdate
from tests.test_article_metadata import json_ld

DATED = re.compile(r'<time datetime="[^"]+">\d{1,2} [A-Z][a-z]{2}, ')


def _coverage(html: str) -> str:
    return re.search(r'<section class="live-coverage".*?</section>', html, re.S).group(0)


def _follow_from(article, first_day: int, count: int) -> list[LiveUpdate]:
    """`count` updates a minute apart from noon three days ago, the first `first_day` of them
    the day before; the story live since the first, as posting them then would have left it."""
    updates = [post_update(article=article, text=f"Update {n}") for n in range(count)]
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    noon -= timedelta(days=3)
    for n, update in enumerate(updates):
        update.posted_at = noon + timedelta(minutes=n) - timedelta(days=n < first_day)
        LiveUpdate.objects.filter(pk=update.pk).update(posted_at=update.posted_at)
    Article.objects.filter(pk=article.pk).update(live_since=updates[0].posted_at)
    return updates


def test_deleting_the_first_days_updates_leaves_a_one_day_coverage_undated(client, article):
    # Two posted the day before by mistake, then a page and one more on the day itself.
    updates = _follow_from(article, 2, 2 + LIVE_UPDATES_PER_PAGE + 1)
    delete_updates(queryset=LiveUpdate.objects.filter(pk__in=[u.pk for u in updates[:2]]))

    for url in (article.get_absolute_url(), f"{article.get_absolute_url()}updates/2/"):
        coverage = _coverage(client.get(url).content.decode())
        assert 'class="live-update-time"' in coverage
        # All of it on one day: the times alone, as a coverage posted on one day shows them.
        assert not DATED.findall(coverage), url
    started = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert started["coverageStartTime"] == updates[2].posted_at.isoformat(timespec="seconds")


def test_the_coverage_starts_with_its_oldest_update_left(client, desk, article):
    updates = _follow_from(article, 0, 4)
    delete_updates(queryset=LiveUpdate.objects.filter(pk__in=[updates[0].pk, updates[2].pk]))

    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["coverageStartTime"] == updates[1].posted_at.isoformat(timespec="seconds")
    form = desk.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    since = timezone.localtime(updates[1].posted_at).strftime("%-d %b %Y, %H:%M")
    assert f"Live since {since}" in form

    # Deleting a later one moves nothing: the coverage still began there.
    delete_updates(queryset=LiveUpdate.objects.filter(pk=updates[3].pk))
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["coverageStartTime"] == updates[1].posted_at.isoformat(timespec="seconds")
