"""A REDIS_URL where no Redis answers is found by `check --deploy`, before readers are served.

The settings only see the URL's form; a host that is down, a port nobody listens on, or a
server that takes no writes would otherwise show up first as "cache": "down" in /healthz."""

import socket

import pytest

from tests.test_settings_deploy import manage, production_env


@pytest.fixture
def closed_port():
    # A port bound but never listened on: connections to it are refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def silent_port():
    # Listening but never answering, like a firewall that drops or a wrong service.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_check_deploy_stops_on_a_redis_url_where_nothing_listens(closed_port):
    url = f"redis://:not-for-the-log@127.0.0.1:{closed_port}/0"
    result = manage("check", "--deploy", env=production_env(REDIS_URL=url))

    assert result.returncode == 1
    assert "newsportal.E001" in result.stderr
    assert f"REDIS_URL is redis://:***@127.0.0.1:{closed_port}/0, and it cannot be used" in (
        result.stderr
    )
    assert "Connection refused" in result.stderr
    assert "not-for-the-log" not in result.stdout + result.stderr


def test_check_deploy_stops_on_a_redis_that_never_answers(silent_port):
    result = manage(
        "check", "--deploy", env=production_env(REDIS_URL=f"redis://127.0.0.1:{silent_port}/0")
    )

    assert result.returncode == 1
    assert "newsportal.E001" in result.stderr
    assert "Timeout" in result.stderr


def test_check_without_deploy_does_not_connect_to_redis(closed_port):
    # Ordinary commands (migrate, collectstatic, the tests) must not wait on the network.
    result = manage("check", env=production_env(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0"))

    assert result.returncode == 0, result.stderr
    assert "E001" not in result.stderr
