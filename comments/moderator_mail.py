"""Mail to the moderators that comments wait for them: one mail to each, at most once per
COMMENTS_MODERATOR_MAIL_INTERVAL however many come in, and a reminder (`manage.py
remind_moderators`) for what came in while the interval held the mail back. The mail itself is
drawn by comments.notifications when the worker sends it."""

import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from comments.mail import queue_mail
from comments.models import Comment

logger = logging.getLogger(__name__)
THROTTLE_KEY = "comments:moderator-mail-sent"
LAST_SENT_KEY = "comments:moderator-mail-last-sent"
# A comment came into the queue (posted, edited back into the queue, hidden by reports) and its
# mail was held back by the interval, failed, or is yet to go: the reminder owes the moderators
# a mail, until one goes.
HELD_BACK_KEY = "comments:moderator-mail-held-back"
NOBODY_SAID_KEY = "comments:moderator-mail-nobody-said"
NOBODY_TO_MAIL = (
    "comments wait and no moderator is mailed: no active moderator or superuser has an e-mail "
    "address and COMMENTS_MODERATOR_EMAILS is empty (set it, or give a moderator an address)"
)


def moderator_addresses() -> list[str]:
    if settings.COMMENTS_MODERATOR_EMAILS:
        return list(settings.COMMENTS_MODERATOR_EMAILS)
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(groups__permissions__codename="moderate_comment")
            | Q(user_permissions__codename="moderate_comment")
            | Q(is_superuser=True)  # may moderate without being granted it
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(users)


def _cache_call(what: str, call) -> object:
    try:
        return call()
    except Exception as exc:
        # Better one mail too many than a queue nobody hears about.
        logger.warning("moderator mail %s unavailable: %s", what, type(exc).__name__)
        return None


def _throttle_allows() -> bool:
    interval = settings.COMMENTS_MODERATOR_MAIL_INTERVAL
    if not interval:
        return True
    allowed = _cache_call("throttle", lambda: cache.add(THROTTLE_KEY, 1, timeout=interval))
    return allowed is not False


def notify_moderators(*, owed: bool = False) -> bool:
    """Queue a mail to each moderator (one each: nobody sees the others' addresses) saying
    comments are waiting, at most once per COMMENTS_MODERATOR_MAIL_INTERVAL however many
    arrive. The queue retries while the mail server is away, so the interval is never lost to
    a failed send. Returns whether mail was queued. `owed`: the reminder was already told
    this mail is owed (after the commit), and only a mail sent since has taken that back."""
    claimed = False
    try:
        recipients = moderator_addresses()
        if not recipients:
            # Nothing fails that anyone sees: the queue just grows unannounced. Said in the log
            # once a day (and to superusers on the admin's front page): said for every comment
            # and every run of remind_moderators, it was a cron mail every five minutes. Cache
            # down: said.
            said = _cache_call("record", lambda: cache.add(NOBODY_SAID_KEY, 1, timeout=86400))
            if said is not False:
                logger.warning(NOBODY_TO_MAIL)
            return False
        if not _throttle_allows():
            # Told again here, a mail the reminder sent in between (about this comment, which
            # had committed) was followed by a second one, an interval later, about nothing new.
            if not owed:
                _cache_call("record", lambda: cache.set(HELD_BACK_KEY, True, None))
            return False
        claimed = True
        with transaction.atomic():  # one mail to each moderator, or none
            for address in recipients:
                queue_mail("moderators", 0, address)
    except Exception:
        # The reminder owes the mail: none was queued. The interval is given back if this
        # call took it (never another's: that mail went).
        if claimed:
            _cache_call("record", lambda: cache.delete(THROTTLE_KEY))
        _cache_call("record", lambda: cache.set(HELD_BACK_KEY, True, None))
        raise
    _cache_call("record", lambda: cache.set(LAST_SENT_KEY, time.time(), None))
    _cache_call("record", lambda: cache.delete(HELD_BACK_KEY))
    return True


def notify_moderators_on_commit() -> None:
    """notify_moderators once the change that makes a comment wait has committed. Called
    inside it, a change rolled back (a reply whose comment was deleted meanwhile, refused at
    its commit) used up the interval for a comment that never was, and the next one's mail
    was held back. The mail is queued in its own transaction after the commit; a failure there
    is logged (robust), never a server error for a comment that is saved, and leaves the
    reminder owing the mail. The reminder is told first, in the callback before the mail's
    (HELD_BACK_KEY, taken back when the mail goes): it looks only at comments posted since the
    last mail, and a comment edited back into the queue or hidden by reports, whose mail was
    lost to a failure (or a crash) after the commit, was posted before it. After the commit,
    not before: a change rolled back had the next reminder mail about nothing new."""
    transaction.on_commit(_owe_the_mail, robust=True)
    transaction.on_commit(_send_the_owed_mail, robust=True)


def _owe_the_mail() -> None:
    _cache_call("record", lambda: cache.set(HELD_BACK_KEY, True, None))


def _send_the_owed_mail() -> None:
    notify_moderators(owed=True)


def remind_moderators() -> bool:
    """For a scheduler (`manage.py remind_moderators` every few minutes): a comment that came
    into the queue while mail was held back by the interval gets its mail once the interval is
    over. Nothing is sent when nothing came in since the last mail."""
    held_back = _cache_call("record", lambda: cache.get(HELD_BACK_KEY))
    last_sent = _cache_call("record", lambda: cache.get(LAST_SENT_KEY))
    waiting = Comment.objects.pending()
    if last_sent and not held_back:
        # Without the cache's word (restarted meanwhile), what was posted since the last mail.
        waiting = waiting.filter(created_at__gt=datetime.fromtimestamp(last_sent, UTC))
    return waiting.exists() and notify_moderators()
