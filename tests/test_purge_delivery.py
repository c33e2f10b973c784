"""A purge always reaches the front caches in the end, and never costs the write: a cache that
is down or answers no HTTP, one restarting (the worker sends the purge again), and pages drawn
from the old rows while the write committed (every purge is sent once more)."""

import threading
from datetime import timedelta
from http.server import ThreadingHTTPServer

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.purge_helpers import Recorder


def test_a_front_cache_that_is_down_never_fails_the_write(
    settings, article, make_comment, moderator, caplog, django_capture_on_commit_callbacks
):
    from comments.services import approve

    settings.FRONT_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
    comment = make_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(comment=comment, by=moderator)

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert "front cache purge failed" in caplog.text


def test_a_purge_address_that_does_not_speak_http_never_fails_the_write(
    settings, article, make_comment, moderator, caplog, django_capture_on_commit_callbacks
):
    """A TLS port given as http://, say: the answer is no HTTP at all."""
    import socketserver
    import threading

    from comments.services import approve

    class NotHttp(socketserver.StreamRequestHandler):
        def handle(self):
            self.rfile.readline()
            self.wfile.write(b"garbage, not http\r\n")

    server = socketserver.TCPServer(("127.0.0.1", 0), NotHttp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/", "http://127.0.0.1:9/"]
    comment = make_comment(article)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert approve(comment=comment, by=moderator)
    finally:
        server.shutdown()
        server.server_close()

    assert Comment.objects.get().status == Comment.Status.APPROVED
    # The next front cache is still told.
    assert "front cache purge failed: http://127.0.0.1:9/" in caplog.text


class _DownOnce(Recorder):
    """A front cache restarting: the first purge finds it down (503), later ones get through."""

    def do_PURGE(self):
        if not self.server.refused:
            self.server.refused = True
            self.send_response(503)
            self.end_headers()
            return
        super().do_PURGE()


@pytest.fixture
def restarting_cache(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DownOnce)
    server.purged, server.refused = [], False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield server.purged
    server.shutdown()
    server.server_close()


def test_a_purge_the_front_cache_missed_is_sent_again_by_the_worker(
    restarting_cache, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    from comments.services import approve
    from tests.mail_helpers import make_due, run_mail_queue

    comment = make_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(comment=comment, by=moderator)
    assert restarting_cache == []  # refused

    make_due()  # the retry, a second later
    run_mail_queue("purge")
    assert {f"article-{article.pk}", "list"} in restarting_cache


def run_purge_queue_at(moment) -> None:
    """Run the worker over the purge queue as if its clock read `moment`: what is due by then
    is sent, the rest waits."""
    from django.db.models import F
    from django_tasks_db.models import DBTaskResult

    from tests.mail_helpers import run_mail_queue

    ahead = moment - timezone.now()
    waiting = DBTaskResult.objects.filter(queue_name="purge", status="READY")
    waiting.update(run_after=F("run_after") - ahead)
    run_mail_queue("purge")
    waiting.update(run_after=F("run_after") + ahead)  # back on the real clock


def test_every_purge_is_sent_again_once_pages_drawn_meanwhile_are_stored(
    purges, settings, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    # A page drawn from the old rows as the write commits is stored after the first purge:
    # usually within milliseconds (the repeat a few seconds later drops it, well within the
    # 10 s a change may take), at worst once gunicorn's timeout is over.
    from comments.services import approve

    comment = make_comment(article)
    wait = timedelta(seconds=settings.FRONT_CACHE_PURGE_AGAIN_SECONDS)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(comment=comment, by=moderator)
    after = timezone.now()
    once = [{f"article-{article.pk}", "list"}]
    assert purges == once

    # Within the 10 s (a second's slack for the worker to start)...
    run_purge_queue_at(after + timedelta(seconds=9))
    assert purges == once * 2

    # ...and not again until the wait is over.
    run_purge_queue_at(before + wait - timedelta(seconds=1))
    assert purges == once * 2
    run_purge_queue_at(after + wait)
    assert purges == once * 3


def redis_away(*args, **kwargs):
    raise ConnectionError("Redis did not answer")


def take_down_while_redis_away(comment, moderator, monkeypatch, on_commit) -> str:
    """The comment's page drawn (its fragments kept), then taken down while Redis misses the
    purge of those fragments; Redis stays away until the caller's monkeypatch.undo()."""
    from django.core.cache import cache
    from django.test import Client

    from comments.services import take_down

    url = comment.article.get_absolute_url()
    assert "Early Bird" in Client().get(url).content.decode()  # drawn and kept
    monkeypatch.setattr(cache, "delete_many", redis_away)
    with on_commit(execute=True):
        assert take_down([comment], by=moderator) == 1
    return url


def test_fragments_a_purge_missed_are_dropped_by_the_worker_before_the_front_cache_again(
    purges, settings, approved_comment, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis away, or slow past its 1 s timeout, as a moderator takes a comment down: its
    page's kept fragments were not dropped, the front cache's purge went through, and the page
    it fetched again was drawn from them, the comment on it, and kept for EDGE_CACHE_SECONDS."""
    from django.test import Client

    from tests.mail_helpers import make_due, run_mail_queue

    settings.FRAGMENT_CACHE_SECONDS = 300
    url = take_down_while_redis_away(
        approved_comment, moderator, monkeypatch, django_capture_on_commit_callbacks
    )
    monkeypatch.undo()  # back, with all it held
    assert purges  # the front cache was told, and fetches the page again

    make_due()
    run_mail_queue("purge")

    assert "Early Bird" not in Client().get(url).content.decode()
    assert len(purges) > 1  # and again, after the fragments went


def test_fragments_a_purge_missed_are_dropped_by_the_worker_without_a_front_cache(
    settings, approved_comment, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    from django.test import Client

    from tests.mail_helpers import make_due, run_mail_queue

    settings.FRAGMENT_CACHE_SECONDS = 300
    settings.FRONT_CACHE_PURGE_URLS = []
    url = take_down_while_redis_away(
        approved_comment, moderator, monkeypatch, django_capture_on_commit_callbacks
    )
    monkeypatch.undo()

    make_due()
    run_mail_queue("purge")

    assert "Early Bird" not in Client().get(url).content.decode()


def test_the_worker_drops_missed_fragments_for_as_long_as_they_live_not_only_the_edge_time(
    settings, approved_comment, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    """Behind a CDN that cannot purge, pages live EDGE_CACHE_SECONDS (5 s) but fragments
    FRAGMENT_CACHE_SECONDS (60 s): a retry 10 s on, with Redis still away, must not give up."""
    import time

    from django.test import Client

    from tests.mail_helpers import make_due, run_mail_queue

    settings.EDGE_CACHE_SECONDS = 5
    settings.FRAGMENT_CACHE_SECONDS = 60
    settings.FRONT_CACHE_PURGE_URLS = []
    url = take_down_while_redis_away(
        approved_comment, moderator, monkeypatch, django_capture_on_commit_callbacks
    )
    ten_seconds_on = time.time() + 10
    monkeypatch.setattr(time, "time", lambda: ten_seconds_on)
    make_due()
    run_mail_queue("purge")  # Redis still away
    monkeypatch.undo()

    make_due()
    run_mail_queue("purge")

    assert "Early Bird" not in Client().get(url).content.decode()
