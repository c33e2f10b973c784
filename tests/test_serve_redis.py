"""`make serve` run by a systemd unit never starts a Redis of its own (deploy/README.md, "Under
systemd"): one started there lives in the unit's cgroup, is killed with the stack at each stop or
restart, and holds the port Debian's redis-server.service wants. It says to start that service
and fails, so the unit's Restart=on-failure tries again. The unit's as make reload knows it
(deploy/units.py): systemd's main process for it is the make, or the shell in front of it. A
`make serve` typed in a login session, or in a shell another unit started (a terminal's, tmux's,
a CI runner's), still starts one, as before. Each make runs in a network namespace of its own,
where nothing answers on 127.0.0.1:6379, and in a cgroup the test makes (tests/systemd_units.py),
whose MainPID the test's own systemctl says."""

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

from tests.systemd_units import Systemd

BASE_DIR = Path(__file__).resolve().parent.parent
# Make serve's steps after `make redis` stop at once without a key: no stack is ever started.
MAKE_SERVE = 'exec unshare --net sh -c "ip link set lo up && exec make -s serve"'
# ExecStart=/bin/sh -c '... make serve' without exec: the shell stays, make is its child.
SHELL_IN_FRONT = 'exec unshare --net sh -c "ip link set lo up && make -s serve; exit \\$?"'


def make_serve_in(
    systemd: Systemd, *parents: str, name: str, main: int | None = None, script=MAKE_SERVE
):
    """make serve with no Redis answering, in the cgroup `name` (a unit whose main process is
    `main`, the shell running make unless given); returns what it said and the processes it
    left in that cgroup, which are then killed."""
    env = {"PATH": systemd.path, "NEWSPORTAL_ENV_FILE": ""}
    make, cgroup = systemd.shell(script, *parents, name=name, main=main, cwd=BASE_DIR, env=env)
    try:
        out, err = make.communicate("go\n", timeout=120)
        left = [Path(f"/proc/{pid}/comm").read_text().strip() for pid in _pids(cgroup)]
    finally:
        make.kill()
        make.wait()
        for pid in _pids(cgroup):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if not _pids(cgroup):
                break
            time.sleep(0.1)
    return make.returncode, out, err, left


def _pids(cgroup: Path) -> list[int]:
    return [int(pid) for pid in (cgroup / "cgroup.procs").read_text().split()]


def test_make_serve_in_a_unit_starts_no_redis_and_says_to_start_debian_s(systemd):
    unit = f"newsportal-test-{uuid.uuid4().hex[:8]}.service"
    returncode, out, err, left = make_serve_in(systemd, "system.slice", name=unit)

    assert returncode != 0
    assert f"Redis does not answer on 127.0.0.1:6379, and make serve runs in {unit}" in err
    assert "systemctl enable --now redis-server" in err
    assert "Starting Redis" not in out
    assert left == []  # no redis-server in the unit's cgroup


def test_make_serve_in_a_login_session_still_starts_one(systemd):
    session = f"session-test-{uuid.uuid4().hex[:8]}.scope"
    returncode, out, err, left = make_serve_in(systemd, "user.slice", "user-0.slice", name=session)

    assert "Starting Redis on 127.0.0.1:6379 (no persistence)" in out, err
    assert "redis-server" in left
    # Then the step after it, which stops without a key: no stack is started here.
    assert returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in err


def test_make_serve_in_a_unit_through_a_shell_starts_no_redis_either(systemd):
    unit = f"newsportal-test-{uuid.uuid4().hex[:8]}.service"
    returncode, out, err, left = make_serve_in(
        systemd, "system.slice", name=unit, script=SHELL_IN_FRONT
    )

    assert returncode != 0
    assert f"Redis does not answer on 127.0.0.1:6379, and make serve runs in {unit}" in err
    assert "Starting Redis" not in out
    assert left == []


def test_make_serve_in_a_unit_through_a_script_starts_no_redis_either(tmp_path, systemd):
    # ExecStart=/opt/newsportal/start-newsportal: its process is named after the script.
    script = tmp_path / "start-newsportal"
    script.write_text("#!/bin/sh\nip link set lo up && make -s serve\nexit $?\n")
    script.chmod(0o755)
    unit = f"newsportal-test-{uuid.uuid4().hex[:8]}.service"
    returncode, out, err, left = make_serve_in(
        systemd, "system.slice", name=unit, script=f"exec unshare --net {script}"
    )

    assert returncode != 0
    assert f"Redis does not answer on 127.0.0.1:6379, and make serve runs in {unit}" in err
    assert "Starting Redis" not in out
    assert left == []


def test_make_serve_typed_in_a_shell_another_unit_started_still_starts_one(systemd):
    # A terminal's shell under a user's unit (gnome-terminal-server.service, tmux as a user's
    # service, a CI runner's unit): in that unit's cgroup, but the unit's main process is the
    # terminal (this test stands in for it), not the make: no unit's stack, as make reload says.
    terminal = f"terminal-test-{uuid.uuid4().hex[:8]}.service"
    returncode, out, err, left = make_serve_in(
        systemd,
        "user.slice",
        "user-0.slice",
        "user@0.service",
        "app.slice",
        name=terminal,
        main=os.getpid(),
    )

    assert "Starting Redis on 127.0.0.1:6379 (no persistence)" in out, err
    assert "redis-server" in left
    assert returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in err


def test_make_serve_in_a_unit_systemd_says_nothing_of_still_starts_none(systemd):
    # No systemctl answering (no bus to ask): the cgroup names a service, taken for the unit's.
    (systemd.bin / "systemctl").write_text(
        "#!/bin/sh\necho 'Failed to connect to bus' >&2\nexit 1\n"
    )
    unit = f"newsportal-test-{uuid.uuid4().hex[:8]}.service"
    returncode, out, err, left = make_serve_in(systemd, "system.slice", name=unit)

    assert returncode != 0
    assert f"Redis does not answer on 127.0.0.1:6379, and make serve runs in {unit}" in err
    assert "Starting Redis" not in out
    assert left == []
