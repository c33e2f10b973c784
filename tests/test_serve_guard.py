"""deploy/guard.py, which stops serve.py's children should serve.py be killed outright: a child
that does not stop on SIGTERM (hung, or ignoring it) is killed in the end, so it cannot keep
holding its port; and one child it cannot signal does not keep the others running."""

import contextlib
import os
import select
import signal
import subprocess
import sys
import time

from deploy import guard

# A child that ignores SIGTERM, as a hung one would, with a worker of its own in its group (as
# gunicorn's); it says the worker's pid when ready.
DEAF_WITH_A_WORKER = (
    "import os, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "worker = os.fork()\n"
    "if worker == 0:\n    time.sleep(120)\n    os._exit(0)\n"
    "print('ready', worker, flush=True); time.sleep(120)"
)


def _start(code: str) -> tuple[subprocess.Popen, int]:
    # In a session of its own, as serve.py starts each child (deploy/children.py).
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    said = child.stdout.readline().split()
    assert said[0] == "ready"
    child.said = said[1:]
    return child, os.pidfd_open(child.pid)


def _ended_within(child: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return child.poll() is not None


def test_a_child_deaf_to_sigterm_is_killed_once_its_time_to_stop_is_over(monkeypatch):
    monkeypatch.setattr(guard, "STOP_SECONDS", 1)
    deaf, deaf_fd = _start(DEAF_WITH_A_WORKER)
    worker_fd = os.pidfd_open(int(deaf.said[0]))
    polite, polite_fd = _start("import time; print('ready', flush=True); time.sleep(120)")
    # One that ended already and was collected: signalling it fails, the rest go on.
    gone, gone_fd = _start("print('ready', flush=True)")
    gone.wait()
    children = {deaf_fd, polite_fd, gone_fd}
    poller = select.poll()
    for fd in children:
        poller.register(fd, select.POLLIN)
    try:
        guard.stop(children, poller)

        assert _ended_within(polite, 5)
        assert polite.returncode == -signal.SIGTERM
        assert _ended_within(deaf, 5), "a child deaf to SIGTERM outlived the guard"
        assert deaf.returncode == -signal.SIGKILL
        # ...and its worker with it: it would have kept the listening socket.
        assert select.select([worker_fd], [], [], 5)[0] == [worker_fd], "its worker lives on"
    finally:
        for child in (deaf, polite):
            if child.poll() is None:
                child.kill()
        with contextlib.suppress(ProcessLookupError):
            signal.pidfd_send_signal(worker_fd, signal.SIGKILL)
        for fd in (deaf_fd, polite_fd, gone_fd, worker_fd):
            os.close(fd)
