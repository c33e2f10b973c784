"""Write paths for articles. Each one that changes what readers see also purges it from the
shared caches (newsportal.caching), after commit. Those of the hero picture's files are in
articles.picture_services."""

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django_tasks import task

from articles.breaking_services import end_strips_leading_to
from articles.meanwhile import ALONGSIDE, GUARDED, TEXT_BOXES, merge, stored_alongside
from articles.models import UPDATE_GRACE, Article, Byline, OldSlug
from articles.picture_services import (
    HERO_MADE_FIELDS,
    drop_hero_files,
    hero_files,
    make_hero_renditions,
)
from articles.purges import purge_articles, purge_queryset, queryset_keys
from articles.rendering import render_markdown
from articles.search import plain_text
from newsportal.caching import ALL_LISTED, LISTS, article_key, listed_key, purge, run_at
from newsportal.text import as_a_form_posts


def _purge_on_release(article_ids) -> None:
    """A story scheduled for later joins the lists, the feeds and its section at its time, when
    no write happens: the worker purges what it joins then, so it goes out on time through
    the caches too."""
    scheduled = Article.objects.filter(
        pk__in=article_ids, status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )
    for pk, published_at in scheduled.values_list("pk", "published_at"):
        run_at(published_at, release_scheduled, pk, once=True)


@task(queue_name="purge")
def release_scheduled(article_id: int) -> str:
    # Withdrawn or moved later meanwhile (the new time has a task of its own): nothing joins.
    due = Article.objects.published().filter(pk=article_id)
    if not due.exists():
        return "not due"
    purge_queryset(due)
    return "released"


# What readers read of a story: an edit of these moves its "Updated" time (closing comments,
# moving it to another section or retagging it does not).
EDITORIAL_FIELDS = ("title", "standfirst", "body", "hero_image", "hero_alt", "hero_caption")
# Kept by other services while an editor has the form open: never written back from it.
_KEPT_ELSEWHERE = {
    "approved_comment_count",
    "corrected_at",
    "live_since",  # articles.live_services: an update posted, or the coverage ended, meanwhile
    "live_ended_at",
    "search_vector",
    *HERO_MADE_FIELDS,
}


def _dated_for_publication(article: Article, stored: dict | None, now, date_set: bool) -> None:
    """A draft going out for the first time on a date it already had (the time its form was
    opened, days ago) is news of today, as with publish_articles; so is a new story published
    in its first save with the time its add form showed when opened (hours ago, written in
    it). A date the editor set in the same save, a scheduled time, and a story published before
    keep theirs. Until a story has been out, its first publication follows its (scheduled)
    time, and a schedule withdrawn before its time leaves none."""
    if article.first_published_at is not None and article.first_published_at <= now:
        return  # it has been out: that date is its own
    if article.status != Article.Status.PUBLISHED:
        article.first_published_at = None
        return
    if stored is None:
        as_opened = not date_set
    else:
        going_out = stored["status"] == Article.Status.DRAFT
        as_opened = going_out and article.published_at == stored["published_at"]
    if as_opened:
        article.published_at = max(article.published_at, now)
    article.first_published_at = article.published_at


# What a save dates a story from (save_article): its dates and what readers read of it.
DATED_FROM = ("status", "published_at", "first_published_at", "updated_at", *EDITORIAL_FIELDS)


def dates_stored(article: Article) -> dict:
    """A saved story's DATED_FROM, read from it before a form changes it."""
    return {name: getattr(article, name) for name in DATED_FROM}


def dates_as_saving_would(*, article: Article, stored: dict | None, date_set: bool = True) -> None:
    """The story's publication and "Updated" times as save_article would give them now, for
    the editor's preview (nothing written), from `stored` (dates_stored; None: a new story): a
    new story's add-form time, or a draft's old one, becomes now; a correction to a story out
    for a while is dated now, and its page will say "Updated"."""
    now = timezone.now()
    _dated_for_publication(article, stored, now, date_set)
    article.updated_at = _updated_at(article, stored, _edited(article, stored), now)


