"""Whole-page cache for anonymous readers, shared by every web process through Django's cache.

Why not Django's cache_page: it varies on the Cookie header (every reader gets their own copy,
since each has a CSRF cookie) and cannot be purged per article. Here a cached page is keyed on
its path plus version tokens (one for lists, one per article) that a write bumps, so a change
is visible at once. Pages hold the comment form, so the few per-reader values in it (the CSRF
token, the form's signed start time) are swapped in on every hit: a cached page never carries
another reader's token.

Only plain anonymous GETs are served from here: a session cookie (a logged-in reader) or a
messages cookie (the success message after posting) bypasses the cache entirely, so one
reader's name, message or form errors can never reach another.
"""

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.http import quote_etag

from articles.cachebatch import forget, get_many, remember
from newsportal.csrf import csrf_token

logger = logging.getLogger(__name__)

LISTS = "lists"
# Bumped by editorial writes only (an article published, unpublished, retitled or deleted; a
# section, author or tag renamed), never by comments: an article page shows other articles
# (related links, the fallback list) and must not keep a headline that is gone.
CATALOGUE = "catalogue"
T = TypeVar("T")
_HIDDEN_FIELD = re.compile(rb'(<input type="hidden" name="([\w-]+)" value=")([^"]*)(")')
# Stored pages are bytes, as sent: no decoding when read, no encoding when served.
_PAGE_PREFIX = "page-b"
_BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
NAVIGATION_KEY = "nav:sections"


def version_key(name: str) -> str:
    return name if ":" in name else f"pagever:{name}"


def fragment_key(key: str) -> str:
    """The cache key a fragment is stored under: views name it up front to batch its read."""
    return _hashed("frag", key)


# --- Versions -------------------------------------------------------------------------------------
def article_version_key(slug: str) -> str:
    return f"pagever:article:{slug}"


def lists_version(request, *args, **kwargs) -> list[str]:
    """For pages that show lists of articles (home, sections, authors, tags, feeds)."""
    return [LISTS]


def purge_article(slug: str) -> None:
    """The article page changed (text, links, approved comments)."""
    _bump([article_version_key(slug)])


def purge_lists(*, catalogue: bool = False) -> None:
    """Something shown in listings changed (an article, or a comment count); with catalogue,
    something other article pages show of it (its headline, or whether it is public)."""
    _bump([f"pagever:{LISTS}", *([f"pagever:{CATALOGUE}"] if catalogue else [])])


def _bump(keys: list[str]) -> None:
    tokens = {key: secrets.token_hex(6) for key in keys}
    forget(keys)
    forget_recent_hits()
    try:
        cache.set_many(tokens, None)
    except Exception as exc:
        # A failed purge must not fail the write; pages then expire with their timeout.
        logger.warning("page cache purge failed: %s", type(exc).__name__)
    else:
        remember(tokens)


def _current_versions(found: dict, keys: list[str]) -> tuple[str, ...]:
    """The version tokens for keys, creating any that are missing (first use, or evicted)."""
    for key in keys:
        if key not in found:
            token = secrets.token_hex(6)
            # add(), not set(): if another process got there first, its token wins.
            if not cache.add(key, token, None):
                token = cache.get(key) or token
            found[key] = token
            remember({key: token})
    return tuple(str(found[key]) for key in keys)


def _hashed(prefix: str, text: str) -> str:
    return f"{prefix}:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _lookup(key: str, depends_on: list[str]) -> tuple[object, tuple[str, ...]]:
    """The cached entry under key and the current versions it must match: one round trip."""
    names = [version_key(name) for name in depends_on]
    found = get_many([key, *names])
    cached = found.pop(key, None)
    return cached, _current_versions(found, names)


# --- Whole pages ------------------------------------------------------------------------------
# The query parameters cached pages read (list pages, comment pages, the comment replied to).
# Anything else (a tracking tag, a cache buster) is left out of the key, so it can neither get
# past the cache nor fill it with copies; a value that is not a plain page number is not cached.
_PAGE_PARAMS = ("comments-page", "page", "reply-to")
_PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def _cache_path(request) -> str | None:
    """What a cached page is keyed on: the path and the parameters the page reads, or None
    when one of those is not a plain number (the view answers it, uncached)."""
    query = []
    for name in _PAGE_PARAMS:
        value = request.GET.get(name)
        if value is None:
            continue
        if not _PLAIN_NUMBER.fullmatch(value):
            return None
        query.append(f"{name}={value}")
    return request.path + ("?" + "&".join(query) if query else "")


def _is_cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in _BYPASS_COOKIES)
    )


def _split(content: bytes, refreshers) -> list:
    """The page as byte pieces, with the per-reader field values cut out: [bytes, (name, old
    value), bytes...]."""
    pieces: list = []
    last = 0
    for match in _HIDDEN_FIELD.finditer(content):
        name = match.group(2).decode("ascii")
        if name in refreshers:
            pieces.append(content[last : match.end(1)])
            pieces.append((name, match.group(3).decode("ascii")))
            last = match.start(4)
    pieces.append(content[last:])
    return pieces


