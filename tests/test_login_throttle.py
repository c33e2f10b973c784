"""Admin login throttling (django-axes) as production runs it: two gunicorn processes on one
database. Failures counted by one process lock the login in the other, and a locked login is
refused at once, the right password included."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.test_serve import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-and-right-password"


@pytest.fixture
def database_url(tmp_path):
    """A database of the servers' own: a SQLite file, or (when the tests run on PostgreSQL)
    a fresh PostgreSQL database beside the test one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'throttle.sqlite3'}"
        return
    import psycopg

    server, name = url.rsplit("/", 1)[0], f"np_throttle_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def two_servers(tmp_path, database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "DATABASE_", "REDIS_", "FRONT_CACHE_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "DJANGO_SECRET_KEY": "t" * 50,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_HTTPS": "false",
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "1",
        "NEWSPORTAL_ENV_FILE": "",
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=BASE_DIR)
    create = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('chief', 'chief@example.com', '{PASSWORD}')"
    )
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True, cwd=BASE_DIR)
    servers = []
    for n in range(2):
        port = free_port()
        log = (tmp_path / f"gunicorn-{n}.log").open("w")
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "newsportal.wsgi",
            ],
            cwd=BASE_DIR,
            env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append((f"http://127.0.0.1:{port}", process, log))
    try:
        for base, process, _ in servers:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    assert process.poll() is None, "a server did not start"
                    time.sleep(0.1)
        assert servers[0][1].pid != servers[1][1].pid
        yield [base for base, _, _ in servers]
    finally:
        for _, process, log in servers:
            process.terminate()
            process.wait(timeout=30)
            log.close()


class Browser:
    """Cookies shared across both servers, as one browser behind a load balancer has."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def log_in(self, base, username, password):
        page = self.opener.open(base + "/admin/login/?next=/admin/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            base + "/admin/login/?next=/admin/", data=data, headers={"Referer": base}
        )
        try:
            response = self.opener.open(request)
            status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        return status, body


def test_failures_on_two_processes_lock_the_login_everywhere_the_right_password_too(
    two_servers,
):
    first, second = two_servers
    browser = Browser()
    # Failures on both processes add up; below the limit the right password still works.
    for n in range(4):
        status, body = browser.log_in((first, second)[n % 2], "chief", "wrong password")
        assert status == 200
        assert "Please enter the correct username and password" in body
    status, body = Browser().log_in(second, "chief", PASSWORD)
    assert status == 200
    assert "Newsroom" in body

    # The fifth failure (a sign-in meanwhile wipes none) is told the login is now paused.
    status, body = browser.log_in(first, "chief", "wrong password")
    assert status == 429

    for server in (first, second):
        status, body = browser.log_in(server, "chief", PASSWORD)
        assert status == 429
        assert "Too many failed logins" in body
        assert "even with the right password" in body
        assert "Newsroom" not in body


# In-process: the rules themselves (which failures count, for how long), fast, on the test
# database (SQLite or PostgreSQL, as the run).

LOGIN = "/admin/login/"


@pytest.fixture
def accounts(db, django_user_model):
    return [
        django_user_model.objects.create_user(f"desk{n}", password=PASSWORD, is_staff=True)
        for n in range(6)
    ]


def _log_in(username, password, ip):
    from django.test import Client

    client = Client(REMOTE_ADDR=ip)
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data)


def _signed_in(response) -> bool:
    return response.status_code == 302 and response.url == "/admin/"


def _age_failures(minutes: int) -> None:
    """Time travel for the failures on record: as if made `minutes` earlier."""
    from datetime import timedelta

    from axes.models import AccessAttempt, AccessAttemptExpiration

    shift = timedelta(minutes=minutes)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - shift
        )
    for expiry in AccessAttemptExpiration.objects.all():
        AccessAttemptExpiration.objects.filter(pk=expiry.pk).update(
            expires_at=expiry.expires_at - shift
        )


def test_five_wrong_passwords_from_one_ip_across_five_usernames_lock_that_ip(accounts):
    for account in accounts[:4]:
        assert _log_in(account.username, "wrong", "192.0.2.10").status_code == 200
    assert _log_in(accounts[4].username, "wrong", "192.0.2.10").status_code == 429  # the fifth

    locked = _log_in(accounts[5].username, PASSWORD, "192.0.2.10")
    elsewhere = _log_in(accounts[5].username, PASSWORD, "192.0.2.99")

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "Newsportal newsroom" in locked.content.decode()  # the admin's own header
    assert "Django administration" not in locked.content.decode()
    assert "try again in 15 min" in locked.content.decode()
    assert locked["Retry-After"] == "900"  # the cool-off, in seconds
    assert _signed_in(elsewhere)


def test_an_ipv6_client_is_one_sender_across_the_addresses_of_its_64(accounts):
    for n, account in enumerate(accounts[:4]):
        assert _log_in(account.username, "wrong", f"2001:db8:1:2::{n + 1}").status_code == 200
    assert _log_in(accounts[4].username, "wrong", "2001:db8:1:2::99").status_code == 429

    assert _log_in(accounts[5].username, PASSWORD, "2001:db8:1:2:abcd::7").status_code == 429
    assert _signed_in(_log_in(accounts[5].username, PASSWORD, "2001:db8:1:3::1"))


def test_five_failures_for_one_username_from_five_ips_lock_that_username(accounts):
    for n in range(4):
        assert _log_in("desk0", "wrong", f"198.51.100.{n + 1}").status_code == 200
    assert _log_in("desk0", "wrong", "198.51.100.5").status_code == 429

    assert _log_in("desk0", PASSWORD, "198.51.100.200").status_code == 429
    assert _signed_in(_log_in("desk1", PASSWORD, "198.51.100.200"))


def test_failures_older_than_fifteen_minutes_stop_counting(accounts):
    for _ in range(4):
        _log_in("desk0", "wrong", "192.0.2.10")
    _age_failures(16)

    assert _log_in("desk0", "wrong", "192.0.2.10").status_code == 200  # the fifth, alone now
    assert _signed_in(_log_in("desk0", PASSWORD, "192.0.2.10"))


def test_four_failures_within_fifteen_minutes_still_count(accounts):
    for _ in range(4):
        _log_in("desk0", "wrong", "192.0.2.10")
    _age_failures(10)

    assert _log_in("desk0", "wrong", "192.0.2.10").status_code == 429
    assert _log_in("desk0", PASSWORD, "192.0.2.10").status_code == 429


def test_the_right_password_works_after_the_cool_off(accounts):
    for _ in range(5):
        _log_in("desk0", "wrong", "192.0.2.10")
    assert _log_in("desk0", PASSWORD, "192.0.2.10").status_code == 429

    _age_failures(16)

    assert _signed_in(_log_in("desk0", PASSWORD, "192.0.2.10"))


def test_signing_in_to_ones_own_account_does_not_wipe_the_guesses_at_another(accounts):
    # A sign-in wiped every failure from its address: a member of staff could guess another
    # account's password without end, signing in to their own after every fourth guess.
    for _ in range(4):
        assert _log_in("desk0", "wrong", "192.0.2.10").status_code == 200
    assert _signed_in(_log_in("desk1", PASSWORD, "192.0.2.10"))

    assert _log_in("desk0", "wrong", "192.0.2.10").status_code == 429  # the fifth guess
    assert _log_in("desk0", PASSWORD, "192.0.2.77").status_code == 429
