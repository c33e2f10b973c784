"""gunicorn.conf.py: loads, computes sane values, and takes its overrides from the environment."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
CONFIG = BASE_DIR / "gunicorn.conf.py"
TUNABLES = [
    "WEB_CONCURRENCY",
    "HOST",
    "PORT",
    "GUNICORN_BIND",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "FORWARDED_ALLOW_IPS",
    "LOG_LEVEL",
]


@pytest.fixture
def load_config(monkeypatch):
    def load(**env):
        for name in TUNABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONFIG))

    return load


def test_defaults_bind_locally_and_scale_workers_with_the_cpus(load_config, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    config = load_config()

    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == 9
    assert config["accesslog"] == "-"
    assert config["timeout"] == 30
    assert config["graceful_timeout"] == 30
    assert config["max_requests"] == 20000
    assert config["preload_app"] is True
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_a_server_pinned_to_some_cpus_starts_workers_for_those_only(load_config, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {2})

    assert load_config()["workers"] == 3


def test_worker_count_is_capped_on_big_machines_and_survives_an_unknown_cpu_count(load_config):
    default_workers = load_config()["default_workers"]

    assert default_workers(64) == 12
    assert default_workers(None) == 3
    assert default_workers(1) == 3


def test_the_environment_overrides_workers_bind_and_trusted_proxies(load_config):
    config = load_config(
        WEB_CONCURRENCY="3",
        HOST="0.0.0.0",
        PORT="9000",
        GUNICORN_TIMEOUT="60",
        FORWARDED_ALLOW_IPS="10.0.0.5",
    )

    assert config["workers"] == 3
    assert config["bind"] == "0.0.0.0:9000"
    assert config["timeout"] == 60
    assert config["forwarded_allow_ips"] == "10.0.0.5"


def test_a_bad_worker_count_fails_naming_the_variable(load_config):
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY must be a whole number"):
        load_config(WEB_CONCURRENCY="lots")
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY must be at least 1"):
        load_config(WEB_CONCURRENCY="0")


def gunicorn_resolved(env: dict) -> dict:
    """Gunicorn's resolved configuration (--print-config), run with these variables only."""
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(CONFIG),
            "--print-config",
            "newsportal.wsgi",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_gunicorn_itself_reads_the_settings_by_their_real_names():
    # A misspelt name in a config file is silently ignored by gunicorn; its resolved
    # configuration shows each value really took effect.
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "x" * 50,
        "WEB_CONCURRENCY": "2",
        "PORT": "8123",
    }
    resolved = gunicorn_resolved(env)

    assert resolved["workers"] == "2"
    assert resolved["bind"] == "['127.0.0.1:8123']"
    assert resolved["graceful_timeout"] == "30"
    assert resolved["max_requests"] == "20000"
    assert resolved["max_requests_jitter"] == "2000"
    assert resolved["accesslog"] == "-"
    assert "x-request-id" in resolved["access_log_format"]
    # Never the query string or the referrer: they can carry what a reader typed.
    assert "%(r)s" not in resolved["access_log_format"]
    assert "%(q)s" not in resolved["access_log_format"]
    assert "%(f)s" not in resolved["access_log_format"]
    assert resolved["control_socket_disable"] == "True"
