"""Caching, in one place: which responses shared caches (a CDN, the Varnish in deploy/) may
keep, the fragments Django keeps, and purging both by the surrogate keys pages carry. Anything
personal (a session, a flash message, form errors, a status link, the admin) is `private,
no-store`; see "Caching" in README.md."""

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django_tasks import task

from newsportal import purge_requests

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Every shared page carries SITE (the section menu, the moderation policy: things on all of
# them); every list of articles (home, sections, tags, authors, feeds, sitemaps, search) LISTS.
SITE = "site"
LISTS = "list"
# Every article page lists the newest stories beside it: purged when articles change, not when
# comments do (which purge LISTS, for the counts on list cards).
LATEST = "latest"
# The wide keys above are purged softly (deploy/: copies stay for stale-if-error). A page that
# shows a story's headline without being its page (a list, a feed, search results, another
# article's rail) also carries the story's listed_key(), and a sitemap, which names too many
# stories to carry a key for each, ALL_LISTED (and so does a page past a CDN's limit, in
# newsportal.middleware): a takedown or an edit of the story's words purges those for good, so
# no outage brings a pulled story or an old headline back from a stale list.
ALL_LISTED = "listed-all"
# The corrections page (articles.views.corrections): purged by every write to a correction.
CORRECTIONS = "corrections"
# Statuses RFC 9111 lets a shared cache keep by default; anything else is never shared.
_SHAREABLE_STATUSES = {200, 301, 404, 410}
# The first path segments of the admin and of the comment endpoints (status pages, mailed links,
# form posts), as newsportal/urls.py mounts them: whatever is answered there, an error page
# included, belongs to one reader. (The Varnish in deploy/ passes them; a CDN might not.)
PERSONAL_PATHS = ("admin", "comments")


def article_key(pk: int) -> str:
    return f"article-{pk}"


def listed_key(pk: int) -> str:
    return f"listed-{pk}"


def section_key(pk: int) -> str:
    return f"section-{pk}"


def tag_key(pk: int) -> str:
    return f"tag-{pk}"


def breaking_key(pk: int) -> str:
    """A breaking-news strip's key, on every page that shows it: purged for good when its words
    change or it ends, so no outage brings back a strip the newsroom took down."""
    return f"breaking-{pk}"


def media_key(name: str) -> str:
    """One stored media file's key (its name may hold what a key may not): a replaced or
    deleted picture is purged from the front caches, as pages are."""
    return "media-" + hashlib.blake2b(name.encode(), digest_size=8).hexdigest()


def is_personal(request) -> bool:
    """A reader with a session (signed in) or a flash message waiting gets a page of their own.
    Checked on cookies, not request.user, so an anonymous page never touches the session (and
    never gets `Vary: Cookie`, which would keep CDNs from sharing it)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or has_flash_message(request)


def has_flash_message(request) -> bool:
    """A message waits for this reader (the promise after posting, their status link)."""
    return CookieStorage.cookie_name in request.COOKIES


def signed_in_user(request):
    """The signed-in user, or None, without loading a session that is not there."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = request.user
    return user if user.is_authenticated else None


def is_personal_path(request) -> bool:
    return request.path_info.lstrip("/").split("/", 1)[0] in PERSONAL_PATHS


def mark_personal(response):
    add_never_cache_headers(response)  # no-store and private: no cache may keep it
    return response


def personal_page(response):
    """A page for one reader alone (a mailed link, a status or report page): never stored,
    never indexed."""
    response["X-Robots-Tag"] = "noindex"
    return mark_personal(response)


def mark_shared(request, response, *keys: str, moves_with_keys: bool = False):
    """Let shared caches keep this response for EDGE_CACHE_SECONDS, purged by these keys; or,
    when it belongs to one reader after all, let nobody keep it. `moves_with_keys`: a 302 too,
    for an address whose target follows from rows alone and moves only by writes that purge
    these keys (a live update's own); any other 302 (after a post, a sign-in) is someone's, and
    deploy/'s Varnish stores a 302 only when it comes public with keys."""
    shareable = _SHAREABLE_STATUSES | ({302} if moves_with_keys else set())
    if (
        is_personal(request)
        or is_personal_path(request)
        # The answer to a POST (even its 404) is the sender's.
        or request.method not in ("GET", "HEAD")
        or response.cookies
        or response.status_code not in shareable
    ):
        return mark_personal(response)
    keep, stale = settings.EDGE_CACHE_SECONDS, settings.EDGE_STALE_SECONDS
    changes_in = _seconds_until_change(request)
    if changes_in is not None and changes_in < keep:
        keep, stale = changes_in, 0  # the copy is not served past the change either
    patch_cache_control(
        response,
        public=True,
        # Browsers revalidate (a cheap 304 from the proxy); shared caches keep it.
        max_age=0,
        s_maxage=keep,
        stale_while_revalidate=stale,
        stale_if_error=settings.EDGE_STALE_IF_ERROR_SECONDS,
    )
    keys = (*keys, *getattr(request, "newsportal_keys", ()))
    response["Surrogate-Key"] = " ".join(dict.fromkeys((SITE, *keys)))
    # A feed's or sitemap's date is its newest story's: taking that story down moves the date
    # back, and a cache revalidating by date (If-Modified-Since) would keep the story. The
    # ETag, hashed from the content, says whether it changed.
    del response["Last-Modified"]
    return response


def also_keyed(request, *keys: str) -> None:
    """Add keys to the page mark_shared() marks, from deep inside a view it wraps (the stories
    a feed drawn by Django's Feed lists)."""
    request.newsportal_keys = (*getattr(request, "newsportal_keys", ()), *keys)


def shows_stories(request, *pks: int) -> None:
    """Other stories this page shows (an article's related ones): past a CDN's limit on keys,
    their article-<id> may be named by ALL_LISTED (newsportal.middleware.fewer_keys). A key the
    page did not say so of is never folded: its own article-<id> is what a comment approved or a
    correction purges, without ALL_LISTED."""
    request.newsportal_shown = (*getattr(request, "newsportal_shown", ()), *pks)


def changes_at(request, when) -> None:
    """Say that this page will change at `when` with no write to purge it (comments closing by
    the article's age): mark_shared() then lets shared caches keep it no longer."""
    earliest = getattr(request, "newsportal_changes_at", None)
    if when > timezone.now() and (earliest is None or when < earliest):
        request.newsportal_changes_at = when


def _seconds_until_change(request) -> int | None:
    when = getattr(request, "newsportal_changes_at", None)
    if when is None:
        return None
    # At least a second: s-maxage=0 would have the proxy pass every reader to the origin.
    return max(1, math.ceil((when - timezone.now()).total_seconds()))


def may_predate(when) -> bool:
    """Whether a fragment kept now may have been drawn before `when`, a change no write purged
    (fragments last FRAGMENT_CACHE_SECONDS)."""
    since = (timezone.now() - when).total_seconds()
    return 0 <= since < settings.FRAGMENT_CACHE_SECONDS


def shared(*keys: str):
    """View decorator: mark_shared() with fixed keys (lists, feeds, sitemaps, robots.txt)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return mark_shared(request, view(request, *args, **kwargs), *keys)

        return wrapped

    return decorator


def links_from_site_url(view):
    """Feeds, sitemaps and robots.txt write absolute links from the request's host and scheme.
    Their responses are shared by every reader, so they must name SITE_URL, whatever Host or
    X-Forwarded-Proto the reader who filled the cache happened to send."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        site = urlsplit(settings.SITE_URL)
        request.META["HTTP_HOST"] = site.netloc
        request.META["wsgi.url_scheme"] = site.scheme
        proxy_header = settings.SECURE_PROXY_SSL_HEADER
        if proxy_header:
            request.META[proxy_header[0]] = proxy_header[1] if site.scheme == "https" else ""
        return view(request, *args, **kwargs)

    return wrapped


def cached(name: str, keys: Iterable[str], make: Callable[[], T]) -> T:
    """What make() returns (a rendered fragment, a little data), shared by every reader through
    Django's cache until a service purges one of these keys (the same surrogate keys the edge
    is purged by) or FRAGMENT_CACHE_SECONDS pass. A cache outage costs the making, never the
    page. When what make() returns changes shape, change the name too: a deploy finds the old
    values still in the cache."""
    if not fragments_kept():
        return make()
    key = "frag:" + hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    generation_keys = [_generation_key(k) for k in keys]
    try:
        # One round trip: the fragment, stored with the generations it was made under, and the
        # generations now. They are read before make() reads the database, so a fragment made
        # from rows a write is about to change is stored under a generation that write drops.
        found = cache.get_many([key, *generation_keys])
        generations = [found.get(k) or _new_generation(k) for k in generation_keys]
    except Exception as exc:
        logger.warning("fragment cache unavailable: %s", type(exc).__name__)
        return make()
    stored = found.get(key)
    if stored is not None and stored[0] == generations:
        return stored[1]
    value = make()
    try:
        cache.set(key, (generations, value), settings.FRAGMENT_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("fragment cache unavailable: %s", type(exc).__name__)
    return value


def fragments_kept() -> bool:
    """Whether cached() keeps what it makes (only with a cache every process shares)."""
    return settings.FRAGMENT_CACHE_SECONDS > 0


def _generation_key(key: str) -> str:
    return f"gen:{key}"


def _new_generation(generation_key: str) -> str:
    # add(), not set(): when two processes start a generation at once, the first one's stands.
    token = secrets.token_hex(6)
    return token if cache.add(generation_key, token, None) else cache.get(generation_key, token)


def _drop_generations(keys) -> bool:
    try:
        cache.delete_many([_generation_key(key) for key in keys])
    except Exception as exc:
        logger.warning("fragment cache purge failed: %s", type(exc).__name__)
        return False
    return True


def purge(*keys: str) -> None:
    """Drop what shows these keys: Django's fragments at once and again after commit (so none
    is made again from rows about to change), and the front caches' pages after commit. A
    failed purge never fails the write: the worker sends it again (send_purge)."""
    keys = tuple(dict.fromkeys(keys))
    if not keys:
        return
    _drop_generations(keys)
    transaction.on_commit(lambda: _purge_after_commit(keys))


def _purge_after_commit(keys: tuple[str, ...]) -> None:
    # A fragment purge Redis missed (away, or slow past its 1 s timeout) left the old fragments
    # to be drawn into every page the front caches fetch again, for FRAGMENT_CACHE_SECONDS, and
    # those pages kept for EDGE_CACHE_SECONDS: the worker's purges drop the fragments too.
    fragments_dropped = _drop_generations(keys)
    if settings.FRONT_CACHE_PURGE_URLS:
        send_purge(keys, fragments=not fragments_dropped)
    elif not fragments_dropped:
        _purge_later(keys, [], delay=1, written=time.time(), fragments=True)


def send_purge(keys: tuple[str, ...], *, fragments: bool = False) -> None:
    """Purge the front caches now, and have the worker purge them again: soon, where a front
    cache could not be reached (restarting, say); and after every write, since a purge cannot
    drop what is not stored yet: a page drawn from the old rows as the write committed is
    stored after this purge, usually within milliseconds (dropped by the repeat after
    FRONT_CACHE_PURGE_SOON_SECONDS, within the 10 s a change may take to reach readers), at
    worst once the slowest page could be (FRONT_CACHE_PURGE_AGAIN_SECONDS)."""
    urls = list(settings.FRONT_CACHE_PURGE_URLS)
    written = time.time()
    failed = [url for url in urls if not purge_requests.send(url, keys)]
    if failed or fragments:
        # Fragments still to drop: every front cache again after them, since each may have
        # fetched pages drawn from those fragments meanwhile.
        again = urls if fragments else failed
        _purge_later(keys, again, delay=1, written=written, fragments=fragments)
    repeats = (settings.FRONT_CACHE_PURGE_SOON_SECONDS, settings.FRONT_CACHE_PURGE_AGAIN_SECONDS)
    for delay in repeats:
        if delay:
            _purge_later(keys, urls, delay=delay, written=written, fragments=fragments)


@task(queue_name="purge")
def purge_again(keys: list[str], urls: list[str], written: float, fragments: bool = False) -> str:
    still_kept = fragments and not _drop_generations(keys)
    failed = urls if still_kept else [url for url in urls if not purge_requests.send(url, keys)]
    waited = time.time() - written
    # Past EDGE_CACHE_SECONDS the pages have expired anyway; fragments live their own time.
    lives = settings.EDGE_CACHE_SECONDS
    if still_kept:
        lives = max(lives, settings.FRAGMENT_CACHE_SECONDS)
    if (failed or still_kept) and waited < lives:
        delay = min(max(waited, 1), 60)
        _purge_later(keys, failed, delay=delay, written=written, fragments=still_kept)
        return "retrying"
    return "given up" if failed or still_kept else "purged"


def _purge_later(keys, urls: list[str], *, delay: float, written: float, fragments=False) -> None:
    run_after = timezone.now() + timedelta(seconds=delay)
    run_at(run_after, purge_again, list(keys), urls, written, fragments)


def run_at(when, purge_task, *args, once: bool = False) -> None:
    """Have the worker run a purge task at this time; with `once`, unless the same one waits
    for the same time already (a scheduled story saved again and again is released once).
    Without a worker (make run) nothing would run it; and with the database away it cannot be
    queued: either way the pages expire within EDGE_CACHE_SECONDS (plus
    FRAGMENT_CACHE_SECONDS for fragments)."""
    if not purge_task.get_backend().supports_defer:
        return
    try:
        if once and _waiting(purge_task, when, args):
            return
        purge_task.using(run_after=when).enqueue(*args)
    except Exception as exc:
        logger.warning("purge not queued: %s", type(exc).__name__)


def _waiting(purge_task, when, args) -> bool:
    from django_tasks_db.models import DBTaskResult  # the queue's own model (settings.TASKS)

    return DBTaskResult.objects.filter(
        status="READY",
        task_path=purge_task.module_path,
        run_after=when,
        args_kwargs={"args": list(args), "kwargs": {}},
    ).exists()


def unpurged_front_caches_note() -> str:
    """For a command that promises a purge (purge_pages, strip_hero_metadata): what an operator
    must hear when FRONT_CACHE_PURGE_URLS is empty, as it is in a shell of their own (make
    serve sets it for gunicorn and the worker only), so the purge reached no front cache; ""
    when it names some."""
    if settings.FRONT_CACHE_PURGE_URLS:
        return ""
    return (
        "FRONT_CACHE_PURGE_URLS is empty: no front cache was purged. A front cache already "
        "running (make serve's Varnish) keeps serving its copies until they expire: pages for "
        f"up to {settings.EDGE_CACHE_SECONDS} s (EDGE_CACHE_SECONDS), "
        f"{settings.EDGE_STALE_SECONDS} s more while it fetches them again (EDGE_STALE_SECONDS)."
    )


# Where make serve's Varnish takes purges, for the notes above (PROXY_PURGE_PORT may move it).
SERVE_PURGE_URL = "http://127.0.0.1:<PORT + 2>/"
