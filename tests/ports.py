"""Free TCP ports for the servers tests start, never the same one twice in a run.

The kernel may hand `bind(("127.0.0.1", 0))` the port it handed the call before once that
socket is closed, so two "free" ports picked one after the other could be one port, and a
stack then refused to start ("BACKEND_PORT must differ from PORT"). Ports given out are
remembered for the process, and each pytest-xdist worker takes only its own share of them,
so two workers never pick the same port between its pick and its server's bind (nor two runs
side by side, each given its share). Linux hands
`bind` even ports (odd ones are kept for `connect`), hence the share is of the port halved.
"""

import os
import socket

_GIVEN: set[int] = set()


def _worker_share() -> tuple[int, int]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1), 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    # Runs side by side (.ci/run's stack tests beside a database run) split the ports too:
    # NEWSPORTAL_TEST_PORT_SHARE="1/2" is the second of two runs.
    run, runs = (int(n) for n in os.environ.get("NEWSPORTAL_TEST_PORT_SHARE", "0/1").split("/"))
    return (index % count) * runs + run, count * runs


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
