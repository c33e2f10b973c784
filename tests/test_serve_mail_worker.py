"""`make serve`'s mail worker for real: started exactly as deploy/serve.py starts it beside
gunicorn, on its own SQLite file, against a mail server that refuses connections at first and
then accepts: the queued mail arrives once, and SIGTERM stops the worker cleanly."""

import subprocess
import sys
import time
from pathlib import Path

from deploy import serve
from tests.mail_helpers import TinySMTP

BASE_DIR = Path(__file__).resolve().parent.parent
QUEUE_A_MAIL = (
    "from comments.models import CommenterAddress; from comments.mail import queue_mail; "
    "queue_mail('confirm', CommenterAddress.objects.create(email='maria@example.com').pk)"
)


def manage(env, *args):
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_the_worker_serve_starts_delivers_queued_mail_once_after_the_server_comes_back(
    tmp_path, monkeypatch
):
    smtp = TinySMTP()
    for name in ("DJANGO_DEBUG", "MAIL_QUEUE", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    # The site's own settings (with locmem mail, the tests' would send nothing anywhere).
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(smtp.port))
    monkeypatch.setenv("EMAIL_TIMEOUT", "2")
    monkeypatch.setenv("MAIL_RETRY_SECONDS", "1")
    env = serve.gunicorn_env(serve.config())
    assert env["MAIL_QUEUE"] == "database"
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", QUEUE_A_MAIL)

    worker = subprocess.Popen(
        serve.worker_command(),
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the server refuses: the worker tries, backs off, tries again
        assert smtp.received == []
        smtp.start()
        deadline = time.monotonic() + 20
        while not smtp.received and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # nothing more comes
        assert smtp.recipients() == ["maria@example.com"]
        assert "/comments/confirm/" in smtp.received[0][2].as_string()
    finally:
        worker.terminate()
        returncode = worker.wait(timeout=15)
        smtp.stop()
    assert returncode == 0
