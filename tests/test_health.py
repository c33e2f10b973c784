"""/healthz, the friendly 503 while the database is unreachable, and recovery afterwards."""

import re
import socketserver
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import IntegrityError, OperationalError, connections
from django.template.response import TemplateResponse
from django.test import override_settings
from django.urls import path

import newsportal.urls
from newsportal.views import server_error

FRIENDLY_TEXT = "The site is briefly unavailable. Please reload the page in a few seconds."


# Views that fail the way a real outage makes them fail, mounted in front of the real site.
def _query_fails_in_view(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _page_rendered_after_the_view(request):
    # The navigation in base.html queries the database while this response renders, after
    # the view has returned.
    return TemplateResponse(request, "404.html")


def _bug_in_view(request):
    raise ZeroDivisionError("a real bug")


urlpatterns = [
    path("test/db-down-in-view/", _query_fails_in_view),
    path("test/rendered-late/", _page_rendered_after_the_view),
    path("test/bug/", _bug_in_view),
    *newsportal.urls.urlpatterns,
]
handler404 = newsportal.urls.handler404
handler500 = newsportal.urls.handler500


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # as in production: the handler answers
    return client


def assert_friendly_503(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert FRIENDLY_TEXT in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client, cron_on_time):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "up",
        "cache": "up",
        "worker": "keeping up",
        "tasks_overdue": 0,
        "mail_failed_last_hour": 0,
        "mail_retrying_last_hour": 0,
        "mail_stuck": 0,
        "jobs_overdue": [],
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_counts_the_mail_that_failed_in_the_last_hour(
    client, submit, committed, article, smtp, settings
):
    # A mail server refusing for good is seen by nobody else: no reader waits on mail.
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.mail_helpers import run_mail_queue

    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    settings.MAIL_MAX_ATTEMPTS = 1  # the server refuses connections: given up at once
    committed(submit, article)  # its moderators' mail is queued after its commit
    run_mail_queue()

    assert client.get("/healthz").json()["mail_failed_last_hour"] == 1
    assert client.get("/healthz").status_code == 200  # the probe keeps the site in
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(minutes=61))
    assert client.get("/healthz").json()["mail_failed_last_hour"] == 0


def test_healthz_says_within_minutes_that_the_mail_server_is_away(
    client, submit, committed, article, smtp, settings
):
    # Nothing fails for about a day of tries, so the tries themselves are counted.
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.mail_helpers import run_mail_queue

    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    committed(submit, article)  # its moderators' mail is queued after its commit
    run_mail_queue()

    health = client.get("/healthz").json()
    assert (health["mail_retrying_last_hour"], health["mail_failed_last_hour"]) == (1, 0)
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(minutes=61))
    assert client.get("/healthz").json()["mail_retrying_last_hour"] == 0


def test_healthz_counts_mail_a_killed_worker_left_running_until_cron_puts_it_back(
    client, submit, committed, article, settings
):
    # Without the requeue_mail cron line, such a mail never goes, and nothing else says so.
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    committed(submit, article)  # its moderators' mail is queued after its commit
    mail = DBTaskResult.objects.filter(queue_name="mail")
    mail.update(status="RUNNING", started_at=timezone.now() - timedelta(minutes=50))
    assert client.get("/healthz").json()["mail_stuck"] == 0  # cron has not had its turn

    mail.update(started_at=timezone.now() - timedelta(minutes=61))
    assert client.get("/healthz").json()["mail_stuck"] == 1
    assert client.get("/healthz").status_code == 200  # readers lose nothing: the site stays in

    call_command("requeue_mail", verbosity=0)
    assert client.get("/healthz").json()["mail_stuck"] == 0


@pytest.mark.django_db
def test_healthz_says_the_cache_is_down_and_keeps_the_site_in(client):
    # Nothing listens on port 1: rate limits and the moderators' mail interval are off.
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": unreachable}):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["cache"] == "down"


class ReadOnlyRedis(socketserver.StreamRequestHandler):
    """A Redis that answers reads and refuses every write, as one does whose snapshot to disk
    failed (stop-writes-on-bgsave-error) or that is full with the noeviction policy."""

    def handle(self):
        while line := self.rfile.readline():
            if not line.startswith(b"*"):
                continue
            args = []
            for _ in range(int(line[1:])):
                size = int(self.rfile.readline()[1:])
                args.append(self.rfile.read(size + 2)[:-2].upper())
            if args[0] == b"HELLO":  # redis-py speaks RESP3
                self.wfile.write(b"%1\r\n$5\r\nproto\r\n:3\r\n")
            elif args[0] == b"GET":
                self.wfile.write(b"_\r\n")
            elif args[0] in (b"CLIENT", b"SELECT", b"PING"):
                self.wfile.write(b"+OK\r\n")
            else:
                self.wfile.write(b"-MISCONF Redis is unable to persist to disk\r\n")


