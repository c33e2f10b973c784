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
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comments.batching import batches
from newsportal.redaction import redact

logger = logging.getLogger(__name__)
RETRY_CAP_SECONDS = 3600


class MailNotSent(Exception):
    pass


def _reason(exc: Exception) -> str:
    """The exception with its message (the server's reply, a missing setting), which is what
    tells an operator what to fix; readers' addresses it names (a refused recipient) redacted,
    as the line is also kept in the task row."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # Its text is the dict of refused addresses: their replies alone say why.
        replies = exc.recipients.values()
        message = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in replies)
    else:
        message = str(exc)
    message = redact(message).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _fail(message: str):
    logger.error(message)
    raise MailNotSent(message) from None


def queue_mail(kind: str, ref: int = 0, to: str = "") -> None:
    """Queue one mail. With the database backend the row joins the caller's transaction (a
    rolled-back change mails nobody); the immediate backend (`make run`) sends after commit."""
    if isinstance(deliver.get_backend(), DatabaseBackend):
        deliver.enqueue(kind, ref, to)
    else:
        transaction.on_commit(lambda: deliver.enqueue(kind, ref, to))


def _waiting(kind: str, refs):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,  # a retry waiting for its time too
        task_path=deliver.module_path,
        args_kwargs__args__0=kind,
        args_kwargs__args__1__in=refs,
    )


def drop_queued(kind: str, *refs: int) -> int:
    """Mail of this kind about these rows, still waiting to go: a newer one replaces it (a
    decision undone and made again would be told twice). One DELETE for a batch of rows (an
    erase names every comment of the address: comments.batching)."""
    if not refs or not isinstance(deliver.get_backend(), DatabaseBackend):
        return 0
    return sum(_waiting(kind, batch).delete()[0] for batch in batches(refs))


def drop_queued_of(kind: str, *refs: int) -> set[int]:
    """drop_queued, saying which of the rows had mail waiting (its writer was never told, and
    needs no mail that takes it back): two queries however many rows. In the caller's
    transaction: the rows read are locked, so a worker never sends one reported dropped."""
    if not refs or not isinstance(deliver.get_backend(), DatabaseBackend):
        return set()
    waiting = _waiting(kind, refs).select_for_update().values_list("pk", "args_kwargs__args__1")
    waiting = dict(waiting)
    if waiting:
        DBTaskResult.objects.filter(pk__in=list(waiting)).delete()
    return set(waiting.values())


def retry_delay(attempt: int) -> int:
    """Seconds before attempt + 1: doubling from MAIL_RETRY_SECONDS, at most an hour."""
    return min(RETRY_CAP_SECONDS, settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


def _is_transient(exc: Exception) -> bool:
    """The server is away or busy (connection refused, timeout, 4xx: greylisting, a full
    mailbox), our own login refused (the operator fixes the password, then the queue goes out),
    or the database for a moment (a restart, a failover): worth another try.
    A recipient refused for good, a 5xx or an address that cannot be written (a ValueError,
    such as an encoded word hiding a line break) is not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | OSError | OperationalError)


@task(queue_name="mail", takes_context=True)
def deliver(context, kind: str, ref: int, to: str = "", attempt: int = 1) -> str:
    from comments.letters import build_mail

    try:
        # Drawn from the database: a database that is away for a moment is retried too. When
        # it was queued tells a privacy link its owner asked for after stopping all mail from
        # one queued before the stop (which the stop cancels).
        message = build_mail(kind, ref, to, context.task_result.enqueued_at)
        if message is None:
            return "nothing to send"
        message.send()
    except Exception as exc:
        # Refused for good or given up: logged, and the task row ends FAILED, where
        # `requeue_mail --failed` finds it once the server is fixed.
        if not _is_transient(exc):
            _fail(f"{kind} mail {ref} not sent: {_reason(exc)}")
        if attempt >= settings.MAIL_MAX_ATTEMPTS or not deliver.get_backend().supports_defer:
            _fail(f"{kind} mail {ref} given up after {attempt} attempts: {_reason(exc)}")
        if isinstance(exc, OperationalError) and not connection.in_atomic_block:
            # The worker runs tasks outside a transaction: a broken connection is dropped, so
            # the retry below is queued on a fresh one.
            connection.close_if_unusable_or_obsolete()
        delay = retry_delay(attempt)
        deliver.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            kind, ref, to, attempt + 1
        )
        logger.warning(
            "%s mail %s not sent (%s): attempt %d in %d s",
            kind,
            ref,
            _reason(exc),
            attempt + 1,
            delay,
        )
        return "retrying"
    return "sent"


def requeue_stale(*, minutes: int) -> int:
    """Mail tasks a worker started more than `minutes` ago and never finished: the worker was
    killed mid-send (a deploy, the OOM killer). django-tasks leaves them RUNNING for good (it
    has no stock way back), so cron puts them back in the queue (`manage.py requeue_mail`).
    A mail that did leave before the worker died goes twice: better than never."""
    before = timezone.now() - timedelta(minutes=minutes)
    stale = DBTaskResult.objects.running().filter(started_at__lt=before)
    return _requeue(stale)


def requeue_failed(*, days: int) -> int:
    """Mail refused or given up within the last `days` days, for one more try each (after the
    mail server or its settings were fixed: `manage.py requeue_mail --failed`)."""
    since = timezone.now() - timedelta(days=days)
    return _requeue(DBTaskResult.objects.failed().filter(finished_at__gte=since))


def _requeue(results) -> int:
    return results.filter(task_path=deliver.module_path).update(
        status=TaskResultStatus.READY, run_after=timezone.now(), started_at=None, finished_at=None
    )
