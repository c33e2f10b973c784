"""The ceiling: a bare WSGI app answering "ok", served by the same gunicorn config as the site."""

BODY = b"ok"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
