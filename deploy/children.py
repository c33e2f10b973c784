"""serve.py's children: started, watched, restarted and stopped (see serve.py)."""

import contextlib
import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

GUARD = Path(__file__).with_name("guard.py")


def start_child(command: list[str], **popen) -> subprocess.Popen:
    """`command` started as every child of serve.py is: in a session of its own, so Ctrl-C in
    a terminal, which signals the whole foreground process group, reaches serve.py alone, and
    serve.py stops the children in order (gunicorn ends the requests it holds first); and
    watched by the guard, which stops it if serve.py ends without doing so."""
    process = subprocess.Popen(command, start_new_session=True, **popen)
    try:
        if watching := guard():
            watching.watch(process)
    except OSError:
        pass  # no guard (out of file descriptors, say): the child runs, as without pidfds
    return process


class Guard:
    """deploy/guard.py, running beside serve.py, and our end of its socket."""

    def __init__(self):
        # A packet a message (guard.py): a stream would run them together.
        self.socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            # A session of its own too: Ctrl-C is for serve.py to handle.
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(GUARD)], stdin=theirs, start_new_session=True
            )

    def watch(self, child: subprocess.Popen) -> None:
        # Opened before anything could collect the child's exit: the guard can never signal
        # a process that got its pid later.
        pidfd = os.pidfd_open(child.pid)
        try:
            socket.send_fds(self.socket, [b"+"], [pidfd])
        except OSError:
            pass  # the guard was killed: serve.py still stops its children itself
        finally:
            os.close(pidfd)

    def stop_within(self, seconds: float) -> None:
        with contextlib.suppress(OSError):  # the guard was killed: as in watch
            self.socket.send(b"stop within %g" % seconds)


def guard_stops_within(seconds: float) -> None:
    """How long the guard gives the children to stop, should serve.py be killed: as long as
    serve.py's own stop gives them (gunicorn's graceful timeout, which a reload may raise)."""
    if watching := guard():
        watching.stop_within(seconds)


@functools.cache
def guard() -> Guard | None:
    """The guard, started with serve.py's first child; None where there are no pidfds (Linux
    before 5.3, other systems): there a serve.py killed outright leaves its children running."""
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return None
    return Guard()


class Restarting:
    """A child the site can do without for a while (the mail worker): when it exits it is
    started again, after a pause doubling from `first_delay` up to `max_delay` seconds while
    it keeps exiting; once it has run `stable_after` seconds the pause starts small again."""

    def __init__(
        self, command, *, name, first_delay=1.0, max_delay=60.0, stable_after=60.0, **popen
    ):
        self.command, self.name, self.popen = command, name, popen
        self.first_delay, self.max_delay, self.stable_after = first_delay, max_delay, stable_after
        self.delay = first_delay
        self.starts = 0
        self.restart_at = None
        self.start()

    def start(self) -> None:
        self.process = start_child(self.command, **self.popen)
        self.started_at = time.monotonic()
        self.restart_at = None
        self.starts += 1

    def restart(self, seconds: float) -> None:
        """Stopped (what it is doing, it finishes) and started again now: a new release."""
        stop([self.process], seconds)
        self.start()

    def check(self) -> None:
        """Call often: notices an exit, and starts the child again when its pause is over."""
        if self.process.poll() is None:
            return
        now = time.monotonic()
        if self.restart_at is None:
            if now - self.started_at >= self.stable_after:
                self.delay = self.first_delay
            self.restart_at = now + self.delay
            print(
                f"serve: the {self.name} exited ({self.process.returncode}); "
                f"starting it again in {self.delay:g} s",
                file=sys.stderr,
                flush=True,
            )
            self.delay = min(self.delay * 2, self.max_delay)
        elif now >= self.restart_at:
            self.start()


def relayed(command: list[str], *, cwd, but: str, once: threading.Event) -> subprocess.Popen:
    """The command started, its stderr copied to ours line by line, but the line `but` once
    `once` is set: what the child says of a stop we asked for. Not a daemon thread: the child's
    last lines are written before we exit."""
    process = start_child(command, cwd=cwd, stderr=subprocess.PIPE, text=True, errors="replace")

    def copy():
        for line in process.stderr:
            if once.is_set() and line.rstrip("\n") == but:
                continue
            try:
                sys.stderr.write(line)
                sys.stderr.flush()
            except (OSError, ValueError):
                pass  # our stderr gone (a closed terminal): the pipe is still drained

    threading.Thread(target=copy, name="relay").start()
    return process


def wait_for_port(port: int, process: subprocess.Popen, seconds: float, stopping: list) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None and not stopping:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def stop(processes: list[subprocess.Popen], seconds: float) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + seconds
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def exit_reason(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"status {returncode}"
