"""Helpers for the mail tests: run the mail queue as the worker does, look at what is queued,
confirm an address, and a tiny SMTP server on 127.0.0.1 that refuses connections until it is
started (nothing listens on its port before). Loaded as a pytest plugin (tests/conftest.py)
for the `smtp` fixture."""

import signal
import socketserver
import threading
from email import message_from_bytes
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import CommenterAddress
from tests.ports import free_port

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_mail_queue(queue_name: str = "mail") -> None:
    """`manage.py db_worker --batch`: send every mail (or run every task of another queue)
    that is due, then stop."""
    saved = {signum: signal.getsignal(signum) for signum in SIGNALS}
    # A test runs inside one transaction; the worker's check for stale connections between
    # tasks would close it (PostgreSQL), so it is left out here.
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker",
                queue_name=queue_name,
                batch=True,
                reload=False,
                startup_delay=False,
                interval=0,
                verbosity=0,
            )
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def queued(kind: str | None = None) -> list[dict]:
    """The mails waiting in the queue (kind, ref, to, attempt), oldest first."""
    rows = DBTaskResult.objects.filter(status="READY", queue_name="mail").order_by("enqueued_at")
    found = []
    for row in rows:
        args = row.args_kwargs["args"]
        entry = dict(zip(["kind", "ref", "to", "attempt"], [*args, 1][:4], strict=False))
        entry["run_after"] = row.run_after
        if kind is None or entry["kind"] == kind:
            found.append(entry)
    return found


def make_due() -> None:
    """The backoff has passed: every waiting retry is due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def verify(email: str) -> CommenterAddress:
    address, _ = CommenterAddress.objects.update_or_create(
        email=email, defaults={"verified_at": timezone.now()}
    )
    return address


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 tiny-smtp ready")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                self.reply("250 tiny-smtp")
            elif command == b"MAIL":
                sender, recipients = line.decode().strip(), []
                self.reply("250 OK")
            elif command == b"RCPT":
                address = line.decode().split(":", 1)[1].strip().strip("<>")
                if address in self.server.refuse:
                    self.reply("550 no such user")
                    continue
                if address in self.server.greylist:
                    self.reply("451 4.7.1 greylisted, try again later")
                    continue
                recipients.append(address)
                self.reply("250 OK")
            elif command == b"DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append((sender, recipients, message_from_bytes(data)))
                self.reply("250 queued")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class TinySMTP:
    def __init__(self):
        self.port = free_port()
        self.received = []
        self.refuse = set()  # addresses answered 550
        self.greylist = set()  # addresses answered 451 ("try again later")
        self._server = None

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.received = self.received
        self._server.refuse = self.refuse
        self._server.greylist = self.greylist
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def recipients(self) -> list[str]:
        return sorted(address for _, rcpts, _ in self.received for address in rcpts)


@pytest.fixture
def smtp(settings):
    """Mail goes by SMTP to a TinySMTP, which refuses connections until smtp.start()."""
    server = TinySMTP()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()
