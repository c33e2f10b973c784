"""A scheduled story published now, ahead of its time, in one click: the "Publish now" action
moves its publication time to now and purges what readers see. The Publish action keeps a
schedule (often an embargo: a story ticked with the drafts must not go out early) and says how
to publish it now."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from articles.models import Article

LIST = "/admin/articles/article/"


def _said(answer) -> str:
    return " ".join(str(m) for m in answer.context["messages"])


def test_publish_now_puts_a_scheduled_story_out_at_once(
    superuser_client, client, scheduled, purges, django_capture_on_commit_callbacks
):
    assert scheduled.title not in client.get("/").content.decode()
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = superuser_client.post(
            LIST, {"action": "publish_now", "_selected_action": [scheduled.pk]}, follow=True
        )

    scheduled.refresh_from_db()
    assert scheduled.is_public
    assert timezone.now() - scheduled.published_at < timedelta(minutes=1)
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in client.get("/").content.decode()
    # The cached "not found" of its address and the lists it joins are dropped.
    assert any(f"article-{scheduled.pk}" in keys for keys in purges)
    said = _said(answer)
    assert said == f"Published 1 article now, ahead of schedule: “{scheduled.title}”."
    history = LogEntry.objects.get(object_id=str(scheduled.pk))
    assert "ahead of its scheduled time" in history.get_change_message()


def test_publish_now_puts_drafts_out_now_whatever_their_date(superuser_client, make_article):
    later = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() + timedelta(days=3)
    )
    earlier = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(days=3)
    )

    answer = superuser_client.post(
        LIST, {"action": "publish_now", "_selected_action": [later.pk, earlier.pk]}, follow=True
    )

    for story in (later, earlier):
        story.refresh_from_db()
        assert story.is_public
        assert timezone.now() - story.published_at < timedelta(minutes=1)
    assert "Published 2 articles now" in _said(answer)


def test_publish_now_leaves_a_live_story_s_date_alone(superuser_client, article):
    published_at = article.published_at

    answer = superuser_client.post(
        LIST, {"action": "publish_now", "_selected_action": [article.pk]}, follow=True
    )

    article.refresh_from_db()
    assert article.published_at == published_at
    assert "Nothing to publish: the selected articles were already published." in _said(answer)


@pytest.mark.parametrize("with_a_draft", [False, True])
def test_publish_keeps_a_schedule_and_says_how_to_publish_it_now(
    superuser_client, client, scheduled, draft, with_a_draft
):
    due = scheduled.published_at
    chosen = [scheduled.pk, draft.pk] if with_a_draft else [scheduled.pk]

    answer = superuser_client.post(
        LIST, {"action": "publish", "_selected_action": chosen}, follow=True
    )

    scheduled.refresh_from_db()
    assert scheduled.published_at == due and not scheduled.is_public
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert (
        f"Left as scheduled: “{scheduled.title}”. To publish it now, ahead of schedule, "
        "choose “Publish selected articles now”." in _said(answer)
    )
