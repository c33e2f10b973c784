"""`make serve` runs `manage.py check --deploy` first: a production setting that would fail
readers stops the start with the check's message, before anything is migrated or served; and
so does a stack running already on its ports."""

import os
import socket
import sqlite3
import subprocess
from pathlib import Path

from tests.proxy_stack import free_port

BASE_DIR = Path(__file__).resolve().parent.parent


def make_serve(tmp_path: Path, port: int, **variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "NEWSPORTAL_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "serve-check-test-" + "k" * 50,
        "DJANGO_SECURE_HTTPS": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "PROXY_WORKDIR": str(tmp_path / "proxy"),
        **variables,
    }
    return subprocess.run(
        ["make", "-s", "serve", f"PORT={port}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_serve_refuses_to_start_on_a_deploy_error_saying_what_is_wrong(tmp_path):
    # A Redis the site cannot use: the stack would serve with its rate limits gone.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        redis_url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        port = free_port()
        refused = make_serve(tmp_path, port, REDIS_URL=redis_url)

    assert refused.returncode != 0
    assert "newsportal.E001" in refused.stderr
    assert f"REDIS_URL is {redis_url}, and it cannot be used" in refused.stderr
    # Nothing went further: no migration, no proxy.
    database = tmp_path / "site.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as db:
            assert not db.execute("SELECT name FROM sqlite_master").fetchall()
    assert "serve: Varnish on" not in refused.stdout
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_make_serve_beside_a_running_stack_stops_before_migrating_saying_why(tmp_path):
    # The running stack's Varnish, as a second `make serve` on its port finds it.
    with socket.socket() as running:
        running.bind(("127.0.0.1", 0))
        running.listen(1)
        port = running.getsockname()[1]
        refused = make_serve(
            tmp_path, port, REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
        )

    assert refused.returncode != 0
    assert f"serve: something already answers on 127.0.0.1:{port} (PORT)" in refused.stderr
    database = tmp_path / "site.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as db:
            assert not db.execute("SELECT name FROM sqlite_master").fetchall()


def test_make_serve_checks_the_site_address_it_will_serve_on_its_own_port(tmp_path):
    # SITE_URL unset: the stack makes it from HOST and PORT, and check --deploy's warning
    # names that address, not the settings' own default (port 8000). Stopped by the Redis.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = free_port()
        refused = make_serve(
            tmp_path, port, REDIS_URL=f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        )

    assert refused.returncode != 0
    assert f"newsportal.W003) SITE_URL is http://127.0.0.1:{port}: links" in refused.stderr
    assert ":8000" not in refused.stderr


def test_make_serve_stops_on_a_database_it_cannot_reach_in_one_line_naming_database_url(tmp_path):
    # A wrong host or port (a wrong password or database name reads alike): one error line
    # naming the variable and the server's answer, before static files or migrations.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"postgres://newsportal:not-for-the-log@127.0.0.1:{closed.getsockname()[1]}/news"
        port = free_port()
        refused = make_serve(
            tmp_path,
            port,
            DATABASE_URL=url,
            REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
        )

    assert refused.returncode != 0
    masked = url.replace("not-for-the-log", "***")
    assert f"(newsportal.E002) DATABASE_URL is {masked}, and it cannot be used: " in refused.stderr
    assert "Connection refused" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert "not-for-the-log" not in refused.stdout + refused.stderr
    assert "serve: Varnish on" not in refused.stdout
