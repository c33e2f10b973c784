"""Breaking news scheduled ahead ("Live: the budget speech from 12:30"): a strip saved with a
"show from" time to come is not shown before it; at its time it goes up, in place of the
strip up then (one at a time, the newer by start time), through the caches in front too: the
worker purges the site then, and pages drawn before are kept no longer than until then."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.breaking_services import (
    delete_breaking_news,
    end_breaking_news,
    mend_breaking_news,
    put_up_breaking_news,
)
from articles.models import BreakingNews
from tests.breaking_helpers import strip_of
from tests.mail_helpers import make_due, run_mail_queue

SPEECH = "Live: the budget speech, as the minister delivers it"
STORM = "Storm closes the coast road"


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def _at(monkeypatch, when) -> None:
    """The clock moves on, with no worker to purge anything."""
    monkeypatch.setattr(timezone, "now", lambda: when)


def _schedule(text=SPEECH, *, minutes=90, ends_after=None, **fields) -> BreakingNews:
    starts = timezone.now() + timedelta(minutes=minutes)
    ends = starts + ends_after if ends_after else None
    banner = BreakingNews(text=text, started_at=starts, ends_at=ends, **fields)
    return put_up_breaking_news(banner=banner)


def _start_comes(banner) -> None:
    """Its start passes: its time, and the worker's task for it, moved to now."""
    now = timezone.now()
    BreakingNews.objects.filter(pk=banner.pk).update(started_at=now)
    DBTaskResult.objects.filter(task_path__endswith="breaking_news_started").update(
        args_kwargs={"args": [banner.pk, now.isoformat()], "kwargs": {}}
    )
    make_due()


def _form(*, text=SPEECH, starts=None, ends=None) -> dict:
    data = {"label": "live", "text": text, "article": ""}
    for name, when in (("started_at", starts), ("ends_at", ends)):
        when = timezone.localtime(when) if when else None
        data[f"{name}_0"] = f"{when:%Y-%m-%d}" if when else ""
        data[f"{name}_1"] = f"{when:%H:%M:%S}" if when else ""
    return data


def test_a_scheduled_strip_is_not_shown_before_its_time_and_replaces_the_one_up_at_it(
    client, article, fragments_on, monkeypatch
):
    put_up_breaking_news(banner=BreakingNews(text=STORM))
    speech = _schedule(ends_after=timedelta(hours=2))
    pages = ("/", article.get_absolute_url(), "/search/?q=x", "/no-such-page/")
    for url in pages:  # kept, as drawn before its time
        strip = strip_of(client.get(url).content.decode())
        assert STORM in strip and SPEECH not in strip, url

    _at(monkeypatch, speech.started_at + timedelta(seconds=1))

    for url in pages:
        page = client.get(url)
        strip = strip_of(page.content.decode())
        assert SPEECH in strip and STORM not in strip, url
        assert f"breaking-{speech.pk}" in page["Surrogate-Key"].split(), url
    # Its own end comes; the strip it replaced does not come back.
    _at(monkeypatch, speech.ends_at + timedelta(seconds=1))
    assert strip_of(client.get("/").content.decode()) == ""


def test_pages_drawn_before_its_start_are_kept_by_shared_caches_no_longer(
    client, article, fragments_on
):
    put_up_breaking_news(banner=BreakingNews(text=STORM))  # no end of its own
    _schedule(minutes=2)  # sooner than EDGE_CACHE_SECONDS
    for url in ("/", article.get_absolute_url(), "/search/?q=x"):
        for _ in range(2):  # drawn, then from the kept parts
            kept = client.get(url)["Cache-Control"]
            seconds = int(re.search(r"s-maxage=(\d+)", kept).group(1))
            assert seconds <= 2 * 60, (url, kept)


