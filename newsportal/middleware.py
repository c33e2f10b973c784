"""Request ids and redaction for log lines, the admin's CSP allowance, and a friendly 503 while
the database is unreachable."""

import base64
import functools
import hashlib
import logging
import re
import threading
import uuid
from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import get_template, render_to_string

logger = logging.getLogger("newsportal.request")
_local = threading.local()
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Whatever Django's EmailValidator takes, "user@localhost" and punycode domains included (a
# little too much redacted is better than one address written down).
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
# PostgreSQL's DETAIL line quotes the row or key values ("Failing row contains (...)", "Key
# (email)=(...)"): a reader's name, address and words.
_DB_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)
DETAIL_PLACEHOLDER = r"\1 [values redacted]"


def redact(text: str) -> str:
    return _DB_DETAIL.sub(DETAIL_PLACEHOLDER, _EMAIL.sub(EMAIL_PLACEHOLDER, text))


EMAIL_PLACEHOLDER = "[email redacted]"


def current_request_id() -> str:
    return getattr(_local, "request_id", "-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        # django.request logs returned 4xx/5xx responses after the middleware chain has
        # finished, but hands us the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
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


# --- Content-Security-Policy ---------------------------------------------------------------------
ADMIN_PATH_PREFIX = "/admin/"
# Django 5.2's admin has exactly one inline <style> element (in the change list, when a model
# admin shows no actions). Everything else it loads from static files.
ADMIN_TEMPLATES_WITH_INLINE_STYLE = ("admin/change_list.html",)
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@functools.cache
def admin_inline_style_hashes() -> tuple[str, ...]:
    """CSP hashes of the admin's static inline <style> blocks, read from the templates in use
    (so an upgrade or a project override is picked up, and anything else stays blocked)."""
    hashes = []
    for name in ADMIN_TEMPLATES_WITH_INLINE_STYLE:
        source = get_template(name).template.source
        for css in _STYLE_ELEMENT.findall(source):
            if "{%" in css or "{{" in css:
                continue  # rendered content cannot be hashed ahead of time
            digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return tuple(hashes)


# The policy built from settings alone (no per-view override, no nonce) is the same string for
# every response: built once per process and per settings object, not twice per response. It
# is kept with the settings value it was built from, so a changed setting is never served stale.
_settings_policies: dict[bool, tuple[object, str]] = {}


def _policy(parts: PolicyParts, *, report_only: bool) -> str:
    if parts.config is None and parts.update is None and parts.replace is None and not parts.nonce:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        config = getattr(settings, name, None)
        built = _settings_policies.get(report_only)
        if built is None or built[0] is not config:
            # As build_policy() reads the setting, from the value we compare against.
            directives = default_config(config.get("DIRECTIVES", {})) if config else None
            policy = build_policy(config=directives, report_only=report_only) if directives else ""
            built = _settings_policies[report_only] = (config, policy)
        return built[1]
    return build_policy(**asdict(parts), report_only=report_only)


class AdminAwareCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; under /admin/ the policy also allows the admin's own inline
    <style> by hash. The public site keeps the strict policy from settings."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PATH_PREFIX) and admin_inline_style_hashes():
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", []), *admin_inline_style_hashes()]
            parts.update = update
        return parts

    def process_response(self, request, response):
        # django-csp 4.0's process_response, with the settings-only policy built once.
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            parts = self.get_policy_parts(request, response, report_only=report_only)
            policy = _policy(parts, report_only=report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


# --- Page cache -----------------------------------------------------------------------------------
class PageCacheMiddleware:
    """Answers anonymous page-cache hits (articles.pagecache) without the session, CSRF, auth
    and messages middleware below it, which cost more than the hit itself. Placed after the
    security, clickjacking and CSP middleware, so every response still gets their headers; the
    CSRF cookie is Django's CsrfViewMiddleware's own handling, called from here."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        from articles.pagecache import cached_page_response

        return cached_page_response(request, self.csrf) or self.get_response(request)


# --- Database outages ---------------------------------------------------------------------------
# SQLSTATEs of a server that is gone or going: connection exceptions (class 08) and the
# shutdown and start-up refusals of class 57 (a cancelled query, 57014, is not among them).
_UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# Without a SQLSTATE (the client library failed before the server could say anything).
_UNREACHABLE_WORDS = ("connect", "server closed", "terminating", "unable to open", "is locked")


def is_database_unavailable(error: BaseException | None) -> bool:
    """An error that means "the database cannot be reached (for now)", not a bug in a query:
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


def database_unavailable_response(request) -> HttpResponse:
    # No context processors: they query the database, which is what is missing.
    html = render_to_string("503.html", {"request": request})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def log_database_unavailable(request, error: BaseException, response: HttpResponse) -> None:
    # One line naming the cause; no traceback (it is an outage, not a bug) and no second
    # "Service Unavailable" line from django.request for the same response.
    logger.error(
        "database unavailable: %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip(),
    )
    response._has_been_logged = True


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a short 503 page instead of a 500 traceback.

    Django's CONN_HEALTH_CHECKS drops the broken connection at the next request, so the site
    recovers by itself when the database is back. Errors raised outside views (while rendering a
    TemplateResponse, in later middleware) reach handler500, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        response = database_unavailable_response(request)
        log_database_unavailable(request, exception, response)
        return response
