"""A front cache that records the purges it receives (loaded as a pytest plugin,
tests/conftest.py, for the `purges` fixture)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Recorder(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purged.append(set(self.headers["xkey-purge"].split()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purges(settings):
    """The keys each purge named, as a front cache at FRONT_CACHE_PURGE_URLS receives them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield server.purged
    server.shutdown()
    server.server_close()
