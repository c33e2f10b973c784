"""The systemd unit whose stack a serve.py is, when it is one's: what `make reload` names to the
operator (systemctl restart or start, journalctl) instead of `make serve`, which would run a
second stack outside the unit."""

import os
import subprocess
from pathlib import Path
from typing import NamedTuple


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
    (readable by all) names, when systemd's main process for it is this serve.py or its parent
    (ExecStart=make serve). A make serve typed in a shell another unit started (a CI runner,
    tmux under a user's unit) is in that unit's cgroup, and is not its stack: `systemctl
    restart` would restart the other unit. A process that merely inherited INVOCATION_ID (a
    container) is no unit's stack either."""
    try:
        cgroup = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    parent = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
    for line in cgroup:
        parts = line.partition(":")[2].partition(":")[2].split("/")
        if parts[-1].endswith(".service"):
            # A user's own systemd runs their units under user@UID.service.
            user = any(part.startswith("user@") and part.endswith(".service") for part in parts)
            unit = Unit(parts[-1], user)
            return unit if _main_pid(unit) in (str(pid), parent) else None
    return None


def _main_pid(unit: Unit) -> str | None:
    """systemd's MainPID for the unit (make reload runs as the stack's user, so a user's own
    unit is theirs to ask), or None when systemd does not say."""
    env = dict(os.environ)
    if unit.user:  # sudo -u USER leaves no XDG_RUNTIME_DIR: where the user's systemd listens
        env.setdefault("XDG_RUNTIME_DIR", f"/run/user/{os.geteuid()}")
    command = unit.systemctl("show -p MainPID --value").split()
    try:
        shown = subprocess.run(command, env=env, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return shown.stdout.strip() if shown.returncode == 0 else None
