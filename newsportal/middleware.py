"""Request ids and redaction (newsportal.redaction) for log lines, HEAD answers without a body,
cache headers every response gets, and a friendly 503 while the database is unreachable."""

import logging
import re
import threading
import uuid

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware import http
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin

from newsportal.caching import ALL_LISTED, mark_personal, mark_shared
from newsportal.redaction import redact
from newsportal.unsent import unsent_words

logger = logging.getLogger("newsportal.request")
_local = threading.local()
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        # django.request logs returned 4xx/5xx responses after the middleware chain has
        # finished, but hands us the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or getattr(
            _local, "request_id", "-"
        )
        return True


class RedactEmailFilter(logging.Filter):
    """Replaces e-mail addresses, and the values a database error quotes, in a record's
    message and traceback.

    Readers' addresses reach us with every comment; an exception message that quotes one (or
    quotes a row with a comment in it) must not copy it into log storage that more people can
    read than the database.
    """

    _traceback_formatter = logging.Formatter()

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:
            # A malformed logging call: let the handler report it as logging always does,
            # rather than raising from inside the request that logged it.
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            # Formatter.format() reuses exc_text when it is set, so this is what gets written.
            record.exc_text = self._traceback_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class LoggedOutageFilter(logging.Filter):
    """Drops django.request's own line ("Service Unavailable: /path", and for an outage met
    outside a view its traceback) for a request whose database outage has had its one line
    (database_unavailable)."""

    def filter(self, record):
        return not getattr(getattr(record, "request", None), "database_outage_logged", False)


class SecurityEventFilter(logging.Filter):
    """django.security's events (a forged Host header, a path climbing out of media/, a failed
    CSRF check) are what anyone can send: one WARNING line each, without the traceback Django
    logs most of them with at ERROR, so that ERROR still means something for us to fix."""

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno >= logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


class OneLineFormatter(logging.Formatter):
    """Folds tracebacks onto the record's line (as a literal \\n), so one event is one line and
    log collectors never split an error into dozens of unrelated entries."""

    def format(self, record):
        return super().format(record).replace("\r", "").replace("\n", "\\n")


