"""An editor's photo straight from a phone or a camera (25-30 MB is common) through the real
stack: a form holding a picture up to IMAGE_MAX_BYTES (30 MB) passes the proxy, and so does one
somewhat over it, which Django's form refuses with the editor's text kept (the form's own test:
tests/test_phone_photo_sizes.py); only a far larger body gets the proxy's 413 page."""

import http.client
import os
import subprocess
import sys

import pytest

from tests.proxy_stack import BASE_DIR, request_id
from tests.test_proxy_assets import refused_body

MB = 1024 * 1024
BOUNDARY = "----photo"


def post_photo(stack, photo_bytes: int) -> tuple[int, str, str]:
    """An article form as a browser sends it: its text (256 KB, DATA_UPLOAD_MAX_MEMORY_SIZE's
    default) and a picture. Status, page and request id."""
    rid = request_id()
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="body"\r\n\r\n'.encode()
        + b"x" * (256 * 1024)
        + f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="hero_image"; '
        f'filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
    )
    body = head + b"\xff" * photo_bytes + f"\r\n--{BOUNDARY}--\r\n".encode()
    conn = http.client.HTTPConnection(
        "127.0.0.1", stack.port, timeout=60, source_address=("127.0.0.6", 0)
    )
    try:
        conn.request(
            "POST",
            "/admin/articles/article/add/",
            body=body,
            headers={
                "Host": f"127.0.0.1:{stack.port}",
                "X-Request-ID": rid,
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            },
        )
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), rid
    finally:
        conn.close()


@pytest.mark.parametrize("photo_bytes", [30 * MB - 1024, 45 * MB])
def test_a_form_with_a_phone_photo_up_to_and_over_the_limit_reaches_django(stack, photo_bytes):
    status, _, rid = post_photo(stack, photo_bytes)

    assert status != 413
    assert stack.reached_gunicorn(rid)  # Django answers: the form, with the editor's text


def test_a_far_larger_upload_is_told_the_picture_limit_by_the_proxy(stack):
    # Answered from the headers, before a byte of the body is read.
    head, page = refused_body(
        stack, "/admin/articles/article/add/", f"multipart/form-data; boundary={BOUNDARY}", 64 * MB
    )

    assert head.startswith(b"HTTP/1.1 413 "), head
    assert "a picture may be at most 30 MB" in page


def test_a_proxy_cap_too_small_for_the_picture_limit_stops_start_up_naming_it():
    # The 12 MB the proxy took before: a 30 MB photo the form accepts would never reach it.
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "PROXY_ADMIN_BODY_MAX": "12582912"}
    env.pop("IMAGE_MAX_BYTES", None)

    started = subprocess.run(
        [sys.executable, str(BASE_DIR / "deploy" / "serve.py"), "--print-vcl"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert started.returncode != 0
    assert "PROXY_ADMIN_BODY_MAX must be at least 32505856, not 12582912" in started.stderr
