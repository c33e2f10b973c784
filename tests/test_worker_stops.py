"""What the mail worker (`manage.py db_worker`, as make serve runs it) writes when it stops: one
ERROR line naming the cause while the database is unreachable (make serve starts it again and
says so on one line), an INFO line for the SIGTERM of a normal stop or reload, and a traceback
still for an error nobody expected."""

import signal
import subprocess

import pytest

from deploy import serve
from tests.mail_helpers import free_port
from tests.test_serve_mail_worker import manage, start_worker


@pytest.fixture
def worker_env(tmp_path, monkeypatch):
    """The environment make serve gives the worker, on a database of the test's choosing."""
    for name in ("DJANGO_DEBUG", "MAIL_QUEUE", "REDIS_URL", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-test-key-long-enough-for-the-settings-check")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")

    def env(database_url: str) -> dict:
        monkeypatch.setenv("DATABASE_URL", database_url)
        return serve.gunicorn_env(serve.config())

    return env


def run_worker(env, *, stop=False) -> tuple[int, list[str]]:
    worker = start_worker(env, stderr=subprocess.PIPE, text=True)
    if stop:  # once it runs (its signal handlers set), as make serve stops it or reloads
        assert "Starting worker" in worker.stderr.readline()
        worker.send_signal(signal.SIGTERM)
    _, err = worker.communicate(timeout=60)
    return worker.returncode, err.splitlines()


def test_a_worker_that_finds_postgresql_down_says_so_in_one_error_line(worker_env):
    env = worker_env(f"postgres://newsportal@127.0.0.1:{free_port()}/newsportal")

    returncode, lines = run_worker(env)

    assert returncode == 1  # make serve starts it again
    errors = [line for line in lines if " ERROR " in line]
    assert len(errors) == 1, lines
    assert "worker stopped: the database is unreachable" in errors[0]
    assert "Connection refused" in errors[0]
    assert not any("Traceback" in line for line in lines), lines
    assert all(line[:4].isdigit() for line in lines), lines  # log lines, nothing else


def test_a_normal_stop_of_the_worker_is_not_a_warning(worker_env, tmp_path):
    env = worker_env(f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    manage(env, "migrate", "--noinput")

    returncode, lines = run_worker(env, stop=True)

    assert returncode == 0
    assert not [line for line in lines if " WARNING " in line or " ERROR " in line], lines
    assert any(" INFO django_tasks_db " in line and "Terminated" in line for line in lines)


def test_an_error_nobody_expected_keeps_its_traceback(worker_env, tmp_path):
    # A database without the worker's table (never migrated): a bug to fix, not an outage.
    env = worker_env(f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    returncode, lines = run_worker(env)

    assert returncode == 1
    assert "Traceback (most recent call last):" in lines
    assert "no such table" in lines[-1]
    assert not any("database is unreachable" in line for line in lines)