@dataclass(frozen=True)
class PageCacheConfig:
    versions: Callable[..., list[str]]
    refreshers: dict[str, Callable[[object, str], str]]


def anonymous_page_cache(
    versions: Callable[..., list[str]],
    fresh_fields: dict[str, Callable[[object, str], str]] | None = None,
):
    """Cache a view's 200 responses for anonymous readers.

    versions(request, *args, **kwargs) names the version keys the page depends on (short names
    like "lists", or article_version_key(slug)). fresh_fields maps a hidden input's name to a
    function (request, cached value) -> value for this reader; the CSRF token is always fresh.

    Hits are normally answered by PageCacheMiddleware, before the session, CSRF, auth and
    messages middleware run; the view answers them itself when that middleware is not in use.
    """
    refreshers = {"csrfmiddlewaretoken": lambda request, _old: csrf_token(request)}
    refreshers.update(fresh_fields or {})
    config = PageCacheConfig(versions, refreshers)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            path = _cache_path(request) if _is_cacheable(request) else None
            if path is None:
                return view(request, *args, **kwargs)
            key = _hashed(_PAGE_PREFIX, path)
            looked_up = getattr(request, "_page_cache_lookup", None)
            if looked_up is not None and looked_up[0] == key:
                # PageCacheMiddleware looked this page up already and found no usable copy.
                _, cached, current = looked_up
            else:
                try:
                    cached, current = _lookup(key, versions(request, *args, **kwargs))
                except Exception as exc:
                    logger.warning("page cache unavailable: %s", type(exc).__name__)
                    return view(request, *args, **kwargs)
            hit = _is_hit(cached, current, path)
            if not hit:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if response.status_code != 200 or response.cookies or response.streaming:
                    return response
                content = response.content
                cached = {
                    "path": path,
                    "versions": current,
                    "pieces": _split(content, refreshers),
                    "content_type": response["Content-Type"],
                    "etag": hashlib.blake2b(
                        content + f"|{current}".encode(), digest_size=12
                    ).hexdigest(),
                }
                try:
                    cache.set(key, cached, settings.PAGE_CACHE_SECONDS)
                except Exception as exc:
                    logger.warning("page cache unavailable: %s", type(exc).__name__)
            return _respond(request, cached, refreshers, hit=hit)

        wrapped.page_cache = config
        return wrapped

    return decorator


def _is_hit(cached, current, path) -> bool:
    return cached is not None and cached["versions"] == current and cached["path"] == path


