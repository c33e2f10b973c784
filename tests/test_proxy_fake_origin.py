"""The front proxy against an origin the test controls: stale copies while the origin
revalidates or fails, and readers' addresses from a TLS terminator speaking the PROXY
protocol."""

import http.server
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy import serve
from tests.proxy_stack import Stack, free_port, read_head

# --- Stale copies, against an origin the test controls --------------------------------------------


class FakeOrigin(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.status, self.body, self.requests = 200, b"v1", 0
        self.forwarded_for, self.headers = None, {}
        # What it sends besides: its keys (None: none), where a redirect leads.
        self.surrogate_key, self.location = "site page", None
        self.cache_control = (
            "public, max-age=0, s-maxage=2, stale-while-revalidate=3, stale-if-error=60"
        )
        # Cleared: pages hang (a gunicorn stuck in a worker), /healthz still answers.
        self.answering = threading.Event()
        self.answering.set()
        super().__init__(("127.0.0.1", 0), FakeOriginHandler)

    def handle_error(self, request, client_address):
        pass  # a reader the proxy gave up on (a hung page) is gone when the page comes


class FakeOriginHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request a connection: stopping the server stops it

    def do_GET(self):
        origin = self.server
        status, body = (200, b"ok") if self.path == "/healthz" else (origin.status, origin.body)
        if self.path != "/healthz":
            origin.answering.wait(60)
            origin.requests += 1
            origin.forwarded_for = self.headers.get("X-Forwarded-For")
            origin.headers = self.headers
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", origin.cache_control)
        if origin.surrogate_key is not None:
            self.send_header("Surrogate-Key", origin.surrogate_key)
        if origin.location is not None:
            self.send_header("Location", origin.location)
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy_of_fake_origin(monkeypatch, request):
    with proxy_before_fake_origin(monkeypatch, getattr(request, "param", {})) as running:
        yield running


@contextmanager
def proxy_before_fake_origin(monkeypatch, variables: dict):
    """Varnish as serve.py configures it, with these variables, before a FakeOrigin."""
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
    for name, value in variables.items():
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


def test_a_file_that_names_no_stale_if_error_is_still_served_while_the_origin_fails(
    proxy_of_fake_origin,
):
    """The media view and WhiteNoise (the site's icons: a day) say how long a file is fresh,
    not how long it may be served stale: the proxy keeps it PROXY_STALE_IF_ERROR (a day) all
    the same, so an outage does not break the pictures of the pages it still serves."""
    proxy, origin = proxy_of_fake_origin
    origin.cache_control, origin.body = "public, max-age=1", b"picture"
    assert proxy.get("/media/renditions/a.jpg").body == b"picture"

    time.sleep(1.5)
    origin.status, origin.body = 500, b"error"
    response = proxy.get("/media/renditions/a.jpg")
    assert (response.status, response.body) == (200, b"picture")

    origin.shutdown()
    origin.server_close()
    response = proxy.get("/media/renditions/a.jpg")
    assert (response.status, response.body) == (200, b"picture")


def relayed(proxy, reader, method, path) -> bytes:
    """A request as a TLS terminator passes it on, naming its reader (PROXY protocol v1)."""
    family, to = ("TCP6", "::1") if ":" in reader else ("TCP4", "127.0.0.1")
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(
            f"PROXY {family} {reader} {to} 40000 {proxy.port}\r\n"
            f"{method} {path} HTTP/1.1\r\nHost: news.example\r\nContent-Length: 0\r\n"
            "xkey-purge: page\r\nConnection: close\r\n\r\n".encode()
        )
        return read_head(sock, 5)


@pytest.mark.parametrize("proxy_of_fake_origin", [{"PROXY_PROTOCOL": "true"}], indirect=True)
def test_behind_a_terminator_speaking_the_proxy_protocol_readers_keep_their_addresses(
    proxy_of_fake_origin,
):
    """A TLS terminator on this machine (hitch, HAProxy...) relays every reader from
    127.0.0.1; with PROXY_PROTOCOL it names each reader, and Django, the throttles and the
    purge ACL see that address, not its own."""
    proxy, origin = proxy_of_fake_origin

    assert relayed(proxy, "203.0.113.7", "GET", "/page").startswith(b"HTTP/1.1 200 ")
    assert origin.forwarded_for == "203.0.113.7"
    assert relayed(proxy, "198.51.100.20", "GET", "/other").startswith(b"HTTP/1.1 200 ")
    assert origin.forwarded_for == "198.51.100.20"
    # Purges are not taken from readers, even one the terminator says is this machine.
    assert relayed(proxy, "127.0.0.1", "PURGE", "/").startswith(b"HTTP/1.1 405 ")
    assert relayed(proxy, "127.0.0.1", "GET", "/page").startswith(b"HTTP/1.1 200 ")
    assert "X-Cache: HIT" in relayed(proxy, "203.0.113.7", "GET", "/page").decode()


@pytest.mark.parametrize(
    "proxy_of_fake_origin",
    [{"PROXY_PROTOCOL": "true", "PROXY_POST_LIMIT": "4", "PROXY_MISS_LIMIT": "5"}],
    indirect=True,
)
def test_the_proxy_limits_an_ipv6_reader_by_its_64_as_django_does(proxy_of_fake_origin):
    """One subscriber is usually handed a whole /64 and can send each request from another
    address of it: the throttles count the /64, as Django's limits do, not each address."""
    proxy, _ = proxy_of_fake_origin

    def status(reader, method, path):
        return int(relayed(proxy, reader, method, path).split(b" ", 2)[1])

    # Comment posts (4 a minute) from one /64, spelt every way a terminator or inet_ntop may.
    household = ["2001:db8::1", "2001:DB8:0:0:0:0:0:2", "2001:db8:0:0:1::", "2001:db8::1:0:0:1"]
    assert [status(reader, "POST", "/comments/post/1/") for reader in household] == [200] * 4
    assert status("2001:db8::a:b:c:d", "POST", "/comments/post/1/") == 429
    # The next /64 has limits of its own, and IPv4 readers (mapped ones too) one each.
    assert status("2001:db8:0:1::1", "POST", "/comments/post/1/") == 200
    readers = [f"::ffff:203.0.113.{n}" for n in range(1, 6)]
    assert [status(reader, "POST", "/comments/post/1/") for reader in readers] == [200] * 5

    # Misses (5 a second), each from another address of one /64.
    misses = [status(f"2001:db8:1:1::{n:x}", "GET", f"/search/?q=unique{n}") for n in range(10)]
    assert 429 in misses
    assert status("2001:db8:1:2::1", "GET", "/search/?q=neighbour") == 200


@pytest.mark.parametrize(
    "proxy_of_fake_origin",
    [
        {
            "PROXY_PROTOCOL": "true",
            "PROXY_POST_LIMIT": "2",
            "PROXY_BODY_LIMIT": "2",
            "PROXY_UNSUBSCRIBE_LIMIT": "2",
            "PROXY_MISS_LIMIT": "5",
        }
    ],
    indirect=True,
)
def test_the_proxy_limits_an_ipv6_48_at_four_times_a_64_s_throttles(proxy_of_fake_origin):
    """A tunnel broker hands anyone a /48, 65,536 /64s: walking them, a client had a fresh
    throttle with each. A /48 gets four /64s' worth (comments.ratelimit.NETWORK_FACTOR, as in
    Django); other /48s and IPv4 readers are counted as before."""
    proxy, origin = proxy_of_fake_origin

    def head(reader, method, path):
        return relayed(proxy, reader, method, path).decode()

    def status(reader, method, path):
        return int(head(reader, method, path).split(" ", 2)[1])

    # Comment posts (2 a minute per /64, 8 per /48), one from each /64 of a /48.
    posts = [status(f"2001:db8:1:{n:x}::1", "POST", "/comments/post/1/") for n in range(10)]
    assert posts == [200] * 8 + [429] * 2
    assert "Retry-After: 30" in head("2001:db8:1:ff::1", "POST", "/comments/post/1/")
    assert status("2001:db8:2::1", "POST", "/comments/post/1/") == 200
    assert "X-Proxy-Network" not in origin.headers  # the proxy's own note, never passed on
    readers = [f"203.0.113.{n}" for n in range(1, 11)]
    assert [status(reader, "POST", "/comments/post/1/") for reader in readers] == [200] * 10

    # The admin's forms (2 a minute per /64, 8 per /48) too.
    forms = [status(f"2001:db8:3:{n:x}::1", "POST", "/admin/login/") for n in range(10)]
    assert forms == [200] * 8 + [429] * 2
    # One-click unsubscribes are not: a mail provider posts many readers' from its network,
    # past the /48's 20 misses a second too (review R3: its origin throttle refused them).
    clicks = [status(f"2001:db8:4:{n:x}::1", "POST", "/comments/unsubscribe/t/") for n in range(30)]
    assert clicks == [200] * 30

    # Misses (5 a second per /64, 20 per /48), each from another /64 of one /48.
    misses = [status(f"2001:db8:5:{n:x}::1", "GET", f"/search/?q=walk{n}") for n in range(100)]
    assert 429 in misses
    assert status("2001:db8:6::1", "GET", "/search/?q=neighbour") == 200
