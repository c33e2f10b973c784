"""A reload's last step, the purge of the old release's pages (manage.py purge_pages), has a
time limit: a front cache that answers a byte at a time (each within FRONT_CACHE_PURGE_TIMEOUT,
so the purge never timed out) kept the reload from ending, and `make reload`, after its 180 s,
said it had no answer and failed while the new release served. Now the purge is stopped after
RELOAD_PURGE_TIMEOUT (60 s by default; a few seconds here), said in the stack's output, and
make reload says the release serves. A stack of its own."""

import http.server
import subprocess
import sys
import threading
import time

from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]
PURGE_SECONDS = 5


class TricklingFrontCache(http.server.ThreadingHTTPServer):
    """Another machine's front cache (FRONT_CACHE_PURGE_URLS) that answers a purge a byte a
    second, for as long as it is listened to."""

    daemon_threads = True

    def __init__(self):
        self.closing = threading.Event()
        super().__init__(("127.0.0.1", 0), Trickle)


class Trickle(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.server.closing.wait(1):
                self.wfile.write(b"a")
                self.wfile.flush()
        except OSError:
            pass  # the purge was stopped

    def log_message(self, *args):
        pass


def test_a_purge_that_never_ends_no_longer_keeps_make_reload_from_its_outcome(tmp_path_factory):
    slow = TricklingFrontCache()
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    variables = {
        "FRONT_CACHE_PURGE_URLS": f"http://127.0.0.1:{slow.server_address[1]}/",
        "RELOAD_PURGE_TIMEOUT": str(PURGE_SECONDS),
    }
    try:
        with running_stack(tmp_path_factory.mktemp("slow-purge"), **variables) as stack:
            started = time.monotonic()
            reloaded = subprocess.run(
                [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=400
            )

            assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr + stack.log()
            assert "serve: reloaded: the new release serves" in reloaded.stdout
            # The purge's limit, and room for the new release's start and the worker's restart.
            assert time.monotonic() - started < PURGE_SECONDS + 90
            assert (
                f"serve: purge_pages did not finish within {PURGE_SECONDS} s and was stopped: "
                "the old release's pages it did not purge expire on their own"
            ) in stack.log()
            assert stack.get("/healthz", port=int(stack.env["RELOAD_BACKEND_PORT"])).status == 200
            assert stack.get(stack.articles[0]).status == 200
            assert stack.process.poll() is None, stack.log()
    finally:
        slow.closing.set()
        slow.shutdown()
        slow.server_close()
