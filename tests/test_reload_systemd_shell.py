"""A systemd unit that runs make serve through a shell, ExecStart=/bin/sh -c '... make serve'
(Debian's sh stays the unit's main process, make its child), or through a script (#!/bin/sh,
named after itself, not "sh"): `make reload` knows the stack as the unit's and names systemctl,
never a make serve by hand beside the unit; and serve.py says at each start that the unit's
stops kill the stack outright, and to have the shell exec make (deploy/README.md, "Under
systemd"). Cgroups and MainPID as in tests/systemd_units.py."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.systemd_units import Systemd
from tests.test_reload_systemd import INVOCATION_ID
from tests.test_serve import BASE_DIR, hold, make_reload, pid_file, reload_variables

# The unit's ExecStart=, with make's recipe as make serve's last line: serve.py in make's place.
MAKEFILE = "stack:\n\tcd {base} && exec {python} deploy/serve.py\n"
WITHOUT_EXEC = "make -s -f {makefile} stack; exit $?"
WITH_EXEC = "exec make -s -f {makefile} stack"
# ExecStart=/opt/newsportal/start-newsportal, a script with make serve at its end, no exec.
SCRIPT = "#!{shell}\n{first}make -s -f {makefile} stack\nexit $?\n"


def script(tmp_path: Path, shell: str = "/bin/sh", first: str = "") -> str:
    """The unit's ExecStart=: a script running make through `shell`, `first` before it."""
    path = tmp_path / "start-newsportal"
    path.write_text(SCRIPT.format(shell=shell, first=first, makefile=tmp_path / "unit.mk"))
    path.chmod(0o755)
    return f"exec {path}"


def unit_through_a_shell(
    tmp_path: Path, systemd: Systemd, env: dict, script: str, stop_timeout: str = ""
):
    """The unit's main process, `sh -c SCRIPT`, in a cgroup of a new unit (its TimeoutStopSec
    `stop_timeout`), its make running deploy/serve.py with `env`; returns the shell and the
    unit's name."""
    makefile = tmp_path / "unit.mk"
    makefile.write_text(MAKEFILE.format(base=BASE_DIR, python=sys.executable))
    shell, cgroup = systemd.shell(
        script.format(makefile=makefile),
        "system.slice",
        cwd=BASE_DIR,
        env=env,
        stop_timeout=stop_timeout,
    )
    return shell, cgroup.name


def serve_under(shell: subprocess.Popen) -> int:
    """The pid of the serve.py the shell's make runs, once there."""
    for _ in range(100):
        for make in _children(shell.pid):
            if serve := _children(make):
                return serve[0]
        time.sleep(0.1)
    raise AssertionError("no serve.py under the shell's make")


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            if f"\nPPid:\t{pid}\n" in status.read_text():
                found.append(int(status.parent.name))
    return found


def _end(*pids: int) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def reload_refused(tmp_path: Path, systemd: Systemd, execstart: str) -> None:
    """make reload of a release with migrations, beside the unit's stack: it names the unit."""
    database = tmp_path / "not-migrated.sqlite3"
    env = reload_variables(database, tmp_path, INVOCATION_ID=INVOCATION_ID)
    env["PYTHONPATH"] = hold(tmp_path)  # the stand-in serve.py: held before it runs
    shell, unit = unit_through_a_shell(tmp_path, systemd, env, execstart)
    try:
        shell.stdin.write("go\n")
        shell.stdin.flush()
        serve = serve_under(shell)
        pid_file(tmp_path, serve)
        refused = make_reload(database, tmp_path, PATH=systemd.path)

        assert refused.returncode != 0
        assert "this release has migrations to apply" in refused.stdout
        assert f"restart it: systemctl restart {unit}" in refused.stdout
        assert "make serve" not in refused.stdout
        assert Path(f"/proc/{serve}").exists()  # never asked to reload
    finally:
        _end(*[pid for make in _children(shell.pid) for pid in _children(make)])
        shell.kill()
        shell.communicate()


def test_a_reload_of_a_unit_running_make_through_a_shell_names_the_unit(tmp_path, systemd):
    reload_refused(tmp_path, systemd, WITHOUT_EXEC)


def test_a_reload_of_a_unit_running_make_through_a_script_names_the_unit(tmp_path, systemd):
    reload_refused(tmp_path, systemd, script(tmp_path))


def start(
    tmp_path: Path, systemd: Systemd, script: str, stop_timeout: str = "", **variables: str
) -> tuple[str, str, str]:
    """A real serve.py start in the unit (its TimeoutStopSec `stop_timeout`), whose gunicorn
    cannot load its app: the stack stops at once, after what serve.py says at its start.
    Returns the unit, the shell's pid, stderr."""
    ports = []
    for _ in range(4):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            ports.append(str(sock.getsockname()[1]))
    env = {
        "PATH": systemd.path,
        "NEWSPORTAL_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "unit-shell-" + "k" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unit.sqlite3'}",
        "PROXY_WORKDIR": str(tmp_path / "work"),
        "WEB_CONCURRENCY": "1",
        "SERVE_WSGI_APP": "tests.no_such_module",
        **dict(zip(("PORT", "BACKEND_PORT", "PROXY_PURGE_PORT", "RELOAD_BACKEND_PORT"), ports)),
        **variables,
    }
    shell, unit = unit_through_a_shell(tmp_path, systemd, env, script, stop_timeout)
    try:
        _, err = shell.communicate("go\n", timeout=120)
    finally:
        shell.kill()
        shell.communicate()
    assert "serve: gunicorn exited" in err, err
    return unit, str(shell.pid), err


def test_serve_says_at_its_start_that_a_shell_in_front_of_make_kills_it_at_each_stop(
    tmp_path, systemd
):
    unit, shell, err = start(tmp_path, systemd, WITHOUT_EXEC)

    assert (
        f"serve: {unit}'s main process is a shell (pid {shell}) in front of make serve: "
        "systemctl stop and restart signal that shell alone"
    ) in err
    assert "ExecStart=/bin/sh -c '... exec make serve'" in err


def test_a_shell_that_execs_make_is_said_nothing(tmp_path, systemd):
    # The unit deploy/README.md suggests: make takes the shell's place, and passes SIGTERM on.
    _, _, err = start(tmp_path, systemd, WITH_EXEC)

    assert "main process is a shell" not in err


def test_serve_says_it_at_its_start_when_the_shell_in_front_is_a_script(tmp_path, systemd):
    unit, shell, err = start(tmp_path, systemd, script(tmp_path))

    assert f"serve: {unit}'s main process is a shell (pid {shell}) in front of make serve" in err
    assert "or a script's last line exec make serve" in err


def test_serve_says_it_when_the_script_s_shell_was_upgraded_since_it_started(tmp_path, systemd):
    # apt upgraded dash under the running unit: the script's process runs a program deleted.
    dash = tmp_path / "dash"
    shutil.copy("/bin/dash", dash)
    unit, shell, err = start(tmp_path, systemd, script(tmp_path, str(dash), f"rm {dash}\n"))

    assert f"serve: {unit}'s main process is a shell (pid {shell}) in front of make serve" in err
