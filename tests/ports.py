"""Free TCP ports for the servers tests start, never the same one twice in a run.

The kernel may hand `bind(("127.0.0.1", 0))` the port it handed the call before once that
socket is closed, so two "free" ports picked one after the other could be one port, and a
stack then refused to start ("BACKEND_PORT must differ from PORT"). Ports given out are
remembered for the process, and each pytest-xdist worker takes only its own share of them,
so two workers never pick the same port between its pick and its server's bind. Linux hands
`bind` even ports (odd ones are kept for `connect`), hence the share is of the port halved.
"""

import os
import socket

_GIVEN: set[int] = set()


def _worker_share() -> tuple[int, int]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return index % max(count, 1), max(count, 1)


def free_port() -> int:
    residue, modulus = _worker_share()
    for _ in range(1000):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _GIVEN and port // 2 % modulus == residue:
            _GIVEN.add(port)
            return port
    raise RuntimeError("no free port of this worker's share in 1,000 tries")