def test_the_worker_puts_it_up_at_its_time_through_the_caches(
    client, article, purges, fragments_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        storm = put_up_breaking_news(banner=BreakingNews(text=STORM))
        speech = _schedule()
    assert any("site" in keys for keys in purges)  # kept pages learn when they change
    assert STORM in strip_of(client.get("/").content.decode())
    purges.clear()
    run_mail_queue("purge")  # the put-up purge's own repeats may be due by now
    assert not any(f"breaking-{storm.pk}" in keys for keys in purges)  # not its time yet

    _start_comes(speech)
    with django_capture_on_commit_callbacks(execute=True):
        run_mail_queue("purge")
    # The strip it replaced, for good: no outage brings it back from a stale copy.
    assert any({"site", f"breaking-{storm.pk}"} <= keys for keys in purges)
    assert SPEECH in strip_of(client.get("/").content.decode())
    storm.refresh_from_db()
    assert storm.ends_at == BreakingNews.objects.get(pk=speech.pk).started_at  # the record


def test_the_newer_is_the_later_to_go_up_not_the_later_saved(client, db, monkeypatch):
    start = timezone.now()
    speech = _schedule(minutes=90, ends_after=timedelta(hours=1))
    vote = _schedule("Live: the vote on the budget", minutes=60)  # saved after, goes up before
    storm = put_up_breaking_news(banner=BreakingNews(text=STORM))  # saved last, up now

    assert list(BreakingNews.objects.live()) == [storm]
    _at(monkeypatch, start + timedelta(minutes=61))
    assert list(BreakingNews.objects.live()) == [vote]
    _at(monkeypatch, start + timedelta(minutes=91))
    assert list(BreakingNews.objects.live()) == [speech]
    # Its end: neither the vote nor the storm comes back, on the pages either.
    _at(monkeypatch, start + timedelta(minutes=151))
    assert list(BreakingNews.objects.live()) == []
    assert strip_of(client.get("/").content.decode()) == ""


def test_a_cancelled_or_deleted_strip_replaces_nothing(client, db, monkeypatch):
    storm = put_up_breaking_news(banner=BreakingNews(text=STORM))
    speech = _schedule(minutes=30)
    vote = _schedule("Live: the vote on the budget", minutes=60)
    assert end_breaking_news(queryset=BreakingNews.objects.filter(pk=speech.pk)) == 1
    delete_breaking_news(queryset=BreakingNews.objects.filter(pk=vote.pk))

    _at(monkeypatch, timezone.now() + timedelta(minutes=61))
    assert list(BreakingNews.objects.live()) == [storm]
    assert STORM in strip_of(client.get("/").content.decode())


def test_a_strip_it_replaced_stays_ended_when_it_is_deleted(client, db, monkeypatch):
    put_up_breaking_news(banner=BreakingNews(text=STORM))
    speech = _schedule(minutes=30)
    _at(monkeypatch, timezone.now() + timedelta(minutes=31))  # up, with no worker
    delete_breaking_news(queryset=BreakingNews.objects.filter(pk=speech.pk))
    assert strip_of(client.get("/").content.decode()) == ""


def test_a_page_reads_nothing_more_for_a_strip_scheduled(client, article, fragments_on):
    url = article.get_absolute_url()
    with CaptureQueriesContext(connection) as fresh:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    _schedule()  # purges the site: drawn afresh, then kept
    with CaptureQueriesContext(connection) as fresh_scheduled:
        client.get(url)
    with CaptureQueriesContext(connection) as kept_scheduled:
        client.get(url)
    assert len(fresh_scheduled) == len(fresh)
    assert len(kept_scheduled) == len(kept)


def test_an_editor_schedules_a_strip_and_may_change_or_cancel_it_before_it_goes_up(
    desk, client, db, django_capture_on_commit_callbacks
):
    put_up_breaking_news(banner=BreakingNews(text=STORM))
    starts = timezone.now() + timedelta(hours=2)
    form = _form(starts=starts, ends=starts + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        added = desk.post("/admin/articles/breakingnews/add/", form, follow=True)
    page = added.content.decode()
    assert "The strip is scheduled: it goes up on every page at" in page
    assert STORM in strip_of(client.get("/").content.decode())
    speech = BreakingNews.objects.get(text=SPEECH)

    listed = desk.get("/admin/articles/breakingnews/?state=scheduled").content.decode()
    assert SPEECH in listed and STORM not in listed and "Scheduled" in listed
    up = desk.get("/admin/articles/breakingnews/?state=up").content.decode()
    assert STORM in up and SPEECH not in up

    later = starts + timedelta(minutes=30)
    changed = _form(text="Live: the budget speech", starts=later, ends=later + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/admin/articles/breakingnews/{speech.pk}/change/", changed)
    speech.refresh_from_db()
    assert speech.text == "Live: the budget speech"
    assert speech.started_at == later.replace(microsecond=0)

    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            "/admin/articles/breakingnews/",
            {"action": "end_now", "_selected_action": [speech.pk]},
        )
    assert not BreakingNews.objects.scheduled().exists()
    listed = desk.get("/admin/articles/breakingnews/").content.decode()
    assert "No: cancelled before it went up" in listed


def test_a_show_from_time_past_means_now_and_show_until_must_come_after_it(desk, client, db):
    starts = timezone.now() + timedelta(hours=2)
    refused = desk.post(
        "/admin/articles/breakingnews/add/", _form(starts=starts, ends=starts - timedelta(hours=1))
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Give a time after its “show from” time." in page
    assert f'value="{SPEECH}"' in page  # the words typed, kept
    assert not BreakingNews.objects.exists()

    past = timezone.now() - timedelta(minutes=10)
    desk.post("/admin/articles/breakingnews/add/", _form(starts=past))
    [speech] = BreakingNews.objects.all()
    assert speech.started_at > past and speech.is_live
    assert SPEECH in strip_of(client.get("/").content.decode())


def test_a_form_opened_while_it_waited_may_not_move_the_start_once_it_is_up(desk, client, db):
    starts = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    speech = _schedule(minutes=60)
    BreakingNews.objects.filter(pk=speech.pk).update(started_at=starts)
    form = desk.get(f"/admin/articles/breakingnews/{speech.pk}/change/").content.decode()
    assert 'name="started_at_0"' in form  # it waits: its start may move
    # It goes up while the editor moves it an hour later.
    BreakingNews.objects.filter(pk=speech.pk).update(started_at=starts - timedelta(hours=2))
    went_up = starts - timedelta(hours=2)

    moved = desk.post(
        f"/admin/articles/breakingnews/{speech.pk}/change/",
        _form(text="Live: the speech, later", starts=starts + timedelta(hours=1)),
        follow=True,
    )
    page = moved.content.decode()
    assert "Not saved: this strip went up at" in page
    assert "Your words: “Live: the speech, later”" in page
    speech.refresh_from_db()
    assert speech.text == SPEECH and speech.started_at == went_up

    # Its start as it went up: the words are mended.
    desk.post(
        f"/admin/articles/breakingnews/{speech.pk}/change/",
        _form(text="Live: the speech, mended", starts=went_up),
    )
    speech.refresh_from_db()
    assert speech.text == "Live: the speech, mended" and speech.started_at == went_up
    # Up now, its form keeps the start as a record.
    form = desk.get(f"/admin/articles/breakingnews/{speech.pk}/change/").content.decode()
    assert 'name="started_at_0"' not in form


def test_a_strip_cancelled_while_it_is_mended_stays_cancelled(db, monkeypatch):
    speech = _schedule(minutes=60)
    opened = BreakingNews.objects.get(pk=speech.pk)  # the editor's form
    end_breaking_news(queryset=BreakingNews.objects.filter(pk=speech.pk))  # another cancels
    opened.text = "Live: the speech, mended"

    with pytest.raises(ValidationError, match="no longer up"):
        mend_breaking_news(banner=opened)
    _at(monkeypatch, timezone.now() + timedelta(minutes=61))
    assert not BreakingNews.objects.live().exists()
