"""A front cache that records the purges it receives, and refuses those Varnish would refuse
(loaded as a pytest plugin, tests/conftest.py, for the `purges` fixture)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The longest request header Varnish takes by default (http_req_hdr_len), its name included: a
# longer one is refused, and nothing it named is purged.
VARNISH_HEADER_LIMIT = 8192


class Recorder(BaseHTTPRequestHandler):
    def do_PURGE(self):
        keys = self.headers["xkey-purge"]
        if len(f"xkey-purge: {keys}") > VARNISH_HEADER_LIMIT:
            self.send_error(400, "Header too long")  # as Varnish does
            return
        self.server.purged.append(set(keys.split()))
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
