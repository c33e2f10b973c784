"""Two reloads at once. A second `make reload` while one is under way ran its steps beside the
first's (packages, migrations), then took the first's outcome for its own ("reloaded", though
its own reload had not begun), and the stack reloaded once more afterwards, with nobody
watching; a Ctrl-C in its terminal cancelled the first's. Now it is refused at its first step,
saying why, and so is one started while the stack is still at a reload whose make reload stopped
waiting. Stacks of their own, whose reload is held at its last step (the purge of the old
release's pages, by a front cache that answers when the test lets it)."""

import contextlib
import http.server
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]


class HeldFrontCache(http.server.ThreadingHTTPServer):
    """Another machine's front cache (FRONT_CACHE_PURGE_URLS) that answers a purge only once
    `release` is set."""

    daemon_threads = True

    def __init__(self):
        self.purging, self.release = threading.Event(), threading.Event()
        super().__init__(("127.0.0.1", 0), HeldPurge)


class HeldPurge(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purging.set()
        self.server.release.wait(50)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def stack_with_a_held_purge(tmp_path_factory, name: str):
    held = HeldFrontCache()
    threading.Thread(target=held.serve_forever, daemon=True).start()
    variables = {
        "FRONT_CACHE_PURGE_URLS": f"http://127.0.0.1:{held.server_address[1]}/",
        "FRONT_CACHE_PURGE_TIMEOUT": "55",
    }
    try:
        with running_stack(tmp_path_factory.mktemp(name), **variables) as stack:
            yield stack, held
    finally:
        held.release.set()
        held.shutdown()
        held.server_close()


def started(command: list[str], stack, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=stack.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def ancestors(pid: int) -> list[int]:
    found = []
    while pid > 1:
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        found.append(pid)
    return found


def outcome_while_held(process: subprocess.Popen, held: HeldFrontCache) -> str:
    """What it said: at once when refused, while the other reload is held. (Before, it waited
    for that reload's outcome, and took it for its own: let go on after a minute.)"""
    try:
        return process.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        held.release.set()
        return process.communicate(timeout=240)[0]


def test_a_second_make_reload_while_one_is_under_way_is_refused(tmp_path_factory):
    with stack_with_a_held_purge(tmp_path_factory, "reload-twice-at-once") as (stack, held):
        workdir = Path(stack.env["PROXY_WORKDIR"])
        first = started(["make", "reload"], stack)
        assert held.purging.wait(180), stack.log()  # the first is at its last step
        second = started(["make", "reload"], stack)
        said = outcome_while_held(second, held)
        holder = re.search(
            r"another make reload is under way for the stack in (.+) \(pid (\d+)\)", said
        )
        assert holder and holder[1] == str(workdir), said
        assert first.pid in ancestors(int(holder[2]))  # the first make reload's own steps
        held.release.set()
        first_said = first.communicate(timeout=240)[0]

        assert first.returncode == 0, first_said + stack.log()
        assert "serve: reloaded: the new release serves" in first_said
        assert second.returncode != 0, said + stack.log()
        assert (
            f"this one changes nothing. Wait for that one's outcome (its terminal, or "
            f"{workdir / 'reload.json'}), then run make reload again if it is still needed"
        ) in said, said
        for step in ("collectstatic", "migrate", "serve.py --check", "serve.py --reload"):
            assert step not in said, said
        assert stack.log().count("serve: reloading") == 1, stack.log()

        # Once it is over, the next one goes through.
        again = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert again.returncode == 0, again.stdout + again.stderr + stack.log()
        assert stack.process.poll() is None, stack.log()


def test_a_reload_while_the_stack_is_still_at_one_nobody_waits_for_is_refused(tmp_path_factory):
    with stack_with_a_held_purge(tmp_path_factory, "reload-left") as (stack, held):
        # Ctrl-C twice in the first one's terminal, past the switch: it stops waiting, and the
        # stack goes on with its reload.
        first = started([*SERVE, "--reload"], stack, start_new_session=True)
        assert held.purging.wait(180), stack.log()
        os.killpg(first.pid, signal.SIGINT)
        while "cancelling the reload" not in (line := first.stdout.readline()):
            assert line, stack.log()
        os.killpg(first.pid, signal.SIGINT)
        assert first.wait(timeout=30) == 130
        second = started([*SERVE, "--reload"], stack)
        said = outcome_while_held(second, held)
        held.release.set()

        assert second.returncode == 1, said + stack.log()
        assert (
            f"serve: the running stack (pid {stack.process.pid}) is still at a reload, one whose "
            "make reload stopped waiting: this one changes nothing. Its output and "
            f"{Path(stack.env['PROXY_WORKDIR']) / 'reload.json'} say how that one ends; run make "
            "reload again then"
        ) in said, said
        stack.wait_for_log("serve: reloaded")
        assert stack.log().count("serve: reloading") == 1, stack.log()
