"""serve.py's children never outlive it: this process, started by serve.py with its first
child (deploy/children.py), is handed a pidfd of each child it starts, over a socket whose
other end only serve.py holds. When serve.py ends, however it ends (SIGKILL, the OOM killer, a
crash), the socket closes, and the guard sends SIGTERM, their ordinary stop, to each child
still running (gunicorn then stops its workers, Varnish its cache process), SIGKILL to any
still there as long after as serve.py's own stop would have waited (it says how long, from
gunicorn's graceful timeout), and exits. After a normal stop there is none left to signal.

Not PR_SET_PDEATHSIG in each child: the kernel clears it when a process changes its effective
user, as Varnish's manager does all the time when started as root (its "unix" jail), so Varnish
outlived a killed serve.py. Pidfds, not pids: the pid of a child that ended may belong to
another process by now."""

import contextlib
import os
import select
import signal
import socket
import time

# How long the children have to stop on SIGTERM before SIGKILL, until serve.py says (as long as
# its own stop gives them: gunicorn's graceful timeout, then Varnish's stop, with room): the
# default graceful timeout's 30 s + 15 s.
STOP_SECONDS = 45
# serve.py's messages (children.Guard), one a packet: "+" with a pidfd to watch, or this with
# how long a stop gives the children.
STOP_WITHIN = b"stop within "


def main() -> None:
    serve = socket.socket(fileno=0)
    poller = select.poll()
    poller.register(serve, select.POLLIN)
    children, seconds = set(), STOP_SECONDS
    while True:
        for fd, _ in poller.poll():
            if fd != serve.fileno():  # a pidfd is readable once its process has ended
                poller.unregister(fd)
                children.discard(fd)
                os.close(fd)
                continue
            message, pidfds, _, _ = socket.recv_fds(serve, 64, 8)
            if not message:  # serve.py has ended
                poller.unregister(serve)
                stop(children, poller, seconds)
                return
            if message.startswith(STOP_WITHIN):
                with contextlib.suppress(ValueError):
                    seconds = float(message.removeprefix(STOP_WITHIN))
            for pidfd in pidfds:
                poller.register(pidfd, select.POLLIN)
                children.add(pidfd)


def stop(children: set[int], poller, seconds: float | None = None) -> None:
    """SIGTERM to each child still running, then SIGKILL to any still there `seconds`
    (STOP_SECONDS) later: a hung child must not keep holding its port. One that cannot be
    signalled (ended just now, or out of our reach) does not keep the others from being
    stopped."""
    for pidfd in children:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(pidfd, signal.SIGTERM)
    deadline = time.monotonic() + (STOP_SECONDS if seconds is None else seconds)
    while children and (left := deadline - time.monotonic()) > 0:
        for fd, _ in poller.poll(left * 1000):
            poller.unregister(fd)
            children.discard(fd)
    for pidfd in children:
        kill_group(pidfd)


def kill_group(pidfd: int) -> None:
    """SIGKILL to the child and every process of its group (gunicorn's workers share the
    listening socket; one stuck in a request would keep the port). Each child leads a session
    of its own, so its group is its pid, which no other group can take while it runs (and it
    does: its pidfd has not said it ended)."""
    with contextlib.suppress(OSError):
        with open(f"/proc/self/fdinfo/{pidfd}") as info:
            pid = next((int(line.split()[1]) for line in info if line.startswith("Pid:")), 0)
        if pid > 0:
            os.killpg(pid, signal.SIGKILL)
            return
    with contextlib.suppress(OSError):
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)


if __name__ == "__main__":
    main()
