"""newsportal.wsgi, with one address that takes 50 s to answer, as a slow export or upload
would: /long-request/ (tests/test_proxy_shutdown_killed.py). It sleeps, so gunicorn's graceful
stop lets it finish, and only a SIGKILL cuts it."""

import time

from newsportal.wsgi import application as site

SECONDS = 50


def application(environ, start_response):
    if environ["PATH_INFO"] != "/long-request/":
        return site(environ, start_response)
    time.sleep(SECONDS)
    body = b"answered after the whole request\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
