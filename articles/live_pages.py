"""A story's live coverage as its pages show it: the newest updates on the story's own page, the
earlier ones a page each at /articles/<slug>/updates/<n>/, and on every page the key events of
the whole coverage, each leading to the page it is on."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from articles.models import LiveUpdate

# A page's worth of updates: at 2 KB an update, some 40 KB of words, which every open tab fetches
# again after each post (js/live.js) and readers scroll, rather than a long coverage's 600 KB.
# Never fewer than the JSON-LD names (pages.LIVE_JSON_LD_UPDATES): each update it gives search
# engines is on the page its address names.
LIVE_UPDATES_PER_PAGE = 20


def live_page_url(article, number: int) -> str:
    """Page 1 is the story itself (its one address); the earlier ones their own."""
    if number == 1:
        return article.get_absolute_url()
    return reverse("articles:live-updates", args=[article.slug, number])


def live_update_url(article, pk: int) -> str:
    """An update's own address, the same wherever it is: it leads to the page it is on now
    (live_views.live_update_at), where "#update-<id>" alone stops leading once newer updates
    push it to an earlier page."""
    return reverse("articles:live-update", args=[article.slug, pk])


def live_update_page(article, pk: int) -> int | None:
    """The page update pk of this story is on now (None: the story has no such update): one
    query, the newer ones counted by the database."""
    newer = (
        article.live_updates.filter(pk=pk)
        .annotate(newer=_newer_count())
        .values_list("newer", flat=True)
        .first()
    )
    return None if newer is None else newer // LIVE_UPDATES_PER_PAGE + 1


def live_coverage(article, number: int = 1) -> dict | None:
    """The template context of includes/live_updates.html for page `number` of the coverage
    (None past its last page): its updates, the newest first, read a page at a time; and the
    coverage's key events, each with the link to it from this page."""
    if not article.live_since:
        # Never followed live (or every update deleted): the story's page alone, no page after.
        if number > 1:
            return None
        return {"live_updates": [], "key_events": [], "live_days": 0, "live_page": 1}
    per_page = LIVE_UPDATES_PER_PAGE
    start = (number - 1) * per_page
    # How many updates the coverage has, in the same query (the database counts them on the
    # story's index): "Earlier updates" says how many lie behind it, for a reader without
    # JavaScript coming back after a while. The same for every reader, the page stays shared;
    # each update posted or deleted purges the story's pages (live_services), count and all.
    size = article.live_updates.order_by().values("article").annotate(n=Count("pk")).values("n")
    rows = article.live_updates.annotate(coverage_size=Subquery(size))
    if number > 1:
        # The coverage's newest update, for its days, in the same query: page 1 starts with it.
        newest = article.live_updates.order_by("-posted_at").values("posted_at")[:1]
        rows = rows.annotate(newest_at=Subquery(newest))
    updates = list(rows[start : start + per_page])
    if not updates and number > 1:
        return None
    earlier = updates[0].coverage_size - start - len(updates) if updates else 0
    for update in updates:
        update.url = live_update_url(article, update.pk)
    if number == 1 and not earlier:
        # All of them are here (most coverage): the key events are among them.
        key_events = [update for update in updates if update.key_event]
        for update in key_events:
            update.href = f"#{update.anchor}"
        days = {timezone.localdate(update.posted_at) for update in updates}
    else:
        key_events = _key_events(article, number)
        # The coverage runs from its start to its newest update (not the story's "Updated",
        # which a later edit moves): the day is shown once any of it lies on another day, as
        # when all of it is on the one page.
        newest = updates[0].posted_at if number == 1 else updates[0].newest_at
        spans = [article.live_since, newest, *updates, *key_events]
        days = {timezone.localdate(getattr(when, "posted_at", when)) for when in spans}
    return {
        "live_updates": updates,
        "key_events": key_events,
        "live_days": len(days),
        "live_page": number,
        "newer_updates_url": live_page_url(article, number - 1) if number > 1 else "",
        "earlier_updates_url": live_page_url(article, number + 1) if earlier else "",
        "earlier_updates": earlier,
    }


def _newer_count():
    """How many updates of the same story are newer than the row's (the page it is on), counted
    by the database with the story's index."""
    newer = (
        LiveUpdate.objects.filter(article=OuterRef("article"))
        .filter(
            Q(posted_at__gt=OuterRef("posted_at"))
            | Q(posted_at=OuterRef("posted_at"), pk__gt=OuterRef("pk"))
        )
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(newer, output_field=IntegerField()), Value(0))


def _key_events(article, number: int) -> list[LiveUpdate]:
    """Every key event of the coverage, the newest first, each with the page it is on: one
    query, the key events' rows alone read."""
    key_events = list(
        article.live_updates.filter(key_event=True)
        .only("pk", "article_id", "headline", "posted_at", "key_event")
        .annotate(newer=_newer_count())
    )
    for update in key_events:
        on_page = update.newer // LIVE_UPDATES_PER_PAGE + 1
        here = "" if on_page == number else live_page_url(article, on_page)
        update.href = f"{here}#{update.anchor}"
    return key_events
