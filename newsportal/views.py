import ipaddress
import mimetypes
import posixpath
import sys

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.views import static
from django.views.decorators.cache import never_cache

from newsportal.caching import LISTS, links_from_site_url, mark_shared, media_key, shared
from newsportal.context_processors import site
from newsportal.jobs import overdue_jobs
from newsportal.methods import read_only
from newsportal.middleware import database_unavailable, is_database_unavailable
from newsportal.text import most_text_sent
from newsportal.worker import (
    mail_failed_last_hour,
    mail_retrying_last_hour,
    mail_stuck,
    worker_backlog,
)

# Whether the database takes writes (a standby still read-only after a failover answers reads).
_READ_ONLY_QUERIES = {
    "postgresql": "SELECT current_setting('transaction_read_only')",
    "sqlite": "PRAGMA query_only",
}


# Headers a proxy writes for the reader it relays: a request with one came through a proxy.
_RELAYED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def _for_the_operator(request) -> bool:
    """Whether /healthz may say more than up or down: the monitor's token, or a request made on
    this machine straight to gunicorn. Through the proxy anyone could ask (and the proxy, or a
    TLS terminator beside it, relays every reader from the loopback), and the details (mail
    failing, cron lines missing, the worker's backlog) are for whoever runs the site."""
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and constant_time_compare(sent, f"Bearer {token}"):
        return True
    if any(name in request.headers for name in _RELAYED):
        return False
    header = settings.COMMENTS_CLIENT_IP_HEADER
    if header and header in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:  # a unix socket (no address): whoever relays through it is a proxy
        return False


@never_cache
@read_only
def healthz(request):
    """Up or down for a load balancer (one query: nothing else is asked of the database or
    Redis for a stranger); the details for the operator (_for_the_operator)."""
    details = _for_the_operator(request)
    try:
        with connection.cursor() as cursor:
            cursor.execute(_READ_ONLY_QUERIES.get(connection.vendor, "SELECT 0"))
            refuses_writes = cursor.fetchone()[0] in ("on", 1)
    except DatabaseError:
        down = (
            {"status": "unavailable", "database": "down"} if details else {"status": "unavailable"}
        )
        return JsonResponse(down, status=503)
    if not details:
        return JsonResponse({"status": "ok"})
    # Still 200 while it takes no writes: readers read. Comments, sign-ins and moderation fail.
    database = "read-only" if refuses_writes else "up"
    health = {"status": "ok", "database": database, "cache": _cache_health()}
    if settings.MAIL_QUEUE == "database":
        # Still 200: the proxy's probe takes the site out on a non-200, and readers can do
        # without the worker for a while. Monitors alarm on this field.
        try:
            backlog, failed = worker_backlog(), mail_failed_last_hour()
            retrying, stuck = mail_retrying_last_hour(), mail_stuck()
        except DatabaseError:  # the queue's table is not there yet (migrate has not run)
            health["worker"] = "unknown"
        else:
            health["worker"] = "behind" if backlog else "keeping up"
            health["tasks_overdue"] = backlog["count"] if backlog else 0
            health["mail_failed_last_hour"] = failed
            health["mail_retrying_last_hour"] = retrying
            health["mail_stuck"] = stuck
    # A cron line missing or broken costs readers nothing for days: a 200 still, alarm on this.
    try:
        overdue = overdue_jobs()
    except DatabaseError:  # its table is not there yet (migrate has not run): nothing known
        pass
    else:
        health["jobs_overdue"] = [late.job.name for late in overdue]
    return JsonResponse(health)


def _cache_health() -> str:
    """Redis down costs readers nothing they see (rate limits and the moderators' mail interval
    go, with a warning in the log), so the site stays in the proxy and monitors are told here.
    A write, since all of those write: a Redis refusing writes (a failed snapshot to disk, full
    under noeviction) still answers reads, and was reported "up"."""
    try:
        cache.set("healthz", "ok", 60)
    except Exception:  # whatever the backend's client raises for a server it cannot reach
        return "down"
    return "up"


@read_only
@shared()
@links_from_site_url
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /comments/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    """The 400 page, drawn from its template with the site's own context (its name and
    stylesheets: Django's draws the template bare, out of the site's layout), nothing read from
    the request's data, which may be what is wrong with it. For a request over
    DATA_UPLOAD_MAX_MEMORY_SIZE (an article's long body), how much one form may send. A view may
    name a page of its own for it (`bad_request_template`: the editor's preview, in a tab with
    no Back to go to)."""
    context = site(request)
    if isinstance(exception, RequestDataTooBig):
        context["most_text"] = most_text_sent()
    view = getattr(request.resolver_match, "func", None)
    template = getattr(view, "bad_request_template", "400.html")
    return HttpResponseBadRequest(render_to_string(template, context))


def page_not_found(request, exception):
    # Shared too (a flood of made-up URLs is answered by the proxy), and dropped with the
    # lists when an article is published, since the missing page may be that article.
    return mark_shared(request, render(request, "404.html", status=404), LISTS)


MEDIA_CACHE_SECONDS = 30 * 86400
# Pictures kept for an article form that came back with errors (articles.kept_pictures): an
# editor's unsaved choice, perhaps under embargo, not for readers or the month-long caches, and
# deleted with no purge.
PRIVATE_MEDIA_FOLDER = "kept-pictures"


@read_only
def media(request, path):
    """Uploaded media, for a single box (SERVE_MEDIA). Storage never reuses a name for other
    content (a replaced image gets a new name), so caches may keep a file for a month; the
    proxy drops it when the service that replaces or deletes it purges its key."""
    # As static.serve reads the path, and whatever the case (a case-insensitive disk).
    if posixpath.normpath(path).lstrip("/").casefold().split("/")[0] == PRIVATE_MEDIA_FOLDER:
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 304:
        # Django answers a revalidation bare: it says what the kept copy is, as the 200 did.
        response["Content-Type"] = mimetypes.guess_type(path)[0] or "application/octet-stream"
    # Never changed under its name: no revalidation on a reload (immutable), and any cache in
    # front, a CDN's as ours, may stand in with its copy while the origin is down.
    patch_cache_control(
        response,
        public=True,
        max_age=MEDIA_CACHE_SECONDS,
        immutable=True,
        stale_if_error=settings.EDGE_STALE_IF_ERROR_SECONDS,
    )
    response["Surrogate-Key"] = media_key(path)
    return response


def server_error(request):
    # A database outage is not a bug in the page: answer 503 so proxies and monitors say so.
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return database_unavailable(request, error)
    # No context processors here: they may be what failed.
    return HttpResponse(render_to_string("500.html", {"site_name": settings.SITE_NAME}), status=500)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' refusal (AXES_LOCKOUT_CALLABLE): our page, plus the Retry-After that a 429
    should carry. The whole cool-off is an upper bound: the oldest counted failure may expire
    sooner, never later."""
    cool_off = get_cool_off(request)
    context = {**admin.site.each_context(request), "cooloff_timedelta": cool_off}
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
