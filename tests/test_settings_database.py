"""A DATABASE_URL the site cannot use (a wrong host, port, password or database name) passes
the settings, which only read its form: `check --deploy --database default` (make serve's and
make reload's first step) and migrate say so in one error naming the variable, not in a page of
traceback. Other commands never connect for it."""

import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.test_checks_redis_dns import HANGING_RESOLVER
from tests.test_settings_deploy import BASE_DIR, manage, production_env


@pytest.fixture
def unreachable_url():
    # A port bound but never listened on: connections to it are refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        yield f"postgres://newsportal:not-for-the-log@127.0.0.1:{port}/newsportal", port


@pytest.mark.parametrize(
    "command", [("check", "--deploy", "--database", "default"), ("migrate", "--noinput")]
)
def test_a_database_that_does_not_answer_is_one_error_naming_database_url(unreachable_url, command):
    url, port = unreachable_url
    result = manage(*command, env=production_env(DATABASE_URL=url))

    assert result.returncode == 1
    assert (
        f"(newsportal.E002) DATABASE_URL is postgres://newsportal:***@127.0.0.1:{port}/newsportal"
        ", and it cannot be used: connection failed: " in result.stderr
    )
    assert "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr
    assert "not-for-the-log" not in result.stdout + result.stderr


def test_check_deploy_without_database_does_not_connect_to_it(unreachable_url):
    # README's `check --deploy` on a machine before its database is set up: not an error.
    result = manage("check", "--deploy", env=production_env(DATABASE_URL=unreachable_url[0]))

    assert result.returncode == 0, result.stderr
    assert "E002" not in result.stderr


def test_a_database_host_whose_name_lookup_never_answers_is_an_error_not_a_hang():
    # A resolver down or a wrong search domain: the connection's timeout does not cover the
    # lookup, which would hold make serve's first step for as long as it likes.
    resolver = HANGING_RESOLVER.replace("redis.hangs.example", "db.hangs.example")
    url = "postgres://newsportal:not-for-the-log@db.hangs.example:5432/newsportal"
    try:
        result = subprocess.run(
            [sys.executable, "-c", resolver, "check", "--deploy", "--database", "default"],
            cwd=BASE_DIR,
            env=production_env(DATABASE_URL=url),
            capture_output=True,
            text=True,
            timeout=40,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("check --deploy still waited on the name lookup after 40 s") from None

    assert result.returncode == 1
    assert (
        "(newsportal.E002) DATABASE_URL is postgres://newsportal:***@db.hangs.example:5432/"
        "newsportal, and its host 'db.hangs.example' was not resolved within 5 s." in result.stderr
    )
    assert "not-for-the-log" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "command",
    [("check", "--deploy"), ("collectstatic", "--noinput", "--dry-run", "--verbosity", "0")],
)
def test_commands_that_use_no_database_run_before_its_directory_is_there(tmp_path, command):
    # A build step (collectstatic, check --deploy) before the data volume is mounted.
    missing = tmp_path / "not-mounted-yet"
    env = production_env(
        DATABASE_URL=f"sqlite:///{missing / 's.sqlite3'}", STATIC_ROOT=str(tmp_path / "static")
    )
    result = manage(*command, env=env)

    assert result.returncode == 0, result.stderr
    assert not missing.exists()


@pytest.mark.parametrize(
    "command", [("check", "--deploy", "--database", "default"), ("migrate", "--noinput")]
)
def test_an_sqlite_file_in_a_directory_not_there_is_one_error_naming_database_url(
    tmp_path, command
):
    # make serve's first step, and migrate, where the data volume is not mounted: E002 as for
    # a PostgreSQL server that does not answer, not a traceback from the first model check.
    missing = tmp_path / "not-mounted-yet"
    result = manage(*command, env=production_env(DATABASE_URL=f"sqlite:///{missing}/s.sqlite3"))

    assert result.returncode == 1
    assert (
        f"(newsportal.E002) DATABASE_URL is sqlite:///{missing}/s.sqlite3, and its directory "
        f"{missing} does not exist." in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgres://newsportal@127.0.0.1:9/newsportal?password=not-for-the-log",
            "DATABASE_URL is postgres://newsportal@127.0.0.1:9/newsportal?…, and",
        ),
        (
            # A "#" typed in a password ends the address: what follows is no longer the host.
            "postgres://newsportal:12#not-for-the-log@127.0.0.1:9/newsportal",
            "DATABASE_URL is not shown (it holds a “#”: in a password, write it %23)",
        ),
    ],
)
def test_e002_never_prints_a_password_given_in_the_query_or_cut_by_a_hash(url, shown):
    env = production_env(DATABASE_URL=url)
    result = manage("check", "--deploy", "--database", "default", env=env)

    assert result.returncode == 1
    assert shown in result.stderr
    assert "not-for-the-log" not in result.stdout + result.stderr
    assert ":12" not in result.stderr


def test_check_with_tags_leaves_the_database_alone_as_django_s_check_does(unreachable_url):
    result = manage(
        "check",
        "--tag",
        "templates",
        "--database",
        "default",
        env=production_env(DATABASE_URL=unreachable_url[0]),
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "E002" not in result.stderr


def test_check_below_its_fail_level_says_the_database_error_once_and_passes(unreachable_url):
    env = production_env(DATABASE_URL=unreachable_url[0])
    result = manage("check", "--database", "default", "--fail-level", "CRITICAL", env=env)

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("(newsportal.E002) DATABASE_URL is") == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def silent_database():
    """A server that takes connections and never answers (a database host hung, a firewall
    that swallows packets): each connection waits out DATABASE_CONNECT_TIMEOUT."""
    taken = []
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.settimeout(0.2)
        stop = threading.Event()

        def take():
            while not stop.is_set():
                try:
                    taken.append(sock.accept()[0])
                except TimeoutError:
                    continue

        thread = threading.Thread(target=take, daemon=True)
        thread.start()
        url = f"postgres://newsportal:not-for-the-log@127.0.0.1:{sock.getsockname()[1]}/newsportal"
        try:
            yield url, taken
        finally:
            stop.set()
            thread.join()
            for connection in taken:
                connection.close()


@pytest.mark.parametrize(
    "command",
    [
        ("check", "--deploy", "--database", "default"),
        ("check", "--database", "default", "--fail-level", "CRITICAL"),
        ("migrate", "--noinput"),
    ],
)
def test_a_database_that_never_answers_is_waited_for_once(silent_database, command):
    # make serve's and make reload's first step: the connect timeout, not twice it.
    # A timeout long beside the command's own start (Python and Django, seconds on a loaded
    # machine): a second wait still shows, the start alone never does (with 2 s it did, at load 8).
    url, taken = silent_database
    timeout = 4
    env = production_env(DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT=str(timeout))
    started = time.monotonic()
    result = manage(*command, env=env)
    elapsed = time.monotonic() - started

    assert result.stderr.count("(newsportal.E002) DATABASE_URL is") == 1, result.stderr
    assert "timeout" in result.stderr
    assert len(taken) == 1
    assert elapsed < 2 * timeout, elapsed