@lru_cache(maxsize=4096)
def _page_cache_view(urlconf: str, path_info: str):
    """(page cache config, args, kwargs) of the view at path_info, or None when that view has
    no page cache: URL patterns are code, the same for the life of the process."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    config = getattr(match.func, "page_cache", None)
    return None if config is None else (config, match.args, match.kwargs)


@receiver(setting_changed)
def _forget_page_cache_views(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _page_cache_view.cache_clear()
    if setting.startswith("PAGE_CACHE"):
        forget_recent_hits()


# --- Hits from this process's memory, for a moment ------------------------------------------------
# Under a spike one article is read hundreds of times a second by every process, and a round
# trip to the shared cache costs more than all the rest of a hit. So a page this process just
# found current is served from its memory for PAGE_CACHE_LOCAL_SECONDS (1 by default; 0 turns
# this off) without asking again: a write made here clears them at once, and one made by another
# process shows here within that moment. Only anonymous hits come from here; a reader's own
# parts (CSRF token, form start time) are still put in per request.
_RECENT_HITS: dict[str, tuple[float, dict, tuple]] = {}
_RECENT_HITS_LIMIT = 256  # pages; a whole page is some tens of kilobytes


def _recent_hit(key: str):
    entry = _RECENT_HITS.get(key)
    if entry is None or entry[0] <= time.monotonic():
        return None
    return entry[1], entry[2]


def _keep_recent_hit(key: str, cached: dict, current: tuple) -> None:
    seconds = settings.PAGE_CACHE_LOCAL_SECONDS
    if seconds <= 0:
        return
    if len(_RECENT_HITS) >= _RECENT_HITS_LIMIT:
        _RECENT_HITS.clear()
    _RECENT_HITS[key] = (time.monotonic() + seconds, cached, current)


def forget_recent_hits() -> None:
    _RECENT_HITS.clear()


def cached_page_response(request, csrf_middleware) -> HttpResponse | None:
    """The response for a page-cache hit, or None to let the full middleware stack and the view
    answer (anything not cacheable, a miss, a cache outage).

    Runs where PageCacheMiddleware sits: after the security, clickjacking and CSP middleware
    (whose headers every response gets on its way out) and before the rest. What the skipped
    middleware would do for such a request is done here: the host is validated, the reader's
    CSRF cookie is read and, if new, set (by Django's CsrfViewMiddleware itself); a request
    with a session or messages cookie never gets here, so no session, user or message is
    involved.
    """
    if not _is_cacheable(request) or settings.DISALLOWED_USER_AGENTS or settings.CSRF_USE_SESSIONS:
        return None
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    match = _page_cache_view(urlconf, request.path_info)
    if match is None:
        return None
    config, args, kwargs = match
    request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it (DisallowedHost: 400)
    path = _cache_path(request)
    if path is None:
        return None
    key = _hashed(_PAGE_PREFIX, path)
    recent = _recent_hit(key)
    if recent is not None:
        cached, current = recent
    else:
        try:
            cached, current = _lookup(key, config.versions(request, *args, **kwargs))
        except Exception:
            return None  # the view tries again, and logs the outage
        if not _is_hit(cached, current, path):
            request._page_cache_lookup = (key, cached, current)
            return None
        _keep_recent_hit(key, cached, current)
    csrf_middleware.process_request(request)
    response = _respond(request, cached, config.refreshers, hit=True)
    response = csrf_middleware.process_response(request, response)
    response.headers["Content-Length"] = str(len(response.content))
    return response


def _respond(request, cached: dict, refreshers, *, hit: bool) -> HttpResponse:
    etag = quote_etag(cached["etag"])
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        body = b"".join(
            piece if isinstance(piece, bytes) else refreshers[piece[0]](request, piece[1]).encode()
            for piece in cached["pieces"]
        )
        response = HttpResponse(body, content_type=cached["content_type"])
    response["ETag"] = etag
    # The page carries this reader's CSRF token: browsers may keep it, shared caches may not.
    # (What patch_cache_control(private=True, no_cache=True) writes on a new response.)
    response["Cache-Control"] = "private, no-cache"
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


# --- Shared fragments -------------------------------------------------------------------------
def cached_fragment(key: str, depends_on: list[str], render: Callable[[], T]) -> T:
    """A value shared by every reader, logged in or not (rendered HTML, or an article row),
    made again when a version it depends on moves. One cache round trip on a hit (none inside
    a batch that holds it, see fragment_key); a cache outage only costs the making."""
    storage_key = fragment_key(key)
    try:
        cached, current = _lookup(storage_key, depends_on)
    except Exception as exc:
        logger.warning("fragment cache unavailable: %s", type(exc).__name__)
        return render()
    if cached is not None and cached[0] == current and cached[1] == key:
        return cached[2]
    html = render()
    entry = (current, key, html)
    try:
        cache.set(storage_key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("fragment cache unavailable: %s", type(exc).__name__)
    else:
        remember({storage_key: entry})
    return html


def shared_page(
    request,
    key: str,
    depends_on: list[str],
    render_page: Callable[[dict[str, str]], str],
    fill: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """A whole page shared by every reader (a cached_fragment), but for this reader's own
    parts: their flash messages, and the pieces named in fill (name -> this reader's HTML).

    render_page(marks) renders the page with marks["messages"] (passed to the template as
    messages_html) and marks[name] for each fill standing where those parts go. The marks hold
    a random nonce made with the page and stored with it, so no text in the page (an article, a
    comment) can stand in for one.
    """
    names = ["messages", *(fill or {})]

    def build():
        nonce = secrets.token_hex(8)
        marks = {name: f"\ue200{name}-{nonce}\ue201" for name in names}
        # Kept as the bytes sent: no decoding when read, no encoding when served.
        return {name: mark.encode() for name, mark in marks.items()}, render_page(marks).encode()

    marks, body = cached_fragment(key, depends_on, build)
    for name, value in (fill or {}).items():
        body = body.replace(marks[name], value.encode())
    body = body.replace(marks["messages"], _messages_html(request).encode())
    return HttpResponse(body, status=status)


def shared_context() -> dict:
    """Context for rendering a shared page: nothing of the reader who happens to draw it (the
    context processors' user, messages and CSRF token) can end up in the copy others get."""
    from django.contrib.auth.models import AnonymousUser

    return {"user": AnonymousUser(), "perms": None, "messages": (), "csrf_token": "NOTPROVIDED"}


def _messages_html(request) -> str:
    """This reader's flash messages, drawn (and so used up) as includes/messages.html does."""
    from django.contrib.messages import get_messages
    from django.template.loader import render_to_string

    messages = get_messages(request)
    return render_to_string("includes/messages.html", {"messages": messages}) if messages else ""


def navigation_sections(request=None) -> list[dict]:
    """The section menu on every page, from the shared cache (sections change rarely); looked
    up once per request however many times the request asks."""
    from articles.models import Section

    if request is not None and hasattr(request, "_navigation_sections"):
        return request._navigation_sections

    def load():
        return [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.for_navigation()
        ]

    try:
        sections = get_many([NAVIGATION_KEY]).get(NAVIGATION_KEY)
        if sections is None:
            sections = load()
            # add(), as get_or_set() does: a copy another process stored first is kept.
            cache.add(NAVIGATION_KEY, sections, settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("navigation cache unavailable: %s", type(exc).__name__)
        sections = load()
    if request is not None:
        request._navigation_sections = sections
    return sections


def purge_navigation() -> None:
    forget([NAVIGATION_KEY])
    forget_recent_hits()
    try:
        cache.delete(NAVIGATION_KEY)
    except Exception as exc:
        logger.warning("navigation cache purge failed: %s", type(exc).__name__)
