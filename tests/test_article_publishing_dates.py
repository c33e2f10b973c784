"""What an editor's save, publish and unpublish do to a story's dates, its comment count and
its pictures, as readers and moderators then see them."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import publish_articles, save_article, unpublish_articles
from comments.models import Comment
from comments.services import approve, take_down
from tests.article_forms import as_new_story, change_form_data

CHANGELIST = "/admin/articles/article/"


def form_as_shown(article, **changes) -> dict:
    """The change form as the admin shows it (the stored publication time), with changes."""
    shown = timezone.localtime(article.published_at)
    return change_form_data(
        article,
        published_at_0=shown.strftime("%Y-%m-%d"),
        published_at_1=shown.strftime("%H:%M:%S.%f"),
        **changes,
    )


def _change(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_deleting_selected_articles_from_the_list_deletes_them(superuser_client, article, draft):
    response = superuser_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [article.pk, draft.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=[article.pk, draft.pk]).exists()
    assert superuser_client.get(article.get_absolute_url()).status_code == 404


def test_an_approval_made_while_an_editor_saves_is_kept_and_can_be_taken_down(
    article, make_comment, moderator
):
    comment = make_comment(article)
    editors_copy = Article.objects.get(pk=article.pk)  # the form the editor has open
    assert approve(comment=comment, by=moderator)

    editors_copy.title = "Xiaomi will mass-produce its first car"
    save_article(article=editors_copy)

    article.refresh_from_db()
    assert article.title == "Xiaomi will mass-produce its first car"
    assert article.approved_comment_count == 1
    assert take_down(Comment.objects.filter(pk=comment.pk), by=moderator, reason="libel") == 1
    article.refresh_from_db()
    assert article.approved_comment_count == 0


def test_a_story_unpublished_for_a_correction_comes_back_with_its_date(article):
    first_out = article.published_at

    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))
    publish_articles(queryset=Article.objects.filter(pk=article.pk))

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first_out


def test_a_draft_published_from_its_form_goes_out_as_todays_news(superuser_client, make_article):
    started = timezone.now() - timedelta(days=3)
    draft = make_article(status=Article.Status.DRAFT, published_at=started)
    data = form_as_shown(draft)

    assert superuser_client.post(_change(draft), data).status_code == 302

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert timezone.now() - draft.published_at < timedelta(minutes=1)
    assert draft.title in superuser_client.get("/").content.decode()


def test_a_date_the_editor_sets_when_publishing_is_kept(superuser_client, draft):
    data = change_form_data(draft, published_at_0="2024-01-01", published_at_1="10:00:00")

    assert superuser_client.post(_change(draft), data).status_code == 302

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert timezone.localtime(draft.published_at).date().isoformat() == "2024-01-01"


@pytest.mark.parametrize("change", [{"comments_enabled": ""}, {"tags": []}])
def test_closing_comments_or_retagging_is_no_update_readers_are_told_of(
    superuser_client,
    make_article,
    change,
):
    story = make_article(published_at=timezone.now() - timedelta(days=2))
    data = form_as_shown(story, **change)

    assert superuser_client.post(_change(story), data).status_code == 302

    page = superuser_client.get(story.get_absolute_url()).content.decode()
    assert "Updated" not in page
    data["body"] = story.body + "\n\nA correction: the plant opens in May."
    superuser_client.post(_change(story), data)
    assert "Updated" in superuser_client.get(story.get_absolute_url()).content.decode()


def test_a_scheduled_storys_address_is_kept_missing_for_seconds_like_any_made_up_one(
    client, scheduled
):
    """No write happens at the scheduled time: the front cache must ask again soon, and a
    guessed slug must not learn more from the headers than a made-up one."""
    scheduled_404 = client.get(scheduled.get_absolute_url())
    made_up_404 = client.get("/articles/no-such-story/")

    assert scheduled_404.status_code == made_up_404.status_code == 404
    assert scheduled_404["Cache-Control"] == made_up_404["Cache-Control"]
    directives = dict(
        part.strip().partition("=")[::2] for part in scheduled_404["Cache-Control"].split(",")
    )
    assert "public" in directives
    assert int(directives["s-maxage"]) <= 10
    assert int(directives.get("stale-while-revalidate", 0)) == 0

    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def _days_pass(article, days: int) -> None:
    """Move a story's stored times back, as if days passed."""
    back = timedelta(days=days)
    stored = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(
        published_at=stored.published_at - back,
        first_published_at=stored.first_published_at and stored.first_published_at - back,
        updated_at=stored.updated_at - back,
    )


def test_a_schedule_withdrawn_before_its_time_goes_out_dated_when_published(make_article):
    story = make_article(published_at=timezone.now() + timedelta(hours=1))
    unpublish_articles(queryset=Article.objects.filter(pk=story.pk))
    _days_pass(story, 2)

    publish_articles(queryset=Article.objects.filter(pk=story.pk))

    story.refresh_from_db()
    assert timezone.now() - story.published_at < timedelta(minutes=1)


def test_a_scheduled_story_released_early_keeps_its_release_date_after_a_correction(
    make_article,
):
    story = make_article(published_at=timezone.now() + timedelta(days=1))
    story.published_at = timezone.now() - timedelta(hours=2)
    save_article(article=story)  # released early
    released = Article.objects.get(pk=story.pk).published_at

    unpublish_articles(queryset=Article.objects.filter(pk=story.pk))
    publish_articles(queryset=Article.objects.filter(pk=story.pk))

    assert Article.objects.get(pk=story.pk).published_at == released


