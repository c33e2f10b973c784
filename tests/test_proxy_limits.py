"""The front proxy stops what would hurt the site before it reaches Python: slow clients, bodies
the site does not take, floods from one address, odd Host headers; and it keeps answering with
stale copies while the origin fails."""

import contextlib
import http.client
import http.server
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy import serve
from tests.proxy_stack import Stack, free_port, request_id, scrape_form, warm

# --- 5. Slow clients -----------------------------------------------------------------------------


def test_slowloris_connections_leave_readers_answered(stack):
    stop = threading.Event()
    opened = []

    def slow_headers():
        # A request line and a header, then a header byte every few seconds, forever; when the
        # proxy drops the connection (timeout_idle), open another.
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
                    opened.append(1)
                    sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n".encode())
                    while not stop.wait(2):
                        sock.sendall(b"X")
            except OSError:
                stop.wait(0.2)

    def slow_body():
        # A comment post whose body arrives a byte every two seconds: if it reached gunicorn
        # it would hold a sync worker for as long as it liked.
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
                    opened.append(1)
                    sock.sendall(
                        (
                            f"POST /comments/post/1/ HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\n"
                            "Content-Length: 5000\r\n\r\n"
                        ).encode()
                    )
                    while not stop.wait(2):
                        sock.sendall(b"a")
            except OSError:
                stop.wait(0.2)

    threads = [threading.Thread(target=slow_headers, daemon=True) for _ in range(16)]
    threads += [threading.Thread(target=slow_body, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    probes = answered = 0
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            started = time.monotonic()
            for path in ("/healthz", stack.articles[3]):
                probes += 1
                with contextlib.suppress(OSError):
                    answered += stack.get(path, timeout=2).status == 200
            time.sleep(max(0.0, 1 - (time.monotonic() - started)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert len(opened) >= 20
    assert answered >= 0.95 * probes, f"{answered} of {probes} probes answered"


def slow_uploads(stack, paths, source, method="POST") -> tuple[list[str], list]:
    """A POST to each path from one address, its body arriving a byte at a time: the status
    each got from the proxy within a second ("waiting": none, its body is being read), and
    the open sockets."""
    held = []
    for path in paths:
        sock = socket.create_connection(
            ("127.0.0.1", stack.port), timeout=5, source_address=(source, 0)
        )
        held.append(sock)
        sock.sendall(
            (
                f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 5000\r\n\r\na"
            ).encode()
        )
    answers = []
    deadline = time.monotonic() + 3
    for sock in held:
        try:
            head = read_head(sock, max(0.05, deadline - time.monotonic()))
        except OSError:
            head = b""
        answers.append(head.split(b" ", 2)[1].decode() if head else "waiting")
    return answers, held


def test_slow_uploads_from_one_address_are_turned_away_before_they_hold_a_thread(stack):
    """Varnish reads a body with one of its threads for as long as the body takes (64 threads
    in all). Slow uploads to pages that take no body, and comment posts past the address's
    limit, are answered before a byte of the body is read; readers are still served."""
    too_long = [f"/comments/post/1/?{'q' * 4100}"] * 5
    paths = ["/search/"] * 70 + ["/%63omments/post/1/"] * 10 + ["/comments/post/1/"] * 40
    answers, held = slow_uploads(stack, too_long + paths, "127.0.0.5")
    unknown_method, held_too = slow_uploads(stack, ["/"], "127.0.0.5", method="FOO")
    try:
        probes = [stack.get(path, timeout=3).status for path in ("/healthz", stack.articles[2])]
    finally:
        for sock in held + held_too:
            sock.close()
    assert unknown_method == ["501"]
    assert answers[:85] == ["414"] * 5 + ["405"] * 70 + ["400"] * 10, answers
    assert Counter(answers[85:]) == {"waiting": 30, "429": 10}
    assert probes == [200, 200]


def test_other_uploads_are_limited_per_address_before_they_are_read(stack):
    # The admin's forms: PROXY_BODY_LIMIT a minute (40 in the test stack), counted apart from
    # comment posts (and from one-click unsubscribes: tests/test_proxy_one_click.py).
    answers, held = slow_uploads(stack, ["/admin/login/"] * 45, "127.0.0.6")
    try:
        probes = [stack.get(path, timeout=3).status for path in ("/healthz", stack.articles[2])]
    finally:
        for sock in held:
            sock.close()
    assert Counter(answers) == {"waiting": 40, "429": 5}
    assert probes == [200, 200]


# --- 6. Bodies -----------------------------------------------------------------------------------


def read_head(sock, seconds) -> bytes:
    sock.settimeout(seconds)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def test_a_100_mb_upload_to_the_comment_endpoint_is_refused_at_once(stack):
    action, _ = scrape_form(warm(stack, stack.articles[0]).text, "comment-form")
    for expect in (False, True):
        rid = request_id()
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
            sock.sendall(
                (
                    f"POST {action} HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"X-Request-ID: {rid}\r\n"
                    + ("Expect: 100-continue\r\n" if expect else "")
                    + "Content-Length: 104857600\r\n\r\n"
                ).encode()
            )
            head = read_head(sock, 1)
            assert time.monotonic() - started < 1
            assert head.startswith(b"HTTP/1.1 413 "), head  # no "100 Continue" first
            # The body that keeps coming goes nowhere: the proxy has closed the connection.
            closed = False
            try:
                for _ in range(200):
                    sock.sendall(b"a" * 65536)
                    time.sleep(0.005)
            except OSError:
                closed = True
            if not closed:
                sock.settimeout(1)
                try:
                    closed = sock.recv(65536) == b""
                except OSError:
                    closed = True
            assert closed
        assert time.monotonic() - started < 3
        assert stack.never_reached_gunicorn(rid)


@pytest.mark.parametrize(
    ("path", "headers", "size", "status"),
    [
        ("/comments/post/1/", {"Content-Type": "application/x-www-form-urlencoded"}, 70_000, 413),
        ("/search/", {"Content-Type": "application/x-www-form-urlencoded"}, 70_000, 405),
        ("/search/", {"Content-Type": "application/x-www-form-urlencoded"}, 10, 405),
        ("/%63omments/post/1/", {"Content-Type": "multipart/form-data; boundary=x"}, 100, 400),
        ("/comments/post/1/", {"Content-Type": "multipart/form-data; boundary=x"}, 100, 415),
        ("/admin/login/", {"Content-Type": "multipart/form-data; boundary=x"}, 13_000_000, 413),
    ],
)
def test_bodies_the_site_does_not_take_are_refused_at_the_proxy(stack, path, headers, size, status):
    rid = request_id()
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{stack.port}", f"X-Request-ID: {rid}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {size}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        assert read_head(sock, 2).startswith(f"HTTP/1.1 {status} ".encode())
    assert stack.never_reached_gunicorn(rid)


def test_a_chunked_body_is_bounded_too(stack):
    rid = request_id()
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
        sock.sendall(
            (
                f"POST /comments/post/1/ HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                f"X-Request-ID: {rid}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        head = b""
        try:
            for _ in range(40):  # up to 160 KB, in 4 KB chunks
                sock.sendall(b"1000\r\n" + b"a" * 4096 + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
            head = read_head(sock, 2)
        except OSError:
            pass  # refused and closed while we were still sending
        assert head == b"" or head.startswith(b"HTTP/1.1 413 ")
    assert stack.never_reached_gunicorn(rid)


# --- 7. The Host header --------------------------------------------------------------------------


@pytest.mark.parametrize("bad_host", ["evil.example", "localhost:6666"])
def test_an_odd_host_never_changes_a_cached_page(stack, bad_host):
    article = stack.articles[0]
    normal = warm(stack, article)
    odd = stack.get(article, headers={"Host": bad_host})
    assert odd.header("X-Cache") == "HIT"
    assert odd.body == normal.body
    assert stack.get(article).body == normal.body

    # Pages nobody has read yet, first asked for with the odd host: what is stored is the
    # site's own page, and the next reader gets exactly that.
    stack.fetch("PURGE", "/", headers={"xkey-purge": "site"}, port=stack.purge_port)
    for path in ("/robots.txt", "/feed/", "/sitemap.xml", stack.articles[3]):
        first = stack.get(path, headers={"Host": bad_host})
        assert first.header("X-Cache") in ("MISS", "PASS"), path
        assert bad_host.encode() not in first.body, path
        second = stack.get(path)
        assert bad_host.encode() not in second.body, path
        if first.status == 200:
            assert second.header("X-Cache") == "HIT", path
            assert second.body == first.body, path
        if path != stack.articles[3]:
            assert f"127.0.0.1:{stack.port}".encode() in second.body, path


# --- Throttles (from addresses of their own, so no other test is affected) -----------------------


def test_a_flood_of_cache_misses_from_one_address_is_turned_away(stack):
    def miss(n):
        try:
            return stack.get(f"/no-such-page-{uuid.uuid4().hex}/", source="127.0.0.3", timeout=10)
        except OSError:
            return None

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = [r for r in pool.map(miss, range(80)) if r is not None]
    limited = [r for r in responses if r.status == 429 and r.header("X-Cache") == "SYNTH"]
    assert limited
    assert all(r.header("Retry-After") == "1" for r in limited)
    # Everyone else is still served.
    assert stack.get("/robots.txt").status == 200


def test_comment_posts_from_one_address_are_limited_per_minute(stack):
    answers = []
    for _ in range(31):  # PROXY_POST_LIMIT=30
        response = stack.post("/comments/post/1/", {"body": "x"}, source="127.0.0.2")
        answers.append((response.status, response.header("X-Cache")))
        time.sleep(0.08)  # below PROXY_MISS_LIMIT (20 a second), which counts these too
    # The first 30 reach Django (whatever it makes of them); the proxy answers the 31st.
    assert all(cache == "PASS" for _, cache in answers[:30]), answers
    assert answers[30] == (429, "SYNTH")
    assert response.header("Retry-After") == "2"
    assert "Too many requests" in response.text


# --- Stale copies, against an origin the test controls --------------------------------------------


class FakeOrigin(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.status, self.body, self.requests = 200, b"v1", 0
        self.forwarded_for = None
        super().__init__(("127.0.0.1", 0), FakeOriginHandler)


class FakeOriginHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request a connection: stopping the server stops it

    def do_GET(self):
        origin = self.server
        status, body = (200, b"ok") if self.path == "/healthz" else (origin.status, origin.body)
        if self.path != "/healthz":
            origin.requests += 1
            origin.forwarded_for = self.headers.get("X-Forwarded-For")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header(
            "Cache-Control",
            "public, max-age=0, s-maxage=2, stale-while-revalidate=3, stale-if-error=60",
        )
        self.send_header("Surrogate-Key", "site page")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy_of_fake_origin(monkeypatch, request):
    origin = FakeOrigin()
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    port, purge_port = free_port(), free_port()
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-proxy-test-"))
    workdir.chmod(0o755)
    for name in ("SITE_URL", "PROXY_PURGERS", "PROXY_FORWARDED_PROTO", "DJANGO_BEHIND_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", str(port))
    monkeypatch.setenv("BACKEND_PORT", str(origin.server_address[1]))
    monkeypatch.setenv("PROXY_PURGE_PORT", str(purge_port))
    monkeypatch.setenv("PROXY_WORKDIR", str(workdir))
    for name, value in getattr(request, "param", {}).items():
        monkeypatch.setenv(name, value)
    cfg = serve.config()
    vcl_path = workdir / "test.vcl"
    vcl_path.write_text(serve.render_vcl(cfg["vcl"]))
    vcl_path.chmod(0o644)
    varnish = subprocess.Popen(
        serve.varnish_command(cfg, vcl_path),
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {"PROXY_PURGE_PORT": str(purge_port)}
    stack = Stack(port, origin.server_address[1], env, workdir / "none", workdir / "none", varnish)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert varnish.poll() is None, "varnishd exited"
            assert time.monotonic() < deadline, "varnishd did not start"
            try:
                # The purge listener answers plain HTTP whatever the readers' one speaks.
                stack.fetch("GET", "/healthz", port=purge_port, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield stack, origin
    finally:
        varnish.terminate()
        try:
            varnish.wait(timeout=20)
        except subprocess.TimeoutExpired:
            varnish.kill()
            varnish.wait()
        origin.shutdown()
        origin.server_close()
        shutil.rmtree(workdir, ignore_errors=True)


def test_stale_copies_are_served_while_revalidating_and_while_the_origin_fails(
    proxy_of_fake_origin,
):
    proxy, origin = proxy_of_fake_origin
    started = time.monotonic()

    def at(seconds):  # since the page was first stored
        time.sleep(max(0.0, started + seconds - time.monotonic()))

    assert proxy.get("/page").body == b"v1"
    assert proxy.get("/page").header("X-Cache") == "HIT"

    # s-maxage (2 s) passed, within stale-while-revalidate (3 s): the old copy at once, and a
    # new one fetched in the background.
    origin.body = b"v2"
    at(2.4)
    assert proxy.get("/page").body == b"v1"
    at(2.8)
    assert proxy.get("/page").body == b"v2"  # stored at about 2.4 s

    # The origin fails: a failed background fetch leaves the stale copy in place...
    origin.status, origin.body = 500, b"error"
    at(4.8)
    assert proxy.get("/page").body == b"v2"
    at(5.2)
    assert proxy.get("/page").body == b"v2"
    # ...and beyond stale-while-revalidate the proxy asks first, then falls back to it.
    at(8.0)
    asked = origin.requests
    response = proxy.get("/page")
    assert (response.status, response.body) == (200, b"v2")
    assert origin.requests > asked

    # The origin is gone altogether (stale-if-error: 60 s).
    origin.shutdown()
    origin.server_close()
    response = proxy.get("/page")
    assert (response.status, response.body) == (200, b"v2")

    # Nothing stored, nothing to fall back on.
    purge = proxy.fetch("PURGE", "/", headers={"xkey-purge": "page"}, port=proxy.purge_port)
    assert purge.status == 200
    response = proxy.get("/page")
    assert response.status == 503
    assert "Back in a moment" in response.text
    assert response.header("Retry-After") == "5"


@pytest.mark.parametrize("proxy_of_fake_origin", [{"PROXY_PROTOCOL": "true"}], indirect=True)
def test_behind_a_terminator_speaking_the_proxy_protocol_readers_keep_their_addresses(
    proxy_of_fake_origin,
):
    """A TLS terminator on this machine (hitch, HAProxy...) relays every reader from
    127.0.0.1; with PROXY_PROTOCOL it names each reader, and Django, the throttles and the
    purge ACL see that address, not its own."""
    proxy, origin = proxy_of_fake_origin

    def relayed(reader, method, path):
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
            sock.sendall(
                f"PROXY TCP4 {reader} 127.0.0.1 40000 {proxy.port}\r\n"
                f"{method} {path} HTTP/1.1\r\nHost: news.example\r\n"
                "xkey-purge: page\r\nConnection: close\r\n\r\n".encode()
            )
            return read_head(sock, 5)

    assert relayed("203.0.113.7", "GET", "/page").startswith(b"HTTP/1.1 200 ")
    assert origin.forwarded_for == "203.0.113.7"
    assert relayed("198.51.100.20", "GET", "/other").startswith(b"HTTP/1.1 200 ")
    assert origin.forwarded_for == "198.51.100.20"
    # Purges are not taken from readers, even one the terminator says is this machine.
    assert relayed("127.0.0.1", "PURGE", "/").startswith(b"HTTP/1.1 405 ")
    assert relayed("127.0.0.1", "GET", "/page").startswith(b"HTTP/1.1 200 ")
    assert "X-Cache: HIT" in relayed("203.0.113.7", "GET", "/page").decode()
