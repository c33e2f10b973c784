"""The first five minutes: `make run` in a fresh copy of the project, then manage.py with no
variables set. The copy shares this checkout's virtualenv, so nothing is installed again."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from dotenv import dotenv_values

from articles.demo_content import LEAD_SLUG
from newsportal import first_run
from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
# Nothing of this machine's configuration may help: only what `make run` sets up itself.
CLEARED_PREFIXES = (
    "DJANGO_",
    "NEWSPORTAL_",
    "DEMO_",
    "DATABASE_",
    "REDIS_",
    "MEDIA_",
    "STATIC_",
    "COMMENTS_",
    "EMAIL_",
    "FRONT_CACHE_",
    "EDGE_",
    "FRAGMENT_",
)
CLEARED = ("HOST", "PORT", "SITE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """The project's files as a clone would have them (tracked, or new and not ignored)."""
    clone = tmp_path_factory.mktemp("clone")
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        source = BASE_DIR / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    (clone / ".venv").symlink_to(BASE_DIR / ".venv")
    return clone


@pytest.fixture(scope="module")
def clean_env():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(CLEARED_PREFIXES) and key not in CLEARED
    }
    env["PYTHONUNBUFFERED"] = "1"
    return env


class MakeRun:
    """`make run` in the background; its output collected line by line."""

    def __init__(self, clone: Path, env: dict, port: int):
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: stopped with everything it started
        )
        for stream, sink in ((self.process.stdout, self.lines), (self.process.stderr, self.errors)):
            threading.Thread(target=lambda s=stream, o=sink: o.extend(s), daemon=True).start()

    def wait_for_login(self, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if any(" password " in line for line in self.lines):
                time.sleep(1)  # anything printed after it would show up now
                return next(line for line in self.lines if " password " in line).strip()
            time.sleep(0.2)
        raise AssertionError(f"no login printed:\n{''.join(self.lines)}{''.join(self.errors)}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=20)


def test_make_run_then_manage_py_works_with_no_variables(fresh_clone, clean_env):
    port = free_port()
    run = MakeRun(fresh_clone, clean_env, port)
    try:
        login = run.wait_for_login()
        home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert home.status == 200
        lead = f"http://127.0.0.1:{port}/articles/{LEAD_SLUG}/"
        article = urllib.request.urlopen(lead, timeout=10).read().decode()
        # Canonical and share links name the server it runs on (PORT=...), not a default.
        assert f'<link rel="canonical" href="{lead}">' in article
        assert 'id="comments"' in article
    finally:
        run.stop()

    password = dotenv_values(fresh_clone / ".env")["DEMO_ADMIN_PASSWORD"]
    assert login.endswith(f"password {password}")
    printed = [line.rstrip() for line in run.lines if line.strip()]
    # The server's banner first, then where the site is and the login, last.
    assert printed[-2].startswith(f"Newsportal is running at http://127.0.0.1:{port}/")
    assert printed[-1] == login
    assert not [line for line in printed if "Applying" in line or "pip" in line]
    # Said once at most (runserver's own line), not again through the site's log format.
    assert sum("Watching for file changes" in line for line in printed) <= 1
    assert (fresh_clone / ".env").stat().st_mode & 0o077 == 0

    createsuperuser = subprocess.run(
        [".venv/bin/python", "manage.py", "createsuperuser", "--noinput"],
        cwd=fresh_clone,
        env={
            **clean_env,
            "DJANGO_SUPERUSER_USERNAME": "newsdesk",
            "DJANGO_SUPERUSER_EMAIL": "newsdesk@example.com",
            "DJANGO_SUPERUSER_PASSWORD": "a-long-Passphrase-9",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert createsuperuser.returncode == 0, createsuperuser.stderr
    assert "Superuser created successfully." in createsuperuser.stdout

    # A second run: the same login (the editor stays signed in), the same demo, no new comments.
    again = MakeRun(fresh_clone, clean_env, port)
    try:
        assert again.wait_for_login() == login
    finally:
        again.stop()
    assert not [line for line in again.errors if "Traceback" in line]


def test_env_file_is_written_once_and_kept_out_of_git(tmp_path):
    env_file = tmp_path / ".env"

    assert len(first_run.write_env_file(env_file)) == 4
    written = env_file.read_text()
    assert first_run.write_env_file(env_file) == []

    assert env_file.read_text() == written
    values = dotenv_values(env_file)
    assert values["DJANGO_DEBUG"] == "true"
    assert len(values["DJANGO_SECRET_KEY"]) >= 50
    assert len(values["DEMO_ADMIN_PASSWORD"]) >= 16
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=BASE_DIR)
    assert ignored.returncode == 0


def test_env_file_gets_only_what_it_lacks(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=false\nDEMO_ADMIN_PASSWORD=mine")

    assert first_run.write_env_file(env_file) == ["DJANGO_SECRET_KEY", "DEMO_ADMIN_USER"]

    values = dotenv_values(env_file)
    assert (values["DJANGO_DEBUG"], values["DEMO_ADMIN_PASSWORD"]) == ("false", "mine")
    assert len(values["DJANGO_SECRET_KEY"]) >= 50


def test_the_real_environment_wins_over_env_file(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("DEMO_ADMIN_PASSWORD=from-file\n")
    assert first_run.demo_login(env_file) == ("editor", "from-file")

    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "from-environment")

    assert first_run.demo_login(env_file) == ("editor", "from-environment")


def test_a_busy_port_is_named_with_the_way_out(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        assert first_run.main(["port-free", "127.0.0.1", str(port)]) == 1

    assert f"PORT={port + 1} make run" in capsys.readouterr().err


def test_a_server_on_every_address_is_announced_at_this_machines_own():
    lines = first_run.announcement("0.0.0.0", 8000, "editor", "secret")

    assert lines[-2].startswith("Newsportal is running at http://127.0.0.1:8000/")
    assert lines[-1].endswith("http://127.0.0.1:8000/admin/  user editor  password secret")


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false, not 'maybe'"),
    ],
)
def test_make_serve_stops_on_a_missing_or_bad_variable_with_one_line_naming_it(variables, named):
    env = {**os.environ, "DJANGO_SECRET_KEY": "k" * 50, "NEWSPORTAL_ENV_FILE": ""}
    env.pop("DJANGO_DEBUG", None)
    env.update(variables)

    checked = subprocess.run(
        [sys.executable, "-m", "newsportal.first_run", "settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert checked.returncode == 1
    assert checked.stderr.startswith(f"Cannot start: {named}")
    assert "Traceback" not in checked.stderr
