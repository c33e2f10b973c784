"""E-mail about comments. Mail is a courtesy: a failure is logged (without the reader's address
or words) and never costs or blocks a comment. No subject carries reader-written text, so
nothing a reader types can reach a mail header."""

import contextlib
import logging
import time
from datetime import UTC, datetime
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from comments.models import Comment

logger = logging.getLogger(__name__)
THROTTLE_KEY = "comments:moderator-mail-sent"
LAST_SENT_KEY = "comments:moderator-mail-last-sent"


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


def _throttle_allows() -> bool:
    interval = settings.COMMENTS_MODERATOR_MAIL_INTERVAL
    if not interval:
        return True
    try:
        return cache.add(THROTTLE_KEY, 1, timeout=interval)
    except Exception as exc:
        # Better one mail too many than a queue nobody hears about.
        logger.warning("moderator mail throttle unavailable: %s", type(exc).__name__)
        return True


def _cache_call(what: str, call) -> object:
    try:
        return call()
    except Exception as exc:
        logger.warning("moderator mail %s unavailable: %s", what, type(exc).__name__)
        return None


def notify_moderators() -> bool:
    """Tell moderators comments are waiting: at most one mail per interval, however many.
    Returns whether a mail went out."""
    try:
        recipients = moderator_addresses()
        if not recipients or not _throttle_allows():
            return False
        context = {
            "pending": Comment.objects.pending().count(),
            "queue_url": settings.SITE_URL + reverse("admin:comments_comment_changelist"),
            "site_name": settings.SITE_NAME,
        }
        try:
            send_mail(
                f"[{settings.SITE_NAME}] Comments are waiting for review",
                render_to_string("comments/email/moderators.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        except Exception:
            # A mail that did not go out must not keep the next one back for a whole interval.
            _cache_call("throttle", lambda: cache.delete(THROTTLE_KEY))
            raise
        _cache_call("record", lambda: cache.set(LAST_SENT_KEY, time.time(), None))
        return True
    except Exception as exc:
        logger.error("moderator mail failed: %s", type(exc).__name__)
        return False


def remind_moderators() -> bool:
    """For a scheduler (`manage.py remind_moderators` every few minutes): a comment that came in
    while mail was held back by the interval gets its mail once the interval is over. Nothing
    is sent when every waiting comment arrived before the last mail."""
    last_sent = _cache_call("record", lambda: cache.get(LAST_SENT_KEY))
    waiting = Comment.objects.pending()
    if last_sent:
        waiting = waiting.filter(created_at__gt=datetime.fromtimestamp(last_sent, UTC))
    return waiting.exists() and notify_moderators()


def notify_commenters(comment_ids) -> None:
    """Tell commenters who asked that their comment was approved or rejected (never spam).

    One SMTP connection for the whole batch, and a broken server stops it at the first failure:
    a bulk decision never waits out one timeout per comment."""
    comments = Comment.objects.filter(
        pk__in=list(comment_ids),
        notify_on_decision=True,
        status__in=[Comment.Status.APPROVED, Comment.Status.REJECTED],
    ).select_related("article")
    mails = [
        (
            comment.pk,
            EmailMessage(
                f"[{settings.SITE_NAME}] Your comment has been reviewed",
                render_to_string(
                    "comments/email/decision.txt",
                    {
                        "comment": comment,
                        "site_name": settings.SITE_NAME,
                        "status_url": settings.SITE_URL + comment.status_url,
                        "article_url": settings.SITE_URL + comment.article.get_absolute_url(),
                    },
                ),
                settings.DEFAULT_FROM_EMAIL,
                [comment.email],
            ),
        )
        for comment in comments
    ]
    if not mails:
        return
    try:
        connection = get_connection()
        connection.open()
    except Exception as exc:
        logger.error(
            "decision mail: no connection, %d not sent: %s", len(mails), type(exc).__name__
        )
        return
    try:
        for sent, (pk, message) in enumerate(mails):
            try:
                connection.send_messages([message])
            except SMTPRecipientsRefused:
                logger.error("decision mail for comment %s failed: recipient refused", pk)
            except Exception as exc:
                logger.error(
                    "decision mail for comment %s failed: %s; %d more not sent",
                    pk,
                    type(exc).__name__,
                    len(mails) - sent - 1,
                )
                return
    finally:
        with contextlib.suppress(Exception):
            connection.close()
