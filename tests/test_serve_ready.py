"""deploy/serve.py says it serves ("serve: Varnish on ...") only once readers are answered: an
operator, or a script waiting for that line, gets a page right after it, never a connection
refused; and a Varnish that cannot take its port never has the line said."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.proxy_stack import PROXY_REDIS_URL, free_port

BASE_DIR = Path(__file__).resolve().parent.parent
READY = "serve: Varnish on"


@pytest.fixture
def workdir():
    # Varnish's compiler, running as its own user, reads the VCL there (pytest's are private).
    path = Path(tempfile.mkdtemp(prefix="serve-ready-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def start_serve(tmp_path: Path, workdir: Path, port: int) -> subprocess.Popen:
    env = {
        "PATH": os.environ["PATH"],
        "NEWSPORTAL_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "serve-ready-test-" + "k" * 50,
        "DJANGO_SECURE_HTTPS": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "REDIS_URL": PROXY_REDIS_URL,
        "CACHE_KEY_PREFIX": "serve-ready-" + tmp_path.name,
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
        "BACKEND_PORT": str(free_port()),
        "RELOAD_BACKEND_PORT": str(free_port()),
        "PROXY_PURGE_PORT": str(free_port()),
        "PROXY_WORKDIR": str(workdir),
    }
    return subprocess.Popen(
        [sys.executable, str(BASE_DIR / "deploy" / "serve.py")],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "serve.log").open("w"),
        text=True,
        start_new_session=True,
    )


def stopped(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def test_the_stack_answers_as_soon_as_serve_says_it_serves(tmp_path, workdir):
    port = free_port()
    serve = start_serve(tmp_path, workdir, port)
    try:
        for line in serve.stdout:
            if line.startswith(READY):
                break
        else:
            log = (tmp_path / "serve.log").read_text()
            raise AssertionError(f"serve.py exited ({serve.wait()}):\n{log}")
        # At once, as a script waiting for the line would.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz")
        answer = connection.getresponse()

        assert answer.status in (200, 503)  # Django's answer, or the proxy's own
        assert answer.getheader("X-Cache")
    finally:
        stopped(serve)


def test_a_varnish_that_cannot_take_its_port_never_says_it_serves(tmp_path, workdir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        serve = start_serve(tmp_path, workdir, taken.getsockname()[1])
        try:
            output, _ = serve.communicate(timeout=120)
        finally:
            stopped(serve)

    assert serve.returncode != 0
    assert READY not in output
