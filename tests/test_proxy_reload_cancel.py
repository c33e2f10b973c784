"""Ctrl-C during a reload. In the terminal of `make reload` (serve.py --reload): the running
stack cancels the reload cleanly, whatever step it had reached before the switch, and says so;
the operator is told what happened rather than shown a traceback while the reload goes on
unseen. In the terminal of `make serve`: the reload's steps finish before the stack stops.
Stacks of their own."""

import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.page_forms import scrape_form
from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]


def _answers(stack, port) -> bool:
    try:
        return stack.get("/healthz", port=port, timeout=2).status == 200
    except OSError:
        return False


def _make_reload(stack) -> subprocess.Popen:
    return subprocess.Popen(
        [*SERVE, "--reload"],
        env=stack.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal's foreground job, for its Ctrl-C
    )


def test_ctrl_c_during_a_reload_leaves_the_old_release_serving_and_says_so(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload-cancel")) as stack:
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])
        reloading = _make_reload(stack)
        deadline = time.monotonic() + 30
        while "serve: reloading" not in stack.log():
            assert time.monotonic() < deadline, stack.log()
            time.sleep(0.05)
        # The new gunicorn is starting (it takes seconds): Ctrl-C, to the whole job.
        os.killpg(reloading.pid, signal.SIGINT)
        out, err = reloading.communicate(timeout=180)

        assert reloading.returncode == 1, out + err
        assert "Traceback" not in err, err
        assert "cancelling the reload" in out
        assert "reload stopped, the old release still serves: cancelled" in out, out
        assert "reload stopped, the old release still serves: cancelled" in stack.log()
        # The old release serves; the new one is gone, and never took a reader.
        time.sleep(1)
        assert _answers(stack, stack.backend_port)
        assert not _answers(stack, other_port)
        assert stack.get(stack.articles[0]).status == 200
        assert stack.process.poll() is None

        # The next reload goes through, to the same port the cancelled one was to use.
        again = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert again.returncode == 0, again.stdout + again.stderr + stack.log()
        assert "serve: reloaded" in again.stdout
        assert _answers(stack, other_port) and not _answers(stack, stack.backend_port)


def test_ctrl_c_while_the_last_reload_s_gunicorn_finishes_says_what_serves(tmp_path_factory):
    # The second of two reloads waits for the gunicorn the first stopped, which still holds a
    # comment being saved (slow_wsgi), on the port it is to take. A Ctrl-C then said "the new
    # release was stopped before any reader reached it": none was started, and readers were on
    # the release the first reload put in, which goes on serving.
    held = {"GUNICORN_GRACEFUL_TIMEOUT": "30", "SERVE_WSGI_APP": "tests.slow_wsgi"}
    with running_stack(tmp_path_factory.mktemp("reload-cancel-draining"), **held) as stack:
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])
        action, fields = scrape_form(stack.get(stack.articles[0]).text, "comment-form")
        sending = threading.Thread(target=stack.post, args=(action, fields), kwargs={"timeout": 60})
        sending.start()
        time.sleep(1)  # in the first gunicorn
        first = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert first.returncode == 0, first.stdout + first.stderr + stack.log()
        reloading = _make_reload(stack)
        deadline = time.monotonic() + 30
        while stack.log().count("serve: reloading") < 2:
            assert time.monotonic() < deadline, stack.log()
            time.sleep(0.05)
        os.killpg(reloading.pid, signal.SIGINT)
        out, err = reloading.communicate(timeout=180)
        sending.join(60)

        assert reloading.returncode == 1, out + err
        said = (
            "serve: reload stopped, the old release still serves: cancelled (Ctrl-C in make "
            "reload) while the gunicorn the last reload stopped was finishing its requests: this "
            "reload's new release was never started, and the one the last reload put in serves on"
        )
        assert said in out, out + stack.log()
        assert said in stack.log()
        assert "stopped before any reader reached it" not in out
        assert _answers(stack, other_port)
        assert stack.get(stack.articles[1]).status == 200
        assert stack.process.poll() is None, stack.log()


def _catches_sigterm(pid: int) -> bool:
    """Whether the process handles SIGTERM yet (serve.py --reload does once it may be asked
    to cancel), from the caught-signals mask the kernel shows."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = re.search(r"^SigCgt:\s*([0-9a-f]+)", status, re.M)
    return bool(caught and int(caught[1], 16) & 1 << (signal.SIGTERM - 1))


def test_ctrl_c_at_once_after_make_reload_starts_still_cancels(tmp_path_factory):
    # Pressed before the stack has even begun the reload it was just asked for.
    with running_stack(tmp_path_factory.mktemp("reload-cancel-at-once")) as stack:
        reloading = _make_reload(stack)
        deadline = time.monotonic() + 30
        while not _catches_sigterm(reloading.pid):
            assert time.monotonic() < deadline and reloading.poll() is None
            time.sleep(0.001)
        os.killpg(reloading.pid, signal.SIGINT)
        out, err = reloading.communicate(timeout=180)

        assert reloading.returncode == 1, out + err
        assert "reload stopped, the old release still serves: cancelled" in out, out + err
        time.sleep(1)
        assert _answers(stack, stack.backend_port)
        assert not _answers(stack, int(stack.env["RELOAD_BACKEND_PORT"]))


class SlowFrontCache(http.server.ThreadingHTTPServer):
    """Another machine's front cache (FRONT_CACHE_PURGE_URLS), slow to answer a purge."""

    daemon_threads = True

    def __init__(self):
        self.started, self.answered = threading.Event(), threading.Event()
        super().__init__(("127.0.0.1", 0), SlowPurge)


class SlowPurge(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.started.set()
        time.sleep(3)
        self.send_response(200)
        self.end_headers()
        self.server.answered.set()

    def log_message(self, *args):
        pass


def test_ctrl_c_in_make_serve_s_terminal_during_a_reload_lets_its_purge_finish(tmp_path_factory):
    """The terminal's Ctrl-C reaches serve.py's whole process group: the purge of the old
    release's pages (manage.py purge_pages) and varnishadm are serve.py's to finish, not cut
    short there, before the stack stops in order."""
    other = SlowFrontCache()
    threading.Thread(target=other.serve_forever, daemon=True).start()
    variables = {"FRONT_CACHE_PURGE_URLS": f"http://127.0.0.1:{other.server_address[1]}/"}
    try:
        with running_stack(tmp_path_factory.mktemp("reload-stop"), **variables) as stack:
            reloading = subprocess.Popen(
                [*SERVE, "--reload"], env=stack.env, stdout=subprocess.PIPE, text=True
            )
            assert other.started.wait(120), stack.log()
            os.killpg(stack.process.pid, signal.SIGINT)
            assert stack.process.wait(90) == 0, stack.log()
            reloading.communicate(timeout=60)

            assert other.answered.is_set()
            log = stack.log()
            assert "serve: reloaded" in log, log
            assert "purge_pages failed" not in log, log
            assert "Traceback" not in log and "KeyboardInterrupt" not in log, log
    finally:
        other.shutdown()
        other.server_close()
