"""The front proxy stops what would hurt the site before it reaches Python: slow clients, bodies
the site does not take, floods from one address, odd Host headers (stale copies and the PROXY
protocol: tests/test_proxy_fake_origin.py), tracking tags that would split the cache."""

import contextlib
import re
import socket
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.page_forms import scrape_form
from tests.proxy_stack import read_head, request_id, warm

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
        ("/admin/login/", {"Content-Type": "multipart/form-data; boundary=x"}, 64_000_000, 413),
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


def _links_moved_under(prefix: str, html: str) -> bool:
    return f'href="{prefix}/articles/' in html or f'href="{prefix}/section/' in html


@pytest.mark.parametrize("header", ["SCRIPT_NAME", "Script_Name", "PATH_INFO"])
def test_a_wsgi_path_header_never_changes_a_cached_page(stack, header):
    # gunicorn takes these headers as the request's path from a trusted address (the proxy's)
    # unless told not to: the page stored would be a 404, or every link in it moved.
    section = re.search(r'href="(/section/[^"/]+/)"', stack.get("/").text)[1]
    for path, prefix in ((section, "/section"), (stack.articles[2], "/articles")):
        stack.forget(path)  # no copy yet: this reader's request draws the one kept
        first = stack.get(path, headers={header: prefix})
        assert first.header("X-Cache") == "MISS"
        second = stack.get(path)
        assert second.status == 200, path
        assert not _links_moved_under(prefix, second.text), path

    # A path no reader uses, to draw Django's shared fragments with moved links.
    stack.get(f"/zz{section}", headers={header: "/zz"})
    stack.forget(section)
    assert not _links_moved_under("/zz", stack.get(section).text)

    # Straight to gunicorn from the proxy's own address, as if the proxy had passed it on.
    direct = stack.get(section, headers={header: "/section"}, port=stack.backend_port)
    assert direct.status == 200
    assert not _links_moved_under("/section", direct.text)


# --- Query strings -------------------------------------------------------------------------------


# From an address of their own: the tests before them spend 127.0.0.1's cache misses, and a
# miss past the proxy's per-address throttle is answered 429.
READER = "127.0.0.5"


def test_tracking_tags_on_a_shared_link_neither_split_the_cache_nor_reach_gunicorn(stack):
    article = stack.articles[1]
    for _ in range(3):
        normal = stack.get(article, source=READER)
        if normal.header("X-Cache") == "HIT":
            break
    assert normal.header("X-Cache") == "HIT"
    rid = request_id()
    tagged = stack.get(
        f"{article}?utm_source=newsletter&fbclid={rid}&igshid={rid}&gclid=x&ttclid={rid}",
        headers={"X-Request-ID": rid},
        source=READER,
    )
    assert tagged.header("X-Cache") == "HIT"
    assert tagged.body == normal.body
    assert stack.never_reached_gunicorn(rid)


def test_google_s_newer_tags_on_a_shared_link_neither_split_the_cache_nor_reach_gunicorn(stack):
    # GA4's campaign parameters with an underscore in their names, and what Google Ads (every
    # ad click) and Google's result pages add to a link.
    article = stack.articles[2]
    normal = warm(stack, article)
    assert normal.header("X-Cache") == "HIT"
    for tag in (
        "utm_source_platform",
        "utm_creative_format",
        "utm_marketing_tactic",
        "gad_source",
        "gad_campaignid",
        "srsltid",
    ):
        _assert_the_cached_copy_answers(stack, article, f"{tag}={request_id()}", normal)


def test_tracking_tags_in_capitals_neither_split_the_cache_nor_reach_gunicorn(stack):
    # Some mailers and link shorteners write the tags in capitals; Django reads neither spelling.
    article = stack.articles[3]
    normal = warm(stack, article)
    assert normal.header("X-Cache") == "HIT"
    for query in ("UTM_SOURCE=x", "Utm_Campaign=x&FBCLID=y", "GCLID=z", "Gad_Source=1"):
        _assert_the_cached_copy_answers(stack, article, query, normal)


def _assert_the_cached_copy_answers(stack, article, query, normal):
    rid = request_id()
    tagged = stack.get(f"{article}?{query}", headers={"X-Request-ID": rid}, source=READER)
    assert tagged.header("X-Cache") == "HIT", query
    assert tagged.body == normal.body
    assert stack.never_reached_gunicorn(rid), query


def test_a_tracking_tag_leaves_the_parameters_the_site_reads(stack):
    tagged = stack.get(f"/?utm_campaign=x&page=2&msclkid={request_id()}", source=READER)
    assert tagged.status == 200
    assert re.search(r"<title>[^<]* – page 2", tagged.text)
    assert stack.get("/?page=2", source=READER).body == tagged.body
    on_page_2 = stack.get("/?page=2&UTM_MEDIUM=mail", source=READER)
    assert on_page_2.body == tagged.body
    # A search for a tag's name, in any case, is still that search.
    for words in ("gclid", "UTM_SOURCE"):
        found = stack.get(f"/search/?q={words}", source=READER)
        assert found.status == 200
        assert f"<title>Search: {words} " in found.text, words


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
