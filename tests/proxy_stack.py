"""The real stack for the proxy tests: `deploy/serve.py` runs Varnish in front of gunicorn with
DEBUG off on a SQLite database of its own, loaded with the demo content. One stack serves every
proxy test module (a session fixture), started the first time one asks for it."""

import contextlib
import http.client
import http.server
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from tests.ports import free_port
from tests.proxy_site import load_site

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
ADMIN_PASSWORD = "proxy-test-" + uuid.uuid4().hex
PROXY_REDIS_URL = os.environ.get("PROXY_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def request_id() -> str:
    return "t" + uuid.uuid4().hex[:20]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}


@dataclass
class Stack:
    port: int
    backend_port: int
    env: dict
    log_path: Path
    db_path: Path
    process: subprocess.Popen
    articles: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def purge_port(self) -> int:
        """Where the app sends its purges (PROXY_PURGE_PORT): not the readers' port."""
        return int(self.env["PROXY_PURGE_PORT"])

    def fetch(
        self, method, path, *, headers=None, body=None, source=None, timeout=10, port=None
    ) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        conn = http.client.HTTPConnection(
            "127.0.0.1",
            port or self.port,
            timeout=timeout,
            source_address=(source, 0) if source else None,
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path, **kwargs) -> Response:
        return self.fetch("GET", path, **kwargs)

    def post(self, path, fields: dict, *, cookies=None, **kwargs) -> Response:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.base,
            **kwargs.pop("headers", {}),
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return self.fetch("POST", path, headers=headers, body=urlencode(fields), **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, seconds: float = 120) -> None:
        """Until serve.py's output holds `text`; failing at once should serve.py exit first."""
        deadline = time.monotonic() + seconds
        while text not in self.log():
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.2)

    def reached_gunicorn(self, rid: str, seconds: float = 5) -> bool:
        """Whether gunicorn wrote an access line for this request id (it writes it just after
        answering, so wait a little for it)."""
        deadline = time.monotonic() + seconds
        while True:
            if f"[{rid}]" in self.log():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def never_reached_gunicorn(self, rid: str) -> bool:
        """No access line for this request, even once a request sent after it has its own."""
        sentinel = request_id()
        # From an address of its own: tests before may have spent 127.0.0.1's misses.
        self.get("/healthz", headers={"X-Request-ID": sentinel}, source="127.0.0.9")
        assert self.reached_gunicorn(sentinel), "gunicorn's access log is not being written"
        time.sleep(0.2)
        return f"[{rid}]" not in self.log()

    def forget(self, *paths: str) -> None:
        """Empty the proxy's copies of these addresses, as a restart would: the next reader's
        request is a miss (a made-up query no longer is one: the proxy drops it)."""
        varnish = ["varnishadm", "-n", str(Path(self.env["PROXY_WORKDIR"]) / "varnish")]
        for path in paths:
            done = subprocess.run([*varnish, "ban", "req.url", "==", path], capture_output=True)
            assert done.returncode == 0, done.stdout + done.stderr

    def manage(self, *args, timeout=60) -> str:
        result = subprocess.run(
            [*MANAGE, *args, "--verbosity", "0"],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def _comment(self, column: str, body: str):
        with sqlite3.connect(self.db_path, timeout=5) as db:
            row = db.execute(
                f"SELECT {column} FROM comments_comment WHERE body = ?", (body,)
            ).fetchone()
        return row[0] if row else None

    def comment_status(self, body: str) -> str | None:
        return self._comment("status", body)

    def comment_ip(self, body: str) -> str | None:
        return self._comment("ip_address", body)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("proxy")) as running:
        yield running


