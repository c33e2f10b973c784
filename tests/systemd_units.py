"""Systemd units for the tests' stand-ins, on a machine that may run no systemd (or whose suite
runs under a unit of its own): a cgroup named as systemd names a unit's, and a systemctl of the
test's own, first on PATH, that says the unit's MainPID. The `systemd` fixture (conftest.py)
hands one out and removes its cgroups after."""

import contextlib
import os
import subprocess
import uuid
from pathlib import Path

import pytest


def _hierarchy() -> Path | None:
    """Where a test may make a cgroup: systemd's own (v1) hierarchy, or the unified one."""
    for path in ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
        if os.access(path, os.W_OK) and (Path(path) / "cgroup.procs").exists():
            return Path(path)
    return None


# systemctl as systemd answers `systemctl [--user] show -p MainPID --value UNIT`: the pid kept
# for the unit (a file named as the unit, "--user" first for a user's), otherwise 0; and `-p
# TimeoutStopUSec`: the one kept for it (<unit>.TimeoutStopUSec), otherwise systemd's default.
SYSTEMCTL = """#!/bin/sh
[ "$1" = --user ] && user=--user. || user=
for unit; do :; done
case " $* " in
*" -p TimeoutStopUSec "*) cat "$(dirname "$0")/$user$unit.TimeoutStopUSec" 2>/dev/null ||
  echo "1min 30s" ;;
*) cat "$(dirname "$0")/$user$unit" 2>/dev/null || echo 0 ;;
esac
"""


class Systemd:
    """Units for the stand-ins: a cgroup named <unit>.service (under `parents`), as systemd
    makes, and their MainPID from a systemctl of the test's own, first on PATH (this machine
    may run no systemd, or the suite may run under a unit of its own)."""

    def __init__(self, tmp_path: Path):
        self.bin = tmp_path / "systemd-bin"
        self.bin.mkdir()
        (self.bin / "systemctl").write_text(SYSTEMCTL)
        (self.bin / "systemctl").chmod(0o755)
        self.path = f"{self.bin}:{os.environ['PATH']}"
        top = _hierarchy()
        self.root = top / f"newsportal-test-{uuid.uuid4().hex[:8]}.slice" if top else None
        self.made = []

    def put(
        self, process, *parents: str, name: str = "", main: int | None = None, stop_timeout=""
    ) -> str:
        """Puts the process in a cgroup <name> (a new <unit>.service unless named), whose
        MainPID systemctl says is `main` (the process itself unless given; none for a name
        that is no service's), and its TimeoutStopSec `stop_timeout` ("45s"; systemd's
        default unless given); returns the cgroup's name."""
        if os.geteuid() != 0 or self.root is None:
            pytest.skip("no cgroup hierarchy this test may write")
        name = name or f"newsportal-test-{uuid.uuid4().hex[:8]}.service"
        path = self.root.joinpath(*parents, name)
        for part in [*reversed(path.parents), path]:
            if part.is_relative_to(self.root) and not part.exists():
                part.mkdir()
                self.made.append(part)
        (path / "cgroup.procs").write_text(str(process.pid))
        if name.endswith(".service"):
            user = "--user." if any(part.startswith("user@") for part in parents) else ""
            (self.bin / f"{user}{name}").write_text(f"{main or process.pid}\n")
            if stop_timeout:
                (self.bin / f"{user}{name}.TimeoutStopUSec").write_text(f"{stop_timeout}\n")
        return name

    def shell(
        self, script: str, *parents: str, name="", main: int | None = None, stop_timeout="", **popen
    ):
        """`sh -c SCRIPT` put in the cgroup <name> (put's, with its `main` and `stop_timeout`)
        before it runs SCRIPT, so that all it starts is there too: it waits for the test's first
        line on its stdin. Returns it, and the cgroup's path."""
        shell = subprocess.Popen(
            ["sh", "-c", f"read go; {script}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **popen,
        )
        name = self.put(shell, *parents, name=name, main=main, stop_timeout=stop_timeout)
        return shell, self.root.joinpath(*parents, name)

    def remove(self) -> None:
        for path in reversed(self.made):
            with contextlib.suppress(OSError):
                path.rmdir()
