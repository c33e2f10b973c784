"""Static files and media through the real stack (Varnish in front of gunicorn): they are the
same for every reader, so a signed-in editor's or a reader's cookies never send them past the
cache, and a page's files fetched together never run into the throttle. And the proxy's
answer to an upload over the admin's cap speaks to an editor, not to a commenter."""

import json
import re
import socket
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.proxy_stack import BASE_DIR, request_id

# What a signed-in editor's browser sends with every file: the session, and a flash message
# waiting ("The article was changed successfully.").
PERSONAL = {"Cookie": "sessionid=abc; messages=xyz; csrftoken=def"}


def static_url(name: str) -> str:
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][name]


def admin_files() -> list[str]:
    """The admin's own CSS, JavaScript and icons, as a change form names them (hashed)."""
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    return sorted(
        "/static/" + hashed
        for name, hashed in manifest["paths"].items()
        if re.fullmatch(r"admin/(css|js|img)/[^/]+\.(css|js|svg)", name)
    )


def media_url(stack) -> str:
    """A hero image rendition an article page shows (the demo content has them)."""
    for article in stack.articles:
        found = re.search(r"/media/[^\"'\s,?]+\.(?:jpe?g|png|webp)", stack.get(article).text)
        if found:
            return found.group(0)
    raise AssertionError("no article page shows a /media/ file")


def fetch_all(stack, paths, source, headers=None):
    """Every path at once from one address, six connections at a time, as a browser does."""

    def one(path):
        try:
            return stack.get(path, headers=headers, source=source)
        except OSError:
            return None

    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(one, paths))


@pytest.mark.parametrize(
    "which",
    [
        "static",
        "media",
        "/favicon.ico",
        "/apple-touch-icon.png",
        "/apple-touch-icon-precomposed.png",
    ],
)
def test_static_files_and_media_come_from_the_cache_whatever_cookies_the_reader_sends(stack, which):
    if which.startswith("/"):
        path = which  # the site's icons, asked for at the root by browsers and iOS
    else:
        path = static_url("admin/js/prepopulate.js") if which == "static" else media_url(stack)

    first = stack.get(path, headers=PERSONAL)
    rid = request_id()
    second = stack.get(path, headers={**PERSONAL, "X-Request-ID": rid})

    assert first.status == 200, (path, first.status)
    assert first.header("X-Cache") in ("MISS", "HIT"), (path, first.headers)
    assert second.status == 200
    assert second.header("X-Cache") == "HIT", (path, second.headers)
    assert second.body == first.body
    assert not second.header("Set-Cookie")
    assert stack.never_reached_gunicorn(rid)
    # The same copy for a reader without cookies.
    anonymous = stack.get(path)
    assert anonymous.header("X-Cache") == "HIT"
    assert anonymous.body == first.body


def test_an_editor_s_first_admin_page_load_gets_every_file_and_no_429(stack):
    """A change form asks for ~40 files at once. With a cold cache (after a restart or a deploy:
    emptied of them here) they all reach Django once, from one address, within a second: none
    may be refused, nor may the editor's next pages be."""
    files = admin_files()
    assert len(files) >= 40
    cold = files[:40]
    stack.forget(*cold)

    first = fetch_all(stack, cold, "127.0.0.21", headers=PERSONAL)
    after = [
        stack.get("/admin/login/", headers=PERSONAL, source="127.0.0.21").status for _ in range(3)
    ]
    again = fetch_all(stack, cold, "127.0.0.21", headers=PERSONAL)

    assert Counter(r.status if r else "failed" for r in first) == {200: 40}
    assert {r.header("X-Cache") for r in first} == {"MISS"}
    assert 429 not in after, after
    assert Counter(r.status if r else "failed" for r in again) == {200: 40}
    assert {r.header("X-Cache") for r in again} == {"HIT"}


def test_a_flood_of_made_up_static_addresses_is_still_turned_away(stack):
    paths = [f"/static/no-such-file-{uuid.uuid4().hex}.js" for _ in range(200)]

    responses = [r for r in fetch_all(stack, paths, "127.0.0.22", headers=PERSONAL) if r]

    limited = [r for r in responses if r.status == 429 and r.header("X-Cache") == "SYNTH"]
    assert limited
    assert all(r.header("Retry-After") == "1" for r in limited)
    assert stack.get("/robots.txt").status == 200


# --- The proxy's answer to a body over the cap ---------------------------------------------------


def refused_body(stack, path, content_type, size) -> tuple[bytes, str]:
    """POST headers saying `size` bytes; the proxy answers before reading any of the body.
    Its whole answer: the head and the page."""
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {size}\r\n\r\n"
            ).encode()
        )
        data = b""
        while chunk := sock.recv(65536):  # the proxy closes after its answer
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body.decode("utf-8", "replace")


def test_a_hero_image_over_the_admin_s_cap_gets_a_page_an_editor_understands(stack):
    head, page = refused_body(
        stack,
        "/admin/articles/article/add/",
        "multipart/form-data; boundary=----hero",
        64 * 1024 * 1024,
    )

    assert head.startswith(b"HTTP/1.1 413 "), head
    # The picture limit the article form states too, not the proxy's cap on the whole body.
    assert "The upload is larger than this site accepts: a picture may be at most 30 MB." in page
    assert "choose a smaller picture and save again" in page
    assert "Comments" not in page


def test_a_comment_over_the_cap_still_hears_that_comments_are_text(stack):
    head, page = refused_body(
        stack, "/comments/post/1/", "application/x-www-form-urlencoded", 70_000
    )

    assert head.startswith(b"HTTP/1.1 413 "), head
    assert "Comments are text only." in page, page
    assert "upload" not in page
