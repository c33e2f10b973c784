"""`make serve`'s server for real: gunicorn with the committed config, DEBUG off, serving the
site, its gzip-compressed hashed static files and a request id in every access line."""

import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsportal.settings",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_DEBUG="false",
        DJANGO_SECURE_HTTPS="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        WEB_CONCURRENCY="1",
        PORT=str(port),
    )
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "newsportal.wsgi",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_for_line(log, wanted, seconds=10):
    """The access line the worker writes after answering; on a busy machine it can lag."""
    deadline = time.monotonic() + seconds
    while True:
        log.seek(0)
        lines = [line for line in log.read().splitlines() if wanted(line)]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def get(url, **headers):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5)


def test_gunicorn_serves_the_site_with_compressed_hashed_static_files_and_logs_request_ids(
    server,
):
    base, log = server

    health = get(base + "/healthz", **{"X-Request-ID": "probe-123"})
    assert health.status == 200
    assert health.headers["X-Request-ID"] == "probe-123"
    robots = get(base + "/robots.txt").read().decode()
    assert "Sitemap:" in robots

    css_name = next(
        path.name
        for path in (BASE_DIR / "staticfiles" / "css").glob("site.*.css")
        if re.fullmatch(r"site\.[0-9a-f]{12}\.css", path.name)
    )
    css = get(f"{base}/static/css/{css_name}", **{"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]
    assert b"{" in gzip.decompress(css.read())

    assert wait_for_line(
        log, lambda line: '"GET /healthz HTTP/1.1" 200' in line and "[probe-123]" in line
    )