def _edited(article: Article, stored: dict | None) -> bool:
    # As the form posts it: a body a script wrote ("\n", a last one) saved unchanged in the admin
    # ("\r\n", none last) read "Updated"; a body's indentation taken away did not.
    return stored is not None and any(
        as_a_form_posts(getattr(article, f), text_box=f in TEXT_BOXES)
        != as_a_form_posts(stored[f], text_box=f in TEXT_BOXES)
        for f in EDITORIAL_FIELDS
    )


def draft_edited(*, article: Article) -> None:
    """An editor changed a draft, if only its byline, tags, related links, section or time
    (save_article moves it for what readers will read): it was worked on now, which places it
    in the admin's list, a story taken down too. A draft never out was last edited now as well
    (its form's "Updated at"). A story taken down keeps its "Updated", which its page shows once
    it is published again: readers' "Updated" is for what they read, not for a retagging."""
    now = timezone.now()
    never_out = Q(first_published_at__isnull=True) | Q(first_published_at__gt=now)
    edited = Article.objects.filter(pk=article.pk, status=Article.Status.DRAFT).update(
        worked_on_at=now, updated_at=Case(When(never_out, then=Value(now)), default=F("updated_at"))
    )
    if edited:
        article.worked_on_at = now
        if not article.has_gone_out:
            article.updated_at = now


def _locked(pk, *, lock: bool = True) -> dict | None:
    """The stored story, its row locked until the transaction ends: what a save compares with."""
    fields = {"first_published_at", "updated_at", "worked_on_at", "readers_question_set_at"}
    fields |= {*EDITORIAL_FIELDS, *GUARDED}
    rows = Article.objects.select_for_update() if lock else Article.objects
    return rows.filter(pk=pk).values(*fields).first()


def edits_since(
    *, article: Article, seen: dict, mine: dict, lock: bool = True, trimmed: bool = False
) -> tuple[list[str], list[str]]:
    """For the editor's form, before it saves: of what it writes (`mine`, by name), what others
    changed since it was opened (`seen`, articles.meanwhile), now theirs in `mine` (kept), and
    what both changed (clashed). The row stays locked to the end of the transaction, so the save
    that follows finds the same; every admin save of the story takes this lock before it writes
    the story's authors, tags and related links, so they are read here as that save leaves them.
    lock=False: for the preview, which writes nothing. trimmed: `seen` of a form opened before
    its text's fingerprints kept indentation (articles.meanwhile.read_opened)."""
    stored = _locked(article.pk, lock=lock)
    if stored is None:
        return [], []
    stored |= stored_alongside(article, [name for name in mine if name in ALONGSIDE])
    return merge(mine, stored, seen, trimmed=trimmed)


def _worked_on_at(article: Article, stored: dict | None, edited: bool, now):
    """A draft's place in the admin's list (querysets.last_worked_on): now, for a save that
    changes what readers read or takes the story down (or out). A new one was written from when
    its form opened (its default time), never from a time to come. The rest of a draft's changes
    (its byline, tags, section) are its form's to say: draft_edited."""
    if stored is None:
        return min(article.published_at, now)
    if edited or article.status != stored["status"]:
        return now
    return stored["worked_on_at"]


def _question_set_at(article: Article, stored: dict | None, now):
    """When the story's question for readers was asked: now for a new one (or a first), kept
    while the same one stands (a colleague's, taken in by edits_since, keeps theirs)."""
    if not article.readers_question:
        return None
    if stored is not None and stored["readers_question"] == article.readers_question:
        return stored["readers_question_set_at"]
    return now


def _updated_at(article: Article, stored: dict | None, edited: bool, now):
    if article.status == Article.Status.DRAFT:
        # Its last edit, as its form shows it ("Updated at"): raised to a publication time to
        # come, a draft dated next week read as edited then. A new one was written from when
        # its form opened (its default time).
        if stored is None:
            return min(article.published_at, now)
        return now if edited else min(stored["updated_at"], now)
    if stored is None:
        return article.published_at  # the first edition is what went out
    if edited:
        updated = now
    elif stored["updated_at"] - stored["published_at"] <= UPDATE_GRACE:
        # Never updated since it went out (or not out yet), or corrected at once: its dates move
        # together when a schedule is released early or moved (or it would read "Updated" hours
        # ahead), and stay as they are otherwise (a correction's time is kept).
        updated = stored["updated_at"] + (article.published_at - stored["published_at"])
    else:
        updated = stored["updated_at"]
    # Never "updated" before it went out (a draft started days ago and published today), nor
    # at a time still to come.
    return max(min(updated, now), article.published_at)