class RequestIdMiddleware:
    """Tags every log line of a request with one id (the proxy's X-Request-ID when it is sane)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        _local.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = "-"
        response["X-Request-ID"] = request_id
        return response


class HeadWithoutBodyMiddleware(MiddlewareMixin):
    """A HEAD is answered with the GET's headers (Content-Length and ETag included) and no body.
    Django draws the GET's page for it and would send that too: runserver and the test client
    drop it, gunicorn sends it and logs a warning each time (Varnish turns a HEAD for a shared
    page into a GET, but passes those for /admin/ and /comments/ on as they come)."""

    def process_response(self, request, response):
        if request.method != "HEAD" or response.status_code == 304:
            return response  # a 304 has no body to measure: its length is not the page's
        if response.streaming:
            response.streaming_content = []
        else:
            response.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response


# --- HTTP caching ---------------------------------------------------------------------------------
class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's: ETags hashed from the content, so every process agrees on them. A 304 also
    keeps the Content-Type the 200 had (Django drops it), so a feed reader that revalidates
    still knows it holds XML, and its Surrogate-Key (copied to EDGE_SURROGATE_KEY_HEADER for a
    CDN that reads another, on every shared answer, 304 or not). A HEAD is treated as the GET
    it mirrors: Django leaves it alone, its body being empty by then elsewhere, but here the
    body is still the GET's (HeadWithoutBodyMiddleware drops it outside), so a HEAD gets the
    GET's ETag and its 304."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type")
        # Kept on a 304 too: a CDN revalidating here refreshes its copy's headers from it, and
        # a copy that lost its keys would escape the purges meant for it.
        keys = response.get("Surrogate-Key")
        method = request.method
        request.method = "GET" if method == "HEAD" else method
        try:
            response = super().process_response(request, response)
        finally:
            request.method = method
        if response.status_code == 304:
            if content_type:
                response["Content-Type"] = content_type
            if keys:
                response["Surrogate-Key"] = keys
            # CommonMiddleware measures the empty body of a view's own 304 (a media file's):
            # "Content-Length: 0" there would tell a cache the file it keeps is empty.
            del response["Content-Length"]
        cdn_header = settings.EDGE_SURROGATE_KEY_HEADER
        if keys and cdn_header not in ("", "Surrogate-Key") and "Surrogate-Key" in response:
            # The CDN in front reads the keys from a header of its own (Cloudflare's Cache-Tag),
            # comma-separated; our Varnish still reads Surrogate-Key, all of them.
            limits = CDN_KEY_LIMITS[cdn_header]
            shown = getattr(request, "newsportal_shown", ())
            cdn_keys = fewer_keys(keys.split(), *limits, shown=shown)
            if not fits(cdn_keys, *limits):  # the page's own keys alone: said, not hidden
                logger.warning(
                    "%s carries %d keys, more than %s takes: the CDN ignores the last ones",
                    request.path,
                    len(cdn_keys),
                    cdn_header,
                )
            response[cdn_header] = ",".join(cdn_keys)
        return response


# What each CDN takes on one response, in keys and in bytes: past it the keys are ignored, the
# last ones first (Akamai keeps the first 128 tags; Cloudflare's Cache-Tag holds 16 KB).
CDN_KEY_LIMITS = {"Edge-Cache-Tag": (128, None), "Cache-Tag": (None, 16 * 1024)}


def fits(keys: list[str], most: int | None, most_bytes: int | None) -> bool:
    return (most is None or len(keys) <= most) and (
        most_bytes is None or len(",".join(keys).encode()) <= most_bytes
    )


def fewer_keys(keys: list[str], most: int | None, most_bytes: int | None, *, shown=()) -> list[str]:
    """The keys, or, when the CDN would take only part of them (an article naming a hundred
    related stories), fewer: every listed-<id> named by the list-level ALL_LISTED (every purge
    of a listed key purges it too: articles.purges, articles.services), as the sitemaps, which
    name too many stories, carry it; and so is the article-<id> of each story the page said it
    shows besides itself (newsportal.caching.shows_stories), whose takedown or new words purge
    its listed key. Every other key stays: the page's own article-<id>, which a comment approved
    or a correction purges without ALL_LISTED, a strip's breaking-<id>, a section's or tag's.
    Never cut at the limit, where the CDN would drop the last ones (a takedown's) unsaid."""
    if fits(keys, most, most_bytes):
        return keys
    folded = {f"article-{pk}" for pk in shown}
    return list(
        dict.fromkeys(
            ALL_LISTED if key in folded or _LISTED.fullmatch(key) else key for key in keys
        )
    )


_LISTED = re.compile(r"listed-\d+")


class PrivateByDefaultMiddleware(MiddlewareMixin):
    """A response that says nothing about caching (a form post's answer, a status page, an
    error) is marked private and no-store: only views that mean to be shared say so
    (newsportal.caching.mark_shared). And one that sets a cookie (a session, a CSRF token, a
    message, set by the middleware below this one) is never shared, whatever the view said."""

    def process_response(self, request, response):
        if _adds_a_slash(request, response):
            # CommonMiddleware's APPEND_SLASH redirect: it follows from the address alone, so
            # shared caches keep it as they keep the page (not for a personal path or reader).
            mark_shared(request, response)
        if not response.has_header("Cache-Control") or response.cookies:
            if response.cookies and "Surrogate-Key" in response:
                # A page drawn with the reader's CSRF token (a form for them alone, such as a
                # reply form without JavaScript) is theirs by design; any other cookie on a
                # page meant to be shared is a bug worth a line in the log.
                if set(response.cookies) != {settings.CSRF_COOKIE_NAME}:
                    logger.warning("shared response set a cookie; made private: %s", request.path)
                del response["Surrogate-Key"]
                del response["Cache-Control"]
            mark_personal(response)
        return response


def _adds_a_slash(request, response) -> bool:
    return (
        response.status_code == 301
        and not response.has_header("Cache-Control")
        and response.get("Location") == request.get_full_path(force_append_slash=True)
    )


# --- Database outages ---------------------------------------------------------------------------
# SQLSTATEs of a server that is gone or going: connection exceptions (class 08) and the
# shutdown and start-up refusals of class 57 (a cancelled query, 57014, is not among them);
# and of one that takes no writes for now: a standby still read-only after a failover (25006),
# a full disk or no connection slots left (53100, 53300). None is a bug in a query; out of
# memory (53200) may be one query's own doing, and keeps its traceback.
_UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "25006", "53100", "53300")
# Without a SQLSTATE (the client library failed before the server could say anything; SQLite).
_UNREACHABLE_WORDS = (
    "connect",
    "server closed",
    "terminating",
    "unable to open",
    "is locked",
    "readonly database",
    "disk is full",
)


def is_database_unavailable(error: BaseException | None) -> bool:
    """An error that means "the database cannot be reached (for now)", or takes no writes for
    now, not a bug in a query:
    a deadlock, a timeout or a missing table still answers 500 and is logged with its
    traceback."""
    if not isinstance(error, DatabaseError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None) or getattr(error, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(_UNREACHABLE_SQLSTATES)
    if isinstance(error, InterfaceError):  # the connection was already closed
        return True
    text = str(error).lower()
    return isinstance(error, OperationalError) and any(w in text for w in _UNREACHABLE_WORDS)


def database_unavailable(request, error: BaseException) -> HttpResponse:
    """The short 503 page, and one log line naming the cause: no traceback (it is an outage,
    not a bug) and no second "Service Unavailable" line from django.request for it. A post of
    a reader's words (a comment, a report), or of a staff member's in the admin, gets them back
    on the page, to copy."""
    unsent = unsent_words(request)
    # No context processors: they query the database, which is what is missing. Drawn before
    # the request is marked as logged, so a page that fails to draw keeps its traceback.
    context = {"request": request, "unsent": unsent, "site_name": settings.SITE_NAME}
    html = render_to_string("503.html", context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "5"
    if request.method == "POST":
        # An answer to one person's post, their words on it: personal, as every such page is.
        mark_personal(response)
    else:
        response["Cache-Control"] = "no-store"
    logger.error(
        "database unavailable: %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip(),
    )
    request.database_outage_logged = True
    return response


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Turns a lost database connection into a short 503 page instead of a 500 traceback.

    Django's CONN_HEALTH_CHECKS drops the broken connection at the next request, so the site
    recovers by itself when the database is back. Errors raised outside views (while rendering a
    TemplateResponse, in later middleware) reach handler500, which answers the same way.
    """

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        return database_unavailable(request, exception)
