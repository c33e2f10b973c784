"""Write paths for corrections (articles.models.Correction). Each purges the story's page and
the corrections page after commit; a correction added to a story on the site moves its
"Updated" time too (feeds and sitemaps say it changed). Each is work on the story: it moves its
worked_on_at, a draft's place in the admin's list (a story taken down to be fixed comes first)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles.models import Article, Correction
from newsportal.caching import CORRECTIONS, LISTS, article_key, purge


def _purge_after_commit(article_ids) -> None:
    keys = [*(article_key(pk) for pk in article_ids), LISTS, CORRECTIONS]
    transaction.on_commit(lambda: purge(*keys))


def append_correction(*, article: Article, text: str) -> Correction:
    """Tell readers what the story got wrong, dated now. Its "Updated" time moves to now (a
    story taken down for the correction reads "Updated" once it is out again)."""
    with transaction.atomic():
        # The story's row lock, as an editor's save takes it: the two never cross halfway.
        locked = Article.objects.select_for_update().filter(pk=article.pk).first()
        if locked is None:
            raise ValidationError({"article": "This story was deleted meanwhile."})
        correction = Correction(article=locked, text=text)
        correction.full_clean()
        correction.save()
        told = correction.published_at
        written = {"corrected_at": told, "worked_on_at": told}
        if locked.has_gone_out and locked.updated_at < told:
            written["updated_at"] = told
        Article.objects.filter(pk=locked.pk).update(**written)
        _purge_after_commit([locked.pk])
    return correction


def mend_correction(*, correction: Correction) -> Correction:
    """A correction's words mended (a typo, a clearer sentence): its date stays the day readers
    were told, and the story's "Updated" time stays too; it was worked on now."""
    with transaction.atomic():
        correction.full_clean()
        # The story's row first (its lock), as the other two take it: never crosswise with a
        # deletion of its corrections, which would wait on each other.
        Article.objects.filter(pk=correction.article_id).update(worked_on_at=timezone.now())
        mended = Correction.objects.filter(pk=correction.pk).update(text=correction.text)
        if not mended:
            raise ValidationError("This correction was deleted meanwhile.")
        _purge_after_commit([correction.article_id])
    return correction


def locked_correction(pk) -> Correction | None:
    """The correction as stored, its story's row then its own locked to the end of the
    transaction (the order mend_correction and delete_corrections take them): what a mend's
    form compares with (articles.admin_mends), found the same by its save. None: deleted."""
    with transaction.atomic():
        story = Correction.objects.filter(pk=pk).values_list("article_id", flat=True).first()
        list(Article.objects.select_for_update().filter(pk=story).values_list("pk", flat=True))
        return Correction.objects.select_for_update().filter(pk=pk).first()


def delete_corrections(*, queryset) -> int:
    """Corrections added by mistake (to the wrong story, say) taken off the pages. The story's
    "Updated" time stays: readers may have read the correction and the page as it was. Its
    stories were worked on now."""
    with transaction.atomic():
        article_ids = set(queryset.values_list("article_id", flat=True))
        # Their stories' row locks, as append_correction takes them: a correction added
        # meanwhile is counted in what is left, never lost from its story's page.
        stories = Article.objects.select_for_update().filter(pk__in=article_ids).order_by("pk")
        list(stories.values_list("pk", flat=True))
        count, _ = queryset.delete()
        # The latest correction left (none: the story's page no longer looks for any).
        latest = Correction.objects.filter(article=OuterRef("pk")).order_by("-published_at")
        Article.objects.filter(pk__in=article_ids).update(
            corrected_at=Subquery(latest.values("published_at")[:1]), worked_on_at=timezone.now()
        )
        _purge_after_commit(article_ids)
    return count
