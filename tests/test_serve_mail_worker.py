"""`make serve`'s mail worker for real: started exactly as deploy/serve.py starts it beside
gunicorn, on its own SQLite file, against a mail server that refuses connections at first and
then accepts: the queued mail arrives once, and SIGTERM stops the worker cleanly."""

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from deploy import serve
from tests.mail_helpers import SIGNALS, TinySMTP, free_port

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


def start_worker(env, **output) -> subprocess.Popen:
    """The worker as serve.py starts it beside gunicorn."""
    return subprocess.Popen(
        serve.worker_command(), cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, **output
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

    worker = start_worker(env, stderr=subprocess.DEVNULL)
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


def test_a_worker_that_dies_is_started_again_with_growing_pauses_and_the_site_stays_up(
    tmp_path, monkeypatch, capsys
):
    # Stand-ins for gunicorn (a plain HTTP server on the backend port) and Varnish; the worker
    # notes when it starts, then exits at once, as db_worker does when the database is away.
    starts = tmp_path / "starts"
    note_and_die = f"import time; open({str(starts)!r}, 'a').write(f'{{time.time()}}\\n'); exit(1)"
    monkeypatch.setattr(
        serve,
        "gunicorn_command",
        lambda cfg: [
            sys.executable,
            "-m",
            "http.server",
            "-b",
            "127.0.0.1",
            str(cfg["backend_port"]),
        ],
    )
    monkeypatch.setattr(
        serve,
        "varnish_command",
        lambda cfg, vcl: [sys.executable, "-c", "import time; time.sleep(60)"],
    )
    monkeypatch.setattr(serve, "worker_command", lambda: [sys.executable, "-c", note_and_die])
    monkeypatch.setenv("PORT", str(free_port()))
    monkeypatch.setenv("BACKEND_PORT", str(free_port()))
    monkeypatch.setenv("PROXY_WORKDIR", str(tmp_path / "work"))
    monkeypatch.setenv("GUNICORN_GRACEFUL_TIMEOUT", "1")
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # one stand-in process: no shared cache needed
    handlers = {signum: signal.getsignal(signum) for signum in SIGNALS}
    timer = threading.Timer(7, os.kill, [os.getpid(), signal.SIGTERM])
    timer.start()
    try:
        returncode = serve.main([])
    finally:
        timer.cancel()
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

    assert returncode == 0  # stopped by the signal, not by the worker's exit
    times = [float(line) for line in starts.read_text().split()]
    assert len(times) >= 3
    pauses = [later - earlier for earlier, later in itertools.pairwise(times)]
    # Lower bounds only: a loaded machine starts the stand-in worker late, which lengthens a
    # measured pause but never shortens it, so comparing one pause with the next was flaky.
    assert pauses[0] >= 0.9
    assert pauses[1] >= 1.8  # the pause doubled: 1 s, then 2 s
    told = capsys.readouterr().err
    assert "starting it again in 1 s" in told
    assert "starting it again in 2 s" in told
