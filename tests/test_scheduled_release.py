"""A story scheduled for later goes out at its time through the caches too: no write happens
then, so the worker purges, at that time, what the story joins."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from tests.mail_helpers import make_due, run_mail_queue


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def _time_comes(story) -> None:
    """The scheduled time passes: the row is as it was, only the clock moved on."""
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1),
        first_published_at=timezone.now() - timedelta(seconds=1),
    )
    make_due()


def _minutes_pass(minutes: int) -> None:
    """The queue's clock moves on (well before the scheduled time): what was due by then runs."""
    DBTaskResult.objects.update(run_after=F("run_after") - timedelta(minutes=minutes))
    run_mail_queue("purge")


def test_a_story_scheduled_in_the_admin_joins_the_kept_lists_at_its_time(
    fragments_on, superuser_client, article, django_capture_on_commit_callbacks
):
    from tests.article_forms import as_new_story, change_form_data

    when = timezone.localtime(timezone.now() + timedelta(hours=2))
    data = as_new_story(
        change_form_data(article, title="Embargoed: the plant opens", slug="embargoed")
    )
    data.update(
        {"published_at_0": when.strftime("%Y-%m-%d"), "published_at_1": when.strftime("%H:%M:%S")}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser_client.post("/admin/articles/article/add/", data).status_code == 302
    story = Article.objects.get(slug="embargoed")

    home = Client()
    assert "Embargoed" not in home.get("/").content.decode()  # kept, as readers get it
    _minutes_pass(10)  # nothing of the story's is due yet
    assert "Embargoed" not in home.get("/").content.decode()
    _time_comes(story)
    assert "Embargoed" not in home.get("/").content.decode()  # still the kept list
    run_mail_queue("purge")
    for url in ("/", story.section.get_absolute_url(), "/feed/"):
        assert "Embargoed" in home.get(url).content.decode(), url


def test_publishing_a_scheduled_draft_purges_the_front_caches_at_its_time(
    purges, draft, django_capture_on_commit_callbacks
):
    from articles.services import publish_articles

    Article.objects.filter(pk=draft.pk).update(published_at=timezone.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=Article.objects.filter(pk=draft.pk))
    _minutes_pass(10)  # publishing's own purges (sent, then sent again) are done
    purges.clear()
    run_mail_queue("purge")
    assert purges == []  # not yet its time
    _time_comes(draft)
    with django_capture_on_commit_callbacks(execute=True):  # the worker commits as it goes
        run_mail_queue("purge")
    assert {f"article-{draft.pk}", "list", "latest", f"section-{draft.section_id}"} <= purges[0]


def test_a_schedule_withdrawn_before_its_time_purges_nothing_then(
    purges, scheduled, django_capture_on_commit_callbacks
):
    from articles.services import save_article, unpublish_articles

    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=scheduled)
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_articles(queryset=Article.objects.filter(pk=scheduled.pk))
    _minutes_pass(10)  # the withdrawal's own purges are done
    purges.clear()

    _time_comes(scheduled)
    with django_capture_on_commit_callbacks(execute=True):
        run_mail_queue("purge")
    assert purges == []
    assert "Scheduled story" not in Client().get("/").content.decode()


def test_a_scheduled_story_saved_again_and_again_is_released_once(
    purges, scheduled, django_capture_on_commit_callbacks
):
    from articles.services import save_article

    for standfirst in ("Draft lead", "Better lead", "Final lead"):
        scheduled.standfirst = standfirst
        with django_capture_on_commit_callbacks(execute=True):
            save_article(article=scheduled)
    _minutes_pass(10)  # the saves' own purges are done
    purges.clear()

    _time_comes(scheduled)
    with django_capture_on_commit_callbacks(execute=True):
        run_mail_queue("purge")
    assert len(purges) == 1 and f"article-{scheduled.pk}" in purges[0]