@contextlib.contextmanager
def running_stack(tmp: Path, *, port: int | None = None, **variables: str | None):
    """`deploy/serve.py` started as a deployment starts it, stopped with SIGTERM at the end.
    Stacks running at once (a second one in a test file, or another pytest-xdist worker's)
    share the Redis database under key prefixes of their own. `variables` are set last (a
    deployment's own GUNICORN_TIMEOUT, say; None unsets one, for a variables' file to set it,
    and `port` is then the PORT it sets)."""
    port, backend_port, purge_port = port or free_port(), free_port(), free_port()
    # Varnish's compiler runs as its own user when started as root: its files live in a
    # world-readable directory (pytest's tmp dirs are private).
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-proxy-test-"))
    workdir.chmod(0o755)
    cache_prefix = f"newsportal-test-{uuid.uuid4().hex[:12]}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "DJANGO_",
                "GUNICORN_",
                "DATABASE_",
                "REDIS_",
                "PROXY_",
                "COMMENTS_",
                "EDGE_",
                "FRONT_CACHE_",
            )
        )
        and key
        not in (
            "SITE_URL",
            "HOST",
            "PORT",
            "BACKEND_PORT",
            "RELOAD_BACKEND_PORT",
            "WEB_CONCURRENCY",
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsportal.settings",
        DJANGO_SECRET_KEY="proxy-test-" + "k" * 50,
        DJANGO_DEBUG="false",
        DJANGO_SECURE_HTTPS="false",
        DATABASE_URL=f"sqlite:///{tmp / 'proxy.sqlite3'}",
        # As in production: the fragments and rate limits of every process in one Redis, so a
        # write's purge reaches all of them; a prefix of this stack's own starts it empty.
        REDIS_URL=PROXY_REDIS_URL,
        CACHE_KEY_PREFIX=cache_prefix,
        MEDIA_ROOT=str(tmp / "media"),
        WEB_CONCURRENCY="2",
        HOST="127.0.0.1",
        PORT=str(port),
        BACKEND_PORT=str(backend_port),
        RELOAD_BACKEND_PORT=str(free_port()),
        PROXY_PURGE_PORT=str(purge_port),
        PROXY_WORKDIR=str(workdir),
        # The throttle tests use addresses of their own (127.0.0.2, .3); the other tests post a
        # few comments from 127.0.0.1.
        PROXY_POST_LIMIT="30",
        PROXY_BODY_LIMIT="40",
        PROXY_MISS_LIMIT="20",
        COMMENTS_MIN_FORM_SECONDS="1",
        COMMENTS_FLOOD_SECONDS="0",
        DEMO_ADMIN_PASSWORD=ADMIN_PASSWORD,
        # What serve.py gives gunicorn, for the manage.py commands the tests run.
        FRONT_CACHE_PURGE_URLS=f"http://127.0.0.1:{purge_port}/",
        # A write's purge is sent again once pages drawn meanwhile are stored (tests/test_purges
        # checks it); here those repeats would land at moments no test chooses, turning a hit a
        # test expects into a miss.
        FRONT_CACHE_PURGE_SOON_SECONDS="0",
        FRONT_CACHE_PURGE_AGAIN_SECONDS="3600",
        COMMENTS_CLIENT_IP_HEADER="X-Forwarded-For",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    env.update(variables)
    env = {key: value for key, value in env.items() if value is not None}
    # Loaded before the proxy runs: a cache not started yet has nothing to purge, and purges
    # sent again by the worker later would drop the pages the tests warm.
    database = load_site(tmp, env)
    if not (BASE_DIR / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [*MANAGE, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
        )

    log_path = tmp / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(BASE_DIR / "deploy" / "serve.py")],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, as a terminal's foreground job: test_proxy_shutdown.py
            # sends Ctrl-C's SIGINT to all of it.
            start_new_session=True,
        )
    stack = Stack(port, backend_port, env, log_path, database, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, "serve.py exited:\n" + stack.log()
            assert time.monotonic() < deadline, "the stack did not come up:\n" + stack.log()
            try:
                if stack.get("/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        home = stack.get("/").text
        stack.articles = list(dict.fromkeys(re.findall(r'href="(/articles/[^"/]+/)"', home)))
        assert len(stack.articles) >= 4, home[:2000]
        yield stack
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=45)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # serve.py, had it not stopped
        process.wait(timeout=10)
        # serve.py's children run in sessions of their own, and its guard gives them time to
        # stop: anything left of this stack (and nothing else) is found by the prefix only its
        # processes were given, and is gone before its Varnish's directory is, and before the
        # next stack takes ports.
        _kill_every_process_with(f"CACHE_KEY_PREFIX={cache_prefix}")
        shutil.rmtree(workdir, ignore_errors=True)
        client = redis.Redis.from_url(PROXY_REDIS_URL)
        if keys := list(client.scan_iter(f"{cache_prefix}:*", count=1000)):
            client.delete(*keys)


def _kill_every_process_with(variable: str, seconds: float = 10) -> None:
    marker = b"\0" + variable.encode() + b"\0"  # the whole variable, not one ending so
    left = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in b"\0" + (entry / "environ").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
                left.append(entry)
        except OSError:
            continue  # ended meanwhile, or not ours to read
    deadline = time.monotonic() + seconds
    while left and time.monotonic() < deadline:
        # Killed, it is gone once its parent (or init) has collected it: a zombie holds no port.
        left = [entry for entry in left if _state(entry) not in ("", "Z")]
        time.sleep(0.05)


def _state(entry: Path) -> str:
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def read_head(sock, seconds) -> bytes:
    sock.settimeout(seconds)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def warm(stack, path) -> Response:
    """Fetch until the proxy answers from its cache (a first reader fills it)."""
    for _ in range(3):
        response = stack.get(path)
        if response.header("X-Cache") == "HIT":
            return response
    return response


# --- The VCL and the launcher, without a stack ---------------------------------------------------
