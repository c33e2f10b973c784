"""newsportal.wsgi, with a comment's post held up as a database lock holds it on PostgreSQL
(a migration building an index on the comments table): for tests/test_proxy_hung_request.py.
The wait is one a signal interrupts, as psycopg's is; SQLite's busy wait, in C, is not."""

import time

from newsportal.wsgi import application as site


def application(environ, start_response):
    if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].startswith("/comments/post/"):
        time.sleep(60)
    return site(environ, start_response)
