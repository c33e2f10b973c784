"""deploy/serve.py says it serves ("serve: Varnish on ...") only once readers are answered: an
operator, or a script waiting for that line, gets a page right after it, never a connection
refused. A second `make serve` where a stack runs (its ports, its PROXY_WORKDIR) stops at once,
saying why, and leaves the running stack as it was. A part of the stack that dies stops the rest,
and serve.py says which part and how it ended: the log an operator reads names the cause."""

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
from tests.test_serve import stand_in

BASE_DIR = Path(__file__).resolve().parent.parent
READY = "serve: Varnish on"


@pytest.fixture
def workdir():
    # Varnish's compiler, running as its own user, reads the VCL there (pytest's are private).
    path = Path(tempfile.mkdtemp(prefix="serve-ready-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def start_serve(tmp_path: Path, workdir: Path, port: int, **variables: str) -> subprocess.Popen:
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
        **variables,
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


def test_a_port_taken_stops_serve_at_once_naming_it_and_never_says_it_serves(tmp_path, workdir):
    # Another stack's Varnish, or any program, on PORT: the port answers, as a running one does.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        serve = start_serve(tmp_path, workdir, port)
        try:
            output, _ = serve.communicate(timeout=120)
        finally:
            stopped(serve)

    assert serve.returncode == 2
    assert READY not in output
    log = (tmp_path / "serve.log").read_text()
    assert f"serve: something already answers on 127.0.0.1:{port} (PORT)" in log
    assert "Booting worker" not in log  # nothing was started beside what runs


def test_a_reload_port_taken_at_the_start_is_said_then_and_the_site_served_all_the_same(
    tmp_path, workdir
):
    # Another program on RELOAD_BACKEND_PORT (a second stack whose PORT it is): only a reload
    # needs that port, so the site is served; the operator hears of it now, not at the deploy.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        reload_port = taken.getsockname()[1]
        serve = start_serve(tmp_path, workdir, free_port(), RELOAD_BACKEND_PORT=str(reload_port))
        try:
            ready = next((line for line in serve.stdout if line.startswith(READY)), "")
        finally:
            stopped(serve)

    log = (tmp_path / "serve.log").read_text()
    assert ready, log
    assert (
        f"serve: something already answers on 127.0.0.1:{reload_port} (RELOAD_BACKEND_PORT), "
        "where make reload starts the new release: every reload will be refused until it is "
        "free (the site is served meanwhile). Stop it, or set RELOAD_BACKEND_PORT to a free "
        "port and start the stack again"
    ) in log


def test_a_second_serve_in_a_running_stack_s_directory_leaves_that_stack_to_make_reload(
    tmp_path, workdir
):
    # A stand-in for the running stack: what serve.py and `make reload` check is this
    # checkout's serve.py behind the pid in PROXY_WORKDIR.
    running = stand_in(workdir, {"PATH": os.environ["PATH"], "PROXY_WORKDIR": str(workdir)})
    try:
        second = start_serve(tmp_path, workdir, free_port())
        try:
            second.communicate(timeout=120)
        finally:
            stopped(second)
        found = subprocess.run(
            [sys.executable, str(BASE_DIR / "deploy" / "serve.py"), "--running"],
            env={**os.environ, "PROXY_WORKDIR": str(workdir), "NEWSPORTAL_ENV_FILE": ""},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        running.kill()
        running.wait()

    assert second.returncode == 2
    assert (
        f"serve: a stack is running already in {workdir} (serve.py, pid {running.pid})"
        in (tmp_path / "serve.log").read_text()
    )
    assert found.returncode == 0, found.stdout  # make reload still finds the running one


def until_ready(serve: subprocess.Popen, tmp_path: Path) -> None:
    for line in serve.stdout:
        if line.startswith(READY):
            return
    raise AssertionError((tmp_path / "serve.log").read_text())


def child_of(parent: int, word: bytes) -> int:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent and word in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except (OSError, ValueError, IndexError):
            continue
    raise AssertionError(f"serve.py ({parent}) has no {word.decode()} child")


@pytest.mark.parametrize(
    "word, name", [(b"gunicorn", "gunicorn"), (b"varnishd", "Varnish")], ids=["gunicorn", "varnish"]
)
def test_a_killed_part_stops_the_stack_which_says_which_part_and_how(tmp_path, workdir, word, name):
    serve = start_serve(tmp_path, workdir, free_port())
    try:
        until_ready(serve, tmp_path)
        os.kill(child_of(serve.pid, word), signal.SIGKILL)
        serve.stdout.read()
        serve.wait(timeout=90)
    except subprocess.TimeoutExpired:
        raise AssertionError("the stack did not stop") from None
    finally:
        stopped(serve)

    assert serve.returncode != 0
    log = (tmp_path / "serve.log").read_text()
    assert f"serve: {name} exited (killed by SIGKILL); stopping the stack" in log


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize(
    "name, text", [("running.json", "[]"), ("running.json", "null"), ("stack.json", "[]")]
)
def test_a_stack_file_that_is_no_object_still_lets_the_stack_stop_its_children(
    tmp_path, workdir, name, text
):
    # Valid JSON, not what serve.py writes: its stop raised AttributeError before stopping
    # gunicorn and Varnish, then hung on Varnish's output, the children left running.
    serve = start_serve(tmp_path, workdir, free_port())
    try:
        until_ready(serve, tmp_path)
        children = [child_of(serve.pid, word) for word in (b"gunicorn", b"varnishd")]
        (workdir / name).write_text(text)
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            raise AssertionError((tmp_path / "serve.log").read_text()) from None
    finally:
        if serve.poll() is None:
            serve.kill()  # its guard then stops the children
        stopped(serve)

    log = (tmp_path / "serve.log").read_text()
    assert "AttributeError" not in log, log  # the mail worker's own traceback aside
    assert serve.returncode == 0
    assert [pid for pid in children if running(pid)] == []