def test_a_draft_published_from_its_form_is_never_updated_before_it_went_out(
    superuser_client, make_article
):
    started = timezone.now() - timedelta(days=3)
    draft = make_article(status=Article.Status.DRAFT, published_at=started)
    data = form_as_shown(draft)

    superuser_client.post(_change(draft), data)

    draft.refresh_from_db()
    assert draft.updated_at >= draft.published_at
    sitemap = superuser_client.get("/sitemap-articles.xml").content.decode()
    assert draft.updated_at.date().isoformat() in sitemap


def _last_updated(client, story) -> dict:
    """When the story's page, the Atom feed and the sitemap say it was last updated."""
    page = client.get(story.get_absolute_url()).content.decode()
    atom = client.get("/atom/").content.decode()
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    entry = next(e for e in atom.split("<entry>") if f"/{story.slug}/" in e)
    url = next(u for u in sitemap.split("<url>") if f"/{story.slug}/" in u)
    said = {
        "page": re.search(r'"dateModified": ?"([^"]+)"', page).group(1),
        "atom": re.search(r"<updated>([^<]+)</updated>", entry).group(1),
        "sitemap": re.search(r"<lastmod>([^<]+)</lastmod>", url).group(1),
    }
    return {where: datetime.fromisoformat(when) for where, when in said.items()}


def _dated(story, when) -> dict:
    shown = timezone.localtime(when)
    return change_form_data(
        story, published_at_0=shown.strftime("%Y-%m-%d"), published_at_1=shown.strftime("%H:%M:%S")
    )


def test_a_schedule_released_early_is_not_updated_hours_ahead(superuser_client, make_article):
    story = make_article(published_at=timezone.now() + timedelta(hours=6))

    assert superuser_client.post(_change(story), _dated(story, timezone.now())).status_code == 302

    page = superuser_client.get(story.get_absolute_url()).content.decode()
    assert "Published <time" in page and "Updated <time" not in page
    said = _last_updated(superuser_client, story)
    assert max(said.values()) <= timezone.now()


def test_a_schedule_moved_earlier_goes_out_unupdated(superuser_client, make_article):
    story = make_article(published_at=timezone.now() + timedelta(hours=6))
    moved = timezone.now() + timedelta(hours=2)
    assert superuser_client.post(_change(story), _dated(story, moved)).status_code == 302

    _days_pass(story, 1)  # its new time came, hours ago

    story.refresh_from_db()
    page = superuser_client.get(story.get_absolute_url()).content.decode()
    assert "Updated <time" not in page
    said = _last_updated(superuser_client, story)
    assert set(said.values()) == {story.published_at.replace(microsecond=0)}


def test_a_correction_made_at_once_keeps_its_time_when_comments_close(make_article):
    from unittest import mock

    from articles.services import save_article

    out = timezone.now() - timedelta(days=1)
    story = make_article(published_at=out)
    with mock.patch("django.utils.timezone.now", return_value=out + timedelta(minutes=5)):
        story.body += "\n\nCorrection: the plant is in Lisbon."
        save_article(article=story)

    story.refresh_from_db()
    story.comments_enabled = False  # a day later: nothing readers read changes
    save_article(article=story)

    story.refresh_from_db()
    assert story.updated_at == out + timedelta(minutes=5)


def _add_form(article, when, *, initial) -> dict:
    """The add form posted as a browser posts it: its publication time, and the time it showed
    when opened (the admin's hidden initial value: the default, now, at opening)."""
    data = as_new_story(
        change_form_data(article, title="Written all evening", slug="written-all-evening")
    )
    for i, value in enumerate([f"{when:%Y-%m-%d}", f"{when:%H:%M:%S}"]):
        data[f"published_at_{i}"] = value
    for i, value in enumerate([f"{initial:%Y-%m-%d}", f"{initial:%H:%M:%S}"]):
        data[f"initial-published_at_{i}"] = value
    return data


@pytest.mark.parametrize("chosen", [False, True])
def test_a_story_written_in_the_add_form_and_published_there_goes_out_dated_now(
    superuser_client, article, chosen
):
    # Three hours writing, then Published and Save: it went out dated when the form was
    # opened, under every story published meanwhile (home, section, feeds, news sitemap).
    opened = timezone.localtime(timezone.now() - timedelta(hours=3))
    set_to = opened - timedelta(days=1) if chosen else opened
    data = _add_form(article, set_to, initial=opened)

    assert superuser_client.post("/admin/articles/article/add/", data).status_code == 302

    story = Article.objects.get(slug="written-all-evening")
    if chosen:  # a time the editor set is theirs
        assert story.published_at == set_to.replace(microsecond=0)
        return
    assert timezone.now() - story.published_at < timedelta(minutes=1)
    assert story.published_at == story.first_published_at == story.updated_at
    home = superuser_client.get("/").content.decode()
    assert home.index("Written all evening") < home.index(article.title)  # the newest


def test_a_draft_dated_later_and_published_goes_out_unupdated(superuser_client, make_article):
    # A draft's "Updated" time is its last edit (the drafts list's order), before its time:
    # scheduled with the Publish action, it would go out "modified" before it was published.
    later = (timezone.now() + timedelta(hours=6)).replace(microsecond=0)
    draft = make_article(status=Article.Status.DRAFT, published_at=later)
    publish = {"action": "publish", "_selected_action": [draft.pk]}
    assert superuser_client.post(CHANGELIST, publish).status_code == 302

    _days_pass(draft, 1)  # its time came, hours ago

    draft.refresh_from_db()
    said = _last_updated(superuser_client, draft)
    assert set(said.values()) == {draft.published_at}
