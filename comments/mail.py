"""The mail queue. Every mail is its own task row, written in the transaction of the change that
causes it (django-tasks' database backend), and sent by `manage.py db_worker`: a web request
never waits on the mail server, a mail server that is away delays mail instead of losing it,
and one address the server refuses never stops another mail.

A task names what to tell (a kind and a row id), not the words: the mail is drawn when it is
sent, so a comment erased meanwhile is never mailed about, and no reader's address or text
sits in the queue.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import BadHeaderError
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)
RETRY_CAP_SECONDS = 3600


def queue_mail(kind: str, ref: int = 0, to: str = "") -> None:
    """Queue one mail. With the database backend the row joins the caller's transaction (a
    rolled-back change mails nobody); the immediate backend (`make run`) sends after commit."""
    if isinstance(deliver.get_backend(), DatabaseBackend):
        deliver.enqueue(kind, ref, to)
    else:
        transaction.on_commit(lambda: deliver.enqueue(kind, ref, to))


def retry_delay(attempt: int) -> int:
    """Seconds before attempt + 1: doubling from MAIL_RETRY_SECONDS, at most an hour."""
    return min(RETRY_CAP_SECONDS, settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


def _is_transient(exc: Exception) -> bool:
    """The server is away or busy (connection refused, timeout, 4xx): worth another try.
    A refused recipient, a 5xx or an address that cannot be written is not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | OSError)


@task(queue_name="mail")
def deliver(kind: str, ref: int, to: str = "", attempt: int = 1) -> str:
    from comments.notifications import build_mail

    message = build_mail(kind, ref, to)
    if message is None:
        return "nothing to send"
    try:
        message.send()
    except (BadHeaderError, ValueError, UnicodeError) as exc:
        # An address no mail can carry (e.g. an encoded word hiding a line break).
        logger.error("%s mail %s not sent: %s", kind, ref, type(exc).__name__)
        return "refused"
    except Exception as exc:
        if not _is_transient(exc):
            logger.error("%s mail %s not sent: %s", kind, ref, type(exc).__name__)
            return "refused"
        if attempt >= settings.MAIL_MAX_ATTEMPTS or not deliver.get_backend().supports_defer:
            logger.error(
                "%s mail %s given up after %d attempts: %s", kind, ref, attempt, type(exc).__name__
            )
            return "given up"
        delay = retry_delay(attempt)
        deliver.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            kind, ref, to, attempt + 1
        )
        logger.warning(
            "%s mail %s not sent (%s): attempt %d in %d s",
            kind,
            ref,
            type(exc).__name__,
            attempt + 1,
            delay,
        )
        return "retrying"
    return "sent"
