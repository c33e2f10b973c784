"""What the front proxy's stack writes down (gunicorn's access log: no secret link, no line a
client forged, no passing health check) and what it answers itself (an address too long for
the origin). The shared stack of tests/proxy_stack.py, as in tests/test_proxy.py."""

import time
import uuid
from urllib.parse import quote

import pytest

from tests.proxy_stack import request_id

# --- 6. What the stack writes down and what it refuses --------------------------------------------


@pytest.mark.parametrize("path", ["/comments/status/{}/", "/comments/privacy/{}/"])
def test_the_access_log_never_holds_a_secret_link(stack, path):
    token = f"MTc:1xYeff:{uuid.uuid4().hex}"
    rid = request_id()

    stack.get(path.format(token), headers={"X-Request-ID": rid})

    assert stack.reached_gunicorn(rid)
    line = next(line for line in stack.log().splitlines() if f"[{rid}]" in line)
    assert token not in stack.log()
    assert path.format("[link redacted]") in line


def test_a_path_cannot_write_a_line_of_its_own_into_the_access_log(stack):
    forged = '127.0.0.1 "GET /admin/ HTTP/1.1" 200 42 1ms "forged"'
    rid = request_id()

    stack.get(f"/articles/x%0a{quote(forged)}%00/", headers={"X-Request-ID": rid})

    assert stack.reached_gunicorn(rid)
    log = stack.log_path.read_bytes()
    assert b"\0" not in log  # grep would call the log a binary file
    assert not any(line.startswith(forged) for line in log.decode().splitlines())
    line = next(line for line in log.decode().splitlines() if f"[{rid}]" in line)
    assert "/articles/x\\x0A127.0.0.1 \\x22GET /admin/ HTTP/1.1\\x22" in line


def test_the_proxy_s_health_checks_fill_no_access_log_while_they_pass(stack):
    # Varnish asks /healthz every 5 s: a day's worth would be 17,000 lines saying nothing.
    time.sleep(5.5)  # at least one probe, whenever this test runs
    assert stack.get("/healthz").status == 200

    assert "[varnish-health-probe]" not in stack.log()


def test_a_client_sending_the_probe_s_request_id_is_still_written_down(stack):
    # Were the probe's id enough, anyone could keep a stolen link's use out of the access log.
    answered = stack.get("/comments/privacy/", headers={"X-Request-ID": "varnish-health-probe"})
    sentinel = request_id()
    stack.get("/healthz", headers={"X-Request-ID": sentinel}, source="127.0.0.9")
    assert stack.reached_gunicorn(sentinel)
    time.sleep(0.2)

    assert answered.status == 200
    lines = [line for line in stack.log().splitlines() if "[varnish-health-probe]" in line]
    assert any("/comments/privacy/" in line for line in lines)


def test_an_address_too_long_for_the_origin_gets_our_page_at_the_proxy(stack):
    rid = request_id()

    response = stack.get("/search/?q=" + "a" * 5000, headers={"X-Request-ID": rid})

    assert response.status == 414
    assert "That address is too long. Please search with fewer words." in response.text
    assert response.header("Cache-Control") == "no-store"
    assert stack.never_reached_gunicorn(rid)


def test_a_long_address_that_is_not_a_search_is_not_answered_about_searching(stack):
    response = stack.get("/articles/" + "a" * 9000 + "/")

    assert response.status == 414
    assert "Check the link you followed, or search for the story." in response.text
    assert "fewer words" not in response.text