def save_article(*, article: Article, hero_changed: bool = False, date_set: bool = True) -> Article:
    """Create or edit an article: the body is rendered to HTML once here, not per request. An
    editor's form first takes in what others changed since it was opened (edits_since), in the
    same transaction. date_set=False: a new story's publication time is its add form's
    default (when the form was opened), not one the editor chose."""
    article.body_html = render_markdown(article.body)
    article.body_text = plain_text(article.body_html)
    now = timezone.now()
    with transaction.atomic():
        old_files = set()
        stored = None
        stale = []
        if article.pk is not None:
            stored = _locked(article.pk)
        _dated_for_publication(article, stored, now, date_set)
        if hero_changed and not article.hero_image:
            # The words described the picture removed: kept, the next one chosen went out
            # described as that one (the form asks for alt text only when there is none).
            article.hero_alt = article.hero_caption = article.hero_credit = ""
        edited = _edited(article, stored)
        article.updated_at = _updated_at(article, stored, edited, now)
        article.worked_on_at = _worked_on_at(article, stored, edited, now)
        article.readers_question_set_at = _question_set_at(article, stored, now)
        article.full_clean(exclude=["hero_image"] if not hero_changed else None)
        if stored is not None:
            # What the article used to be listed under is stale too (a moved section, new slug);
            # gone for good if this save takes it off the site (back to draft, or moved later)
            # or changes what lists show of it (a headline corrected must not come back).
            was_public = (
                stored["status"] == Article.Status.PUBLISHED and stored["published_at"] <= now
            )
            stale = queryset_keys(
                Article.objects.filter(pk=article.pk),
                for_good=was_public and (edited or not article.is_public),
            )
            if hero_changed:
                old_files = hero_files(Article.objects.filter(pk=article.pk))
            article.save(
                update_fields=[
                    f.name
                    for f in Article._meta.concrete_fields
                    if not f.primary_key and f.name not in _KEPT_ELSEWHERE
                ]
            )
            # An address readers may have: the story went out under it (it may be a draft
            # again now, taken down for a correction); a name before it went out is nobody's.
            went_out = stored["first_published_at"] and stored["first_published_at"] <= now
            if stored["slug"] != article.slug and went_out:
                OldSlug.objects.update_or_create(slug=stored["slug"], defaults={"article": article})
        else:
            article.save()
        _take_address(article)
        if hero_changed:
            make_hero_renditions(article)
            drop_hero_files(old_files - article.hero_file_names)
        # One purge, after commit, of the pages it left and those it joins: every PURGE is a
        # request to each front cache, repeated by the worker. Tags, related links and the
        # byline are saved after this (the admin's many-to-many fields and inlines, in the
        # same transaction): what the article is listed under now is read once they are in.
        saved = Article.objects.filter(pk=article.pk)
        transaction.on_commit(lambda: purge(*stale, *queryset_keys(saved)))
        transaction.on_commit(lambda: _purge_on_release([article.pk]))
    return article


def _take_address(article: Article) -> None:
    """An article's address is no longer an old one that leads elsewhere: shared caches drop
    the redirect they keep there (under the article it led to)."""
    taken = OldSlug.objects.filter(slug=article.slug)
    led_to = list(taken.exclude(article=article).values_list("article_id", flat=True))
    taken.delete()
    if led_to:
        transaction.on_commit(lambda: purge_articles(article_ids=led_to))


