"""The systemd unit whose stack a serve.py is, when it is one's: what `make reload` names to the
operator (systemctl restart or start, journalctl) instead of `make serve`, which would run a
second stack outside the unit. And the unit whose stack a `make serve` is, for `make redis`,
which starts no Redis there (python3 deploy/units.py MAKE_PID prints its name, or nothing)."""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

# What a unit's ExecStart= may run make serve through (/bin/sh -c '...', a script's #! line).
SHELLS = ("sh", "dash", "bash")


class Unit(NamedTuple):
    """A systemd service, the system's or a user's own (`systemctl --user`)."""

    name: str
    user: bool

    def __str__(self) -> str:
        return f"{self.name}, the user's own" if self.user else self.name

    def systemctl(self, verb: str) -> str:
        return f"systemctl {'--user ' if self.user else ''}{verb} {self.name}"

    def journal(self) -> str:
        return f"journalctl {'--user ' if self.user else ''}-u {self.name}"


def systemd_unit(pid: int) -> Unit | None:
    """The systemd service whose stack this process is, or None: the service its cgroup
    (readable by all) names, when systemd's main process for it is this serve.py, its parent
    (ExecStart=make serve) or the shell in front of its make (ExecStart=/bin/sh -c '... make
    serve', a script: see shell_in_front). A make serve typed in a shell another unit started
    (a CI runner, tmux under a user's unit) is in that unit's cgroup, and is not its stack:
    `systemctl restart` would restart the other unit. A process that merely inherited
    INVOCATION_ID (a container) is no unit's stack either."""
    unit = _service(pid)
    return unit if unit and _main_pid(unit) in _heads(pid) else None


def make_serve_unit(make: int) -> Unit | None:
    """The systemd service whose stack a `make serve` is, by its make's pid, as systemd_unit
    says of a serve.py: systemd's main process for the service its cgroup names is this make
    or the shell in front of it. A make serve typed in a shell another unit started is no
    unit's. One whose unit systemd does not say the main process of (no systemctl, no bus to
    ask) is taken for the unit's, as the cgroup says: a Redis started in a unit is killed with
    it at each restart, and holds the port Debian's redis-server wants."""
    unit = _service(make)
    main = _main_pid(unit) if unit else None
    return unit if unit and (main is None or main in _make_heads(str(make))) else None


def _service(pid: int) -> Unit | None:
    """The systemd service the process's cgroup names (a unit's cgroup, or one within it)."""
    try:
        cgroup = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in cgroup:
        parts = line.partition(":")[2].partition(":")[2].split("/")
        if parts[-1].endswith(".service"):
            # A user's own systemd runs their units under user@UID.service.
            user = any(part.startswith("user@") and part.endswith(".service") for part in parts)
            return Unit(parts[-1], user)
    return None


def shell_in_front(pid: int) -> tuple[Unit, str] | None:
    """The unit whose stack this serve.py is, and its main process, when that is a shell in
    front of make or serve.py: ExecStart=/bin/sh -c '... make serve' (Debian's sh, dash, runs
    the last command as a child, not in its own place) or a script. systemd signals the main
    process alone (KillMode=mixed), and a shell exits on SIGTERM without passing it on, so
    systemd then kills what is left, the whole stack, outright. None otherwise."""
    unit = systemd_unit(pid)
    main = _main_pid(unit) if unit else None
    return (unit, main) if main and _is_shell(main) else None


def _heads(pid: int) -> list[str]:
    """The processes a unit running this serve.py may have as its main process: serve.py, its
    parent (make, or a shell), and the shell in front of its make."""
    heads = [str(pid)]
    if parent := _status(pid).get("PPid"):
        heads += _make_heads(parent) if _status(parent).get("Name") == "make" else [parent]
    return heads


def _make_heads(make: str) -> list[str]:
    """The processes a unit running this make may have as its main process: make itself, and
    the shell in front of it."""
    shell = _status(make).get("PPid")
    return [make, shell] if shell and _is_shell(shell) else [make]


def _is_shell(pid: str) -> bool:
    """Whether the process is a shell: by the program it runs (/proc/PID/exe), since a script
    (#!/bin/sh) is named after itself in /proc/PID/status, not after its shell; a shell upgraded
    since it started still counts. By its name too: busybox's sh, and one whose exe is closed to
    this user."""
    try:
        program = os.path.basename(os.readlink(f"/proc/{pid}/exe")).removesuffix(" (deleted)")
    except OSError:
        program = ""
    return program in SHELLS or _status(pid).get("Name") in SHELLS


def _status(pid: int | str) -> dict[str, str]:
    """/proc/<pid>/status's fields (Name, PPid, ...), or none for a process gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {name: value.strip() for name, _, value in (line.partition(":") for line in lines)}


def stop_cut_short(pid: int, needed: float) -> tuple[Unit, str] | None:
    """The unit whose stack this serve.py is, and its TimeoutStopSec as systemctl shows it
    ("45s", "1min 30s"), when that is shorter than the `needed` seconds the stack's stop may
    take: systemd would kill what is left of it then (KillMode=mixed), gunicorn's requests
    among it. None otherwise, or when systemd does not say (or sets no limit: "infinity")."""
    unit = systemd_unit(pid)
    shown = _show(unit, "TimeoutStopUSec") if unit else None
    if not shown or not re.fullmatch(f"(?:{SPAN.pattern})+", shown):
        return None
    seconds = sum(float(number) * SECONDS[name] for number, name in SPAN.findall(shown))
    return (unit, shown) if seconds < needed else None


# A time span as systemctl shows one ("45s", "1min 30s": systemd.time(7)), and its units.
SPAN = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)(us|min|ms|s|h|d|w)")
SECONDS = {"us": 1e-6, "min": 60, "ms": 1e-3, "s": 1, "h": 3600, "d": 86400, "w": 604800}


def _main_pid(unit: Unit) -> str | None:
    """systemd's MainPID for the unit (make reload runs as the stack's user, so a user's own
    unit is theirs to ask), or None when systemd does not say."""
    return _show(unit, "MainPID")


def _show(unit: Unit, name: str) -> str | None:
    """A property of the unit as systemctl shows it, or None when systemd does not say."""
    env = dict(os.environ)
    if unit.user:  # sudo -u USER leaves no XDG_RUNTIME_DIR: where the user's systemd listens
        env.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.geteuid()}")
    command = unit.systemctl(f"show -p {name} --value").split()
    try:
        shown = subprocess.run(command, env=env, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return shown.stdout.strip() if shown.returncode == 0 else None


if __name__ == "__main__":  # make redis: python3 deploy/units.py $PPID (the make serve's make)
    found = make_serve_unit(int(sys.argv[1]))
    print(found.name if found else "")