@pytest.mark.django_db
def test_healthz_says_the_cache_is_down_while_it_refuses_writes(client):
    """Rate limits, the double-post check and fragment purges all write: with writes refused
    they are off (each logs a warning), while a read still answered and /healthz said "up"."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), ReadOnlyRedis)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    read_only = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{server.server_address[1]}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    try:
        with override_settings(CACHES={"default": read_only}):
            response = client.get("/healthz")
    finally:
        server.shutdown()
        server.server_close()

    assert response.status_code == 200
    assert response.json()["cache"] == "down"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@pytest.mark.django_db
def test_healthz_is_reachable_over_plain_http_when_ssl_redirect_is_on(client, settings):
    # Load balancers probe the backend directly, without TLS.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/search/?q=cars", "/section/technology/"])
def test_pages_answer_a_friendly_503_while_the_database_is_down(client, database_down, url):
    assert_friendly_503(client.get(url))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_error_raised_inside_a_view_gives_the_friendly_503(client):
    assert_friendly_503(client.get("/test/db-down-in-view/"))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_error_raised_while_rendering_gives_the_friendly_503(client, database_down):
    assert_friendly_503(client.get("/test/rendered-late/"))


def test_handler500_answers_the_friendly_503_for_a_database_outage(rf):
    # Errors outside any view (in middleware, say) reach handler500 directly.
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))

    assert_friendly_503(response)


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("duplicate key value violates unique constraint"),
        OperationalError("no such table: articles_article"),  # a migration not run
        OperationalError("deadlock detected"),
    ],
    ids=["integrity", "missing-table", "deadlock"],
)
def test_handler500_answers_500_for_other_database_errors(rf, error):
    # A broken query is a bug to fix, not an outage to wait out.
    try:
        raise error
    except type(error):
        response = server_error(rf.get("/"))

    assert response.status_code == 500


def test_an_outage_is_told_from_a_bug_by_its_sqlstate():
    from psycopg import errors

    from newsportal.middleware import is_database_unavailable

    def wrapped(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    assert is_database_unavailable(wrapped(errors.AdminShutdown("terminating connection")))
    assert is_database_unavailable(wrapped(errors.CannotConnectNow("the system is starting up")))
    assert not is_database_unavailable(wrapped(errors.QueryCanceled("statement timeout")))
    assert not is_database_unavailable(wrapped(errors.DeadlockDetected("deadlock detected")))
    # Out of room for everyone's writes, but one query's own hunger for memory is that query's.
    assert is_database_unavailable(wrapped(errors.DiskFull("could not extend file")))
    assert is_database_unavailable(wrapped(errors.TooManyConnections("too many clients")))
    assert not is_database_unavailable(wrapped(errors.OutOfMemory("out of memory")))
    assert is_database_unavailable(OperationalError("server closed the connection unexpectedly"))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bug_still_answers_500_with_the_error_page_and_no_traceback(client):
    response = client.get("/test/bug/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "ZeroDivisionError" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_error_page_names_the_site_in_its_title_and_masthead(client, settings):
    # It was a bare Bootstrap page: no name, no masthead, nothing of the site's look.
    settings.SITE_NAME = "Harbour Gazette"
    page = client.get("/test/bug/").content.decode()

    assert "<title>Something went wrong · Harbour Gazette</title>" in page
    assert '<a class="site-name" href="/">Harbour Gazette</a>' in page
    assert re.search(r"/static/css/site\.[0-9a-f.]*css", page)


def wsgi_get(path):
    """A request through the WSGI handler, as gunicorn makes it: unlike the test client, this
    runs Django's per-request connection housekeeping (close_old_connections)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])

    response = WSGIHandler()(environ, start_response)
    body = b"".join(response)
    response.close()  # fires request_finished, as a server does
    return started["status"], body


@pytest.fixture
def worker():
    """One thread standing in for a gunicorn worker: its own database connection, kept between
    requests and outside the test's transaction (so this test needs no database flush)."""
    with ThreadPoolExecutor(max_workers=1) as pool:

        def run(function, *args):
            return pool.submit(function, *args).result(timeout=30)

        yield run
        run(connections.close_all)


def _backend_pid():
    connection = connections["default"]
    return connection.connection.info.backend_pid if connection.connection else None


@pytest.mark.django_db
def test_the_site_recovers_by_itself_after_the_database_drops_the_connection(worker):
    if connections["default"].vendor != "postgresql":
        # SQLite opens a fresh connection for every request (CONN_MAX_AGE is forced to 0), so
        # there is no kept connection to go stale; the in-memory test database cannot be
        # dropped without losing it. The dropped-connection case is PostgreSQL's.
        assert connections["default"].settings_dict["CONN_MAX_AGE"] == 0
        assert worker(wsgi_get, "/healthz")[0] == 200
        return

    assert worker(wsgi_get, "/healthz")[0] == 200
    pid = worker(_backend_pid)
    assert pid is not None, "the worker's connection should persist between requests"

    # The server ends the worker's session (as a restart or failover does) behind its back.
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    status, body = worker(wsgi_get, "/")
    assert status == 200, body[:500]
    assert worker(_backend_pid) not in (None, pid)


def test_persistent_connections_are_health_checked():
    settings_dict = connections["default"].settings_dict

    assert settings_dict["CONN_HEALTH_CHECKS"] is True
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        assert settings_dict["CONN_MAX_AGE"] > 0
        assert settings_dict["OPTIONS"]["connect_timeout"] == 3


class TestWithTheDatabaseReadOnly:
    """It commits for real (the read-only session must be the connection's own)."""

    def test_healthz_says_the_database_takes_no_writes(self, client, database_read_only):
        response = client.get("/healthz")

        assert response.status_code == 200  # readers still read
        assert response.json()["database"] == "read-only"  # was "up"
