"""Request ids for log lines, and a friendly 503 while the database is unreachable."""

import logging
import re
import threading
import uuid

from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.http import HttpResponse

logger = logging.getLogger("newsportal.request")
_local = threading.local()
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return getattr(_local, "request_id", "-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True


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


def database_unavailable_response(request) -> HttpResponse:
    html = render_to_string("503.html", {"request": request})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a short 503 page instead of a 500 traceback.

    Django's CONN_HEALTH_CHECKS drops the broken connection at the next request, so the site
    recovers by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.error(
                "database unavailable: %s %s: %s",
                request.method,
                request.path,
                type(exception).__name__,
            )
            return database_unavailable_response(request)
        return None