def render_body_again(*, article_id: int) -> bool:
    """A body stored as an older renderer drew it, drawn again as a save draws it now (our
    pictures' width and height, say). Not an edit: "Updated" stays, and only the pages that show
    its body are purged: its own, and search's when its plain text changed. False when nothing
    changed. An editor who changes the body meanwhile wins: their save drew it, and this one is
    not stored."""
    article = Article.objects.only("body", "body_html", "body_text").filter(pk=article_id).first()
    if article is None:
        return False
    body_html = render_markdown(article.body)
    body_text = plain_text(body_html)
    words_changed = body_text != article.body_text
    if body_html == article.body_html and not words_changed:
        return False
    # Search matches and quotes the plain text: its result pages drop it too (ALL_LISTED with
    # every listed key: a page naming more stories than a CDN's header takes carries it).
    words_too = (LISTS, listed_key(article_id), ALL_LISTED) if words_changed else ()
    with transaction.atomic():
        changed = Article.objects.filter(pk=article_id, body=article.body).update(
            body_html=body_html, body_text=body_text
        )
        if changed:
            purge(article_key(article_id), *words_too)
    return bool(changed)


def publish_articles(*, queryset, now_too: bool = False) -> int:
    """Publish drafts. A draft never published and dated in the past goes out now, as news of
    today (not backdated to when it was started); one with a future time stays scheduled until
    then; a story published before (taken down for a correction, say) keeps its date. now_too:
    the scheduled ones, and drafts dated later, go out now, ahead of their time."""
    now = timezone.now()
    published = Article.Status.PUBLISHED
    count = 0
    with transaction.atomic():
        if now_too:
            early = queryset.filter(published_at__gt=now)
            scheduled = early.filter(status=published)
            purge_queryset(scheduled)
            count = scheduled.update(published_at=now, first_published_at=now, updated_at=now)
            early.update(published_at=now)  # the drafts left: out below, as those dated before
        drafts = queryset.filter(status=Article.Status.DRAFT)
        purge_queryset(drafts)
        draft_ids = list(drafts.values_list("pk", flat=True))
        transaction.on_commit(lambda: _purge_on_release(draft_ids))
        count += drafts.filter(first_published_at__lte=now).update(status=published)
        count += drafts.filter(published_at__gt=now).update(
            status=published, first_published_at=F("published_at"), updated_at=F("published_at")
        )
        count += drafts.update(
            status=published, published_at=now, first_published_at=now, updated_at=now
        )
    return count


def unpublish_articles(*, queryset) -> int:
    now = timezone.now()
    with transaction.atomic():
        published = queryset.filter(status=Article.Status.PUBLISHED)
        purge_queryset(published, for_good=True)
        # A schedule withdrawn before its time: the story has not been out, and its last edit
        # is now, not the time it was to go out.
        published.filter(first_published_at__gt=now).update(first_published_at=None, updated_at=now)
        # Taken down to be fixed, most often: first among the drafts (a story out keeps its
        # "Updated", which its page shows again once it is back).
        return published.update(status=Article.Status.DRAFT, worked_on_at=now)


def delete_articles(*, queryset) -> int:
    with transaction.atomic():
        end_strips_leading_to(article_ids=queryset.values("pk"))
        purge_queryset(queryset, for_good=True)
        drop_hero_files(hero_files(queryset))
        count, _ = queryset.delete()
    return count


def set_bylines(
    *, article: Article, authors: list, with_save: bool = False
) -> tuple[list, list, list]:
    """The story's byline: these authors, in this order (the lead reporter first), numbered
    from 1. Returns the bylines (added, moved, removed), for the story's history. with_save:
    written in the transaction of the story's own save_article, whose one purge after commit
    reads the byline as this leaves it (a purge of its own here was a second one)."""
    with transaction.atomic():
        now = {
            line.author_id: line
            for line in Byline.objects.select_for_update().filter(article=article)
        }
        added, moved = [], []
        for position, author in enumerate(authors, start=1):
            line = now.pop(author.pk, None)
            if line is None:
                line = Byline(article=article, author=author, position=position)
                line.full_clean()
                line.save()
                added.append(line)
            elif line.position != position:
                line.position = position
                line.save(update_fields=["position"])
                moved.append(line)
        removed = list(now.values())
        Byline.objects.filter(pk__in=[line.pk for line in removed]).delete()
        if (added or moved or removed) and not with_save:
            purge_queryset(Article.objects.filter(pk=article.pk))
    return added, moved, removed
