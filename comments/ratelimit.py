"""Per-IP rate limit and flood interval in Django's cache: shared by every server process when
the cache is Redis. An IPv6 sender is its /64, and its /48 has a looser bucket of its own
(NETWORK_FACTOR). A cache outage lets comments through (and is logged): the queue is moderated
anyway, so failing open costs a little spam, never a reader's comment. A limit that bounds mail
to other people's addresses is asked with fail_open=False instead (django-ratelimit's default):
while the cache is away, its posts wait."""

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from newsportal.env import canonical_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds
    unavailable: bool = False  # not counted: the cache is away
    counted: tuple[str, ...] = ()  # the places it took, for give_back()

    @property
    def wait(self) -> str:
        """The wait as readers are told it: "1 second", "40 seconds", and past two minutes in
        whole minutes, rounded up ("26 minutes", not "1541 seconds"), past two hours in hours."""
        if self.retry_after > 7200:
            return f"{-(-self.retry_after // 3600)} hours"
        if self.retry_after > 120:
            return f"{-(-self.retry_after // 60)} minutes"
        return f"{self.retry_after} second{'' if self.retry_after == 1 else 's'}"


ALLOWED = Verdict(True)
# A minute: Redis back from a restart, or the operator alarmed by /healthz's "cache": "down".
UNAVAILABLE = Verdict(False, 60, unavailable=True)


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or, for a request from our own proxy, the address it wrote into the
    configured header (anyone else could write anything there). A proxy reaching gunicorn on
    a unix socket leaves REMOTE_ADDR empty; only a process on this machine can use that
    socket, so it is believed too (else every reader would escape the limits)."""
    peer = request.META.get("REMOTE_ADDR", "")
    remote = canonical_ip(peer)
    header = settings.COMMENTS_CLIENT_IP_HEADER
    if header and (remote in settings.TRUSTED_PROXY_IPS or not peer):
        # The rightmost entry is the one our proxy wrote; anything left of it is hearsay.
        written = canonical_ip(request.headers.get(header, "").split(",")[-1].strip())
        return written or remote
    return remote


def login_sender(request) -> str | None:
    """Whom django-axes counts admin logins by (AXES_CLIENT_IP_CALLABLE): an IPv6 client by
    its /64, named by the network's first address (axes keeps an address), so twelve addresses
    of one subscriber are one sender, not twelve. (Axes counts one address per attempt, so no
    /48 bucket here: the username's own lockout and the proxy's /48 throttle on posts bound a
    walk through a /48's /64s; README, "Limits for IPv6 networks".)"""
    ip = client_ip(request)
    return sender(ip).removesuffix("/64") if ip else ip


def sender(ip: str) -> str:
    """Who an address stands for: itself, or for IPv6 its /64, which one subscriber is
    usually handed whole (so a bot cannot walk through its own addresses)."""
    address = ipaddress.ip_address(ip)
    if address.version == 6 and not address.ipv4_mapped:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# A home is often handed a /56 and a tunnel broker hands anyone a /48 for free: 65,536 /64s,
# each a fresh sender. So every limit per sender also counts the sender's /48, at this many
# times its limit: looser than an office or campus behind one IPv4 address gets (one bucket),
# so a /48 a few households or a small firm share is not held back by one of them, while a
# bot with a whole /48 gets four senders' worth, not 65,536. (An ISP handing out /56s puts up
# to 256 homes in one /48: they share four senders' worth, as a carrier-grade NAT's customers
# share one. README, "Limits for IPv6 networks"; the proxy's throttles do the same.)
NETWORK_FACTOR = 4


def sender_network(ip: str) -> str | None:
    """The /48 an IPv6 sender's /64 lies in (None for IPv4, counted as itself alone)."""
    address = ipaddress.ip_address(ip)
    if address.version == 6 and not address.ipv4_mapped:
        return str(ipaddress.ip_network(f"{address}/48", strict=False))
    return None


def _key(kind: str, value: str) -> str:
    digest = hashlib.blake2b(value.lower().encode(), digest_size=12).hexdigest()
    return f"comments:{kind}:{digest}"


def hit_rate_limit(
    ip: str | None, *, kind: str = "rate", limit: int = 0, window: int = 0, fail_open: bool = True
) -> Verdict:
    """Count one comment (or another kind of post) from this IP in a fixed window; refuse
    above the limit (COMMENTS_RATE_LIMIT per COMMENTS_RATE_WINDOW_SECONDS unless given), or
    above NETWORK_FACTOR times it from the IPv6 sender's /48, and, unless fail_open, while the
    cache cannot count (UNAVAILABLE)."""
    if not ip:
        return ALLOWED
    window = window or settings.COMMENTS_RATE_WINDOW_SECONDS
    limit = limit or settings.COMMENTS_RATE_LIMIT
    verdict = _count(kind, sender(ip), limit=limit, window=window, fail_open=fail_open)
    network = sender_network(ip)
    if not verdict.allowed or network is None:
        return verdict
    # Only what its /64 let through counts for the /48: one /64 sending on and on, refused,
    # uses up its own share, never its neighbours'.
    wider = limit * NETWORK_FACTOR
    counted = _count(f"{kind}-48", network, limit=wider, window=window, fail_open=fail_open)
    if not counted.allowed:  # with the /64's place, for a caller that gives it back
        return Verdict(False, counted.retry_after, counted.unavailable, verdict.counted)
    return Verdict(True, counted=verdict.counted + counted.counted)


def give_back(verdict: Verdict) -> None:
    """The places hit_rate_limit() took for a comment that was not stored after all (comments
    closed while it was on its way, the database gone): the reader's next try may have it."""
    for key in verdict.counted:
        try:
            cache.decr(key)
        except Exception as exc:  # expired with its window, or the cache away: nothing to give
            logger.warning("comment limit's place not given back: %s", type(exc).__name__)


def hit_inbox_limit(mailbox: str, *, kind: str, limit: int, window: int) -> Verdict:
    """Count one ask about this inbox (comments.models.commenter.mailbox_of), whoever asks
    from wherever: a limit per IP alone lets a stranger rotating addresses have one inbox
    mailed as often as the mail's own limit allows. Refused while the cache cannot count.
    Keyed (an erase promises no trace of the address: a plain hash of it in Redis for the day
    would name it to whoever tries it)."""
    keyed = salted_hmac("comments.inbox-limit", mailbox, algorithm="sha256").hexdigest()
    return _count(kind, keyed, limit=limit, window=window, fail_open=False)


def _count(kind: str, who: str, *, limit: int, window: int, fail_open: bool) -> Verdict:
    """One more in this fixed window (a day's starts at midnight UTC); refused above limit."""
    now, window_start = _window(window)
    key = _window_key(kind, who, window_start)
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except Exception as exc:
        said = "letting it through" if fail_open else "refusing it"
        logger.warning("comment %s limit unavailable, %s: %s", kind, said, type(exc).__name__)
        return ALLOWED if fail_open else UNAVAILABLE
    if count > limit:
        return Verdict(False, max(1, window_start + window - now))
    return Verdict(True, counted=(key,))


def _window(window: int) -> tuple[int, int]:
    """Now, and when the fixed window it lies in began (a day's at midnight UTC)."""
    now = int(time.time())
    return now, now - now % window


def _window_key(kind: str, who: str, window_start: int) -> str:
    return _key(kind, f"{who}:{window_start}")


def check_flood(*, ip: str | None, email: str) -> Verdict:
    """At most one comment per COMMENTS_FLOOD_SECONDS from one IP or one e-mail address (""
    for none), and NETWORK_FACTOR from one IPv6 /48 (a place each, held for the interval).
    The wait told is the whole interval, whichever held the post back: anyone may type
    anyone's address, and the time left would tell them the second its owner last posted."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if not seconds:
        return ALLOWED
    keys = _flood_keys(ip=ip, email=email)
    now = int(time.time())
    claimed = []
    try:
        # In one order, each key only once the one before it is ours: of two posts at once,
        # one goes (not both refused, each holding one key); and a refused post gives back
        # what it claimed, so it starts no wait of its own.
        for key in keys:
            if not cache.add(key, now, timeout=seconds):
                cache.delete_many(claimed)
                return Verdict(False, seconds)
            claimed.append(key)
        network_places = _network_flood_keys(ip)
        if network_places and not any(cache.add(k, now, timeout=seconds) for k in network_places):
            cache.delete_many(claimed)
            return Verdict(False, seconds)
    except Exception as exc:
        logger.warning(
            "comment flood check unavailable, letting it through: %s", type(exc).__name__
        )
    return ALLOWED


def release_flood(*, ip: str | None, email: str) -> None:
    """Gives back the wait check_flood() started, for a post that was not stored after all
    (comments closed while it was on its way, the database gone): the reader's next try is not
    told to wait. Of its /48's places, the last one taken: the one it took may be another
    post's by now, but the /48 holds as many as it should."""
    if not settings.COMMENTS_FLOOD_SECONDS:
        return
    try:
        taken = [key for key in _network_flood_keys(ip) if cache.get(key) is not None]
        cache.delete_many(_flood_keys(ip=ip, email=email) + taken[-1:])
    except Exception as exc:
        logger.warning("comment flood wait not given back: %s", type(exc).__name__)


def _flood_keys(*, ip: str | None, email: str) -> list[str]:
    """email "": none for the address (its owner's own browser, comments.views)."""
    by_email = [_key("flood-email", email)] if email else []
    return by_email + ([_key("flood-ip", sender(ip))] if ip else [])


def _network_flood_keys(ip: str | None) -> list[str]:
    """The places of an IPv6 sender's /48 in the flood interval, in the order they are taken."""
    network = sender_network(ip) if ip else None
    if network is None:
        return []
    return [_key("flood-48", f"{network}:{place}") for place in range(NETWORK_FACTOR)]


# A double click without JavaScript sends the form twice, and the browser shows only the second
# answer: the first one's success and status link are lost with it. The same words from the same
# browser (its CSRF cookie, which no other browser has) within a minute are that one post, so
# the second answer says what the first would have.
DOUBLE_POST_SECONDS = 60
ON_ITS_WAY = 0


def post_key(request, article_id: int, parent_id: int | None, body: str) -> str:
    browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    post = f"{article_id}:{parent_id or ''}:{browser}:{body.strip()}"
    return _key("post", post) if browser else ""


def note_post(key: str, comment_id: int = ON_ITS_WAY) -> None:
    """The post is on its way (checked, being stored), or stored as this comment."""
    _try_cache(lambda: key and cache.set(key, comment_id, timeout=DOUBLE_POST_SECONDS))


def forget_post(key: str) -> None:
    """Not stored after all: a second press is a new try."""
    _try_cache(lambda: key and cache.delete(key))


def stored_as(key: str, *, wait: float = 0) -> int | None:
    """The comment this post was stored as; while the first press is still on its way, waits up
    to `wait` seconds for it (None: not stored, or not by this browser)."""
    deadline = time.monotonic() + wait
    while key:
        value = _try_cache(lambda: cache.get(key))
        if value != ON_ITS_WAY or time.monotonic() >= deadline:
            return value or None
        time.sleep(0.1)
    return None


# Delete pressed twice (a double click without JavaScript, or Back and Delete again): the first
# press deleted the comment, and the second, finding its link spent, said "This link no longer
# works", as if the delete had failed. The browser that deleted it (its CSRF cookie, which no
# other browser has) and the comment's number, hashed, are kept for an hour with the article's,
# so that its next press is answered as its first was; anyone else's press, as before.
DELETED_HERE_SECONDS = 3600


def delete_key(request, comment_id: int) -> str:
    browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return _key("deleted", f"{comment_id}:{browser}") if browser else ""


def note_deleted(key: str, *, article_id: int) -> None:
    _try_cache(lambda: key and cache.set(key, article_id, timeout=DELETED_HERE_SECONDS))


def forget_deleted(key: str) -> None:
    """Not deleted after all (its transaction failed): a next press deletes."""
    _try_cache(lambda: key and cache.delete(key))


def deleted_from(key: str) -> int | None:
    """The article of the comment this browser deleted (None: not by this browser, lately)."""
    return (_try_cache(lambda: cache.get(key)) if key else None) or None


# The erase link's button pressed twice (a double click without JavaScript): the first press
# erased the comments and the address, so the second found nothing and said "This link no
# longer works", as if the erase had failed (opened again, the link is spent, as it says). The
# link (hashed), which only its holder has, is kept for an hour with how many comments its
# erase took, and answered so again.
ERASED_SECONDS = 3600


def erase_key(token: str) -> str:
    return _key("erased", token)


def note_erased(key: str, *, count: int) -> bool:
    """What this press erased, for the link's next press: a press that waited on it erases
    none and keeps its count (cache.add); one that erased some (the link used again on words
    written since: an address whose mail was stopped keeps its row) says its own. False: not
    noted by this press."""
    if count:
        noted = _try_cache(lambda: key and (cache.set(key, count, timeout=ERASED_SECONDS) or 1))
        return bool(noted)
    return bool(_try_cache(lambda: key and cache.add(key, count, timeout=ERASED_SECONDS)))


# The cache did not answer: whether this link erased, and how many, is not known here.
NOT_KNOWN = -1


def erased_by(key: str) -> int | None:
    """How many comments this link's erase took (None: it erased nothing lately; NOT_KNOWN:
    the cache is away, and the first press's count with it)."""
    return _try_cache(lambda: cache.get(key), failed=NOT_KNOWN) if key else None


def _try_cache(work, *, failed=None):
    try:
        return work()
    except Exception as exc:  # the answer is only less helpful: never cost a comment for it
        logger.warning("double post check unavailable: %s", type(exc).__name__)
        return failed


# Two allowances for comment posts, on the same shared cache. Comments stored count in
# COMMENTS_RATE_LIMIT per window (comments.views counts one as it is stored); every post of the
# form, whatever became of it, counts in TRIES_FACTOR times as many. Counting every post alike
# cost a reader one comment of the window for each form sent back with errors (no e-mail, the
# text too long, "That was quick!"), until a lively discussion locked them out having published
# far fewer; now their mistakes come out of the larger allowance only: twenty posts beside five
# comments leave a reader room for fifteen mistakes in ten minutes, while a bot that never gets
# the form right is still refused after twenty. Not a fraction of a comment per error: that
# would still lock out one who erred sooner than one who did not.
TRIES_FACTOR = 4


def hit_tries_limit(ip: str | None) -> Verdict:
    """Count one post of the comment form, sent back or not (its own /48 bucket too)."""
    return hit_rate_limit(ip, kind="tries", limit=settings.COMMENTS_RATE_LIMIT * TRIES_FACTOR)


def hit_report_limit(ip: str | None) -> Verdict:
    """Reports from one address: a reader flags a few comments, a bot flags them all."""
    return hit_rate_limit(
        ip,
        kind="report",
        limit=settings.COMMENTS_REPORT_LIMIT,
        window=settings.COMMENTS_REPORT_WINDOW_SECONDS,
    )
