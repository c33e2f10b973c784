"""Write paths for a story's live coverage (articles.models.LiveUpdate). Each purges the story's
page and the lists (their "Live" label, and the story's "Updated" time in feeds and sitemaps).
The story's row is locked first, as an editor's save and a correction lock it: an update posted
while the coverage is ended, or while its last update is deleted, never leaves the story "Live"
with nothing new or ended with an update just posted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles.models import Article, LiveUpdate
from articles.rendering import render_markdown
from newsportal.caching import LISTS, article_key, purge


def _purge(article_ids) -> None:
    purge(*(article_key(pk) for pk in sorted(article_ids)), LISTS)


def _locked(article_ids) -> list[int]:
    """The stories' row locks, in pk order (two writes across the same stories never wait on
    each other crosswise); the pks of those still there."""
    stories = Article.objects.select_for_update().filter(pk__in=article_ids).order_by("pk")
    return list(stories.values_list("pk", flat=True))


def post_update(
    *, article: Article, text: str, headline: str = "", key_event: bool = False, by=None
) -> LiveUpdate:
    """An update on the story's page, the newest first, dated now. The first makes the story
    live; one posted after the coverage ended takes it up again (the newsroom is back on it).
    The story's "Updated" time moves to now, as a correction moves it."""
    with transaction.atomic():
        # The story's row lock and its row, as append_correction reads them: one query.
        story = Article.objects.select_for_update().filter(pk=article.pk).first()
        if story is None:
            raise ValidationError({"article": "This story was deleted meanwhile."})
        update = LiveUpdate(
            article=story, text=text, headline=headline, key_event=key_event, posted_by=by
        )
        update.full_clean()
        update.text_html = render_markdown(update.text)
        update.save()
        now = update.posted_at
        written = {"updated_at": now, "worked_on_at": now, "live_ended_at": None}
        if not story.is_live:
            written["live_since"] = story.live_since or now
        Article.objects.filter(pk=story.pk).update(**written)
        _purge([story.pk])
    return update


def mend_update(*, update: LiveUpdate) -> LiveUpdate:
    """An update's words mended (a typo, a name spelt right, a key event marked): its time stays
    the one readers were told, and so does the story's "Updated"."""
    with transaction.atomic():
        if not _locked([update.article_id]):
            raise ValidationError("This story was deleted meanwhile.")
        update.full_clean()
        update.text_html = render_markdown(update.text)
        fields = {f: getattr(update, f) for f in ("headline", "text", "text_html", "key_event")}
        if not LiveUpdate.objects.filter(pk=update.pk).update(**fields):
            raise ValidationError("This update was deleted meanwhile.")
        Article.objects.filter(pk=update.article_id).update(worked_on_at=timezone.now())
        _purge([update.article_id])
    return update


def locked_update(pk) -> LiveUpdate | None:
    """The update as stored, its story's row then its own locked to the end of the transaction
    (the order mend_update and delete_updates take them): what a mend's form compares with
    (articles.admin_mends), found the same by its save. None: deleted meanwhile."""
    with transaction.atomic():
        story = LiveUpdate.objects.filter(pk=pk).values_list("article_id", flat=True).first()
        _locked([story])
        return LiveUpdate.objects.select_for_update().filter(pk=pk).first()


def delete_updates(*, queryset) -> int:
    """Updates posted by mistake (to the wrong story, say) taken off the pages. The coverage
    begins with its oldest update left (the days its pages count, the start search engines
    read), not with one readers never see. A story left with none is no longer live coverage
    at all: its "Live" goes from its page and the lists."""
    with transaction.atomic():
        article_ids = set(queryset.values_list("article_id", flat=True))
        _locked(article_ids)
        count, _ = queryset.delete()
        oldest_left = (
            LiveUpdate.objects.filter(article=OuterRef("pk"))
            .order_by("posted_at", "pk")
            .values("posted_at")[:1]
        )
        stories = Article.objects.filter(pk__in=article_ids)
        stories.update(live_since=Subquery(oldest_left), worked_on_at=timezone.now())
        stories.filter(live_since__isnull=True).update(live_ended_at=None)
        _purge(article_ids)
    return count


def end_coverage(*, queryset) -> int:
    """The newsroom stops following these stories live: "Live" leaves their pages and the
    lists, their updates stay, the page saying when the coverage ended. How many ended."""
    with transaction.atomic():
        article_ids = _locked(queryset.values_list("pk", flat=True))
        now = timezone.now()
        live = Article.objects.filter(
            pk__in=article_ids, live_since__isnull=False, live_ended_at__isnull=True
        )
        ended = list(live.values_list("pk", flat=True))
        Article.objects.filter(pk__in=ended).update(live_ended_at=now, worked_on_at=now)
        if ended:
            _purge(ended)
    return len(ended)
