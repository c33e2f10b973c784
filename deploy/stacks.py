"""Finding the running stack (serve.py) from another process: `make reload`'s steps, and what
they say when it is not where they look.

A stack is known by its work dir's serve.pid; its variables and its systemd unit are read from
/proc, as the user it runs as (or root)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# deploy/README.md's unit, for a stack under systemd whose cgroup does not name its own.
UNIT = "newsportal"
LOAD = "set -a; . /etc/newsportal.env; set +a"


def running_stack(workdir: Path, *, say: bool = True) -> int | None:
    """The pid of the serve.py running the stack in this workdir, or None (and says so)."""
    pid = _pid_in(workdir)
    if pid is None and say:
        print(f"serve: no running stack found ({workdir / 'serve.pid'}): {_elsewhere()}")
    return pid


def stack_variables(pid: int) -> dict[str, str]:
    """The variables the serve.py with this pid started with (and its children get)."""
    items = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(os.fsdecode(item).split("=", 1) for item in items if b"=" in item)


def systemd_unit(pid: int) -> str | None:
    """The systemd service running this process, or None when it runs outside systemd (which
    gives each service's processes INVOCATION_ID), or is not ours to read."""
    try:
        if "INVOCATION_ID" not in stack_variables(pid):
            return None
        cgroup = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    names = [line.rpartition("/")[2] for line in cgroup]
    return next((name for name in names if name.endswith(".service")), UNIT)


def how_to_restart(workdir: Path) -> str:
    """`serve.py --how-to-restart`, for make reload when a release takes a restart: the unit's
    command under systemd (a `make serve` by hand would run a second stack outside it)."""
    pid = _pid_in(workdir)
    unit = systemd_unit(pid) if pid else None
    return f"restart it: systemctl restart {unit}" if unit else "stop make serve and start it again"


def run_with_stack_variables(workdir: Path, arguments: list[str], stack_env) -> int:
    """`serve.py --stack-env ARGUMENTS`: python run with ARGUMENTS (make reload's steps: the
    settings, check --deploy, collectstatic, migrate) with the variables of the stack running in
    this workdir, as stack_env() makes its gunicorn's from them: those the new release will
    get, not the shell's (a variables' file changed since the start, or never loaded)."""
    if (pid := running_stack(workdir)) is None:
        return 1
    try:
        variables = stack_variables(pid)
    except OSError as exc:  # another user's stack
        print(f"serve: cannot read the running stack's variables (pid {pid}): {exc}", flush=True)
        return 1
    os.environ.clear()
    os.environ.update(variables)
    try:
        env = stack_env()
    except ImproperlyConfigured as exc:  # a value this release's serve.py refuses
        print(f"serve: {exc} (the running stack's)", file=sys.stderr)
        return 2
    return subprocess.run([sys.executable, *arguments], cwd=BASE_DIR, env=env).returncode


def _pid_in(workdir: Path) -> int | None:
    try:
        pid = int((workdir / "serve.pid").read_text())
        # A pid file left by a killed stack may name another process by now: SIGUSR2 would
        # end it.
        if b"serve.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    except (OSError, ValueError):
        pass
    return None


def _elsewhere() -> str:
    """What to do when no stack is where the shell's variables say: a stack found running with
    other ones (the unit's, from a shell that did not load its file) is named, with what to load;
    otherwise how to start one (under systemd, the unit: a `make serve` by hand would run a
    second stack outside it)."""
    found = []
    for pid in _serve_processes():
        try:
            variables = stack_variables(pid)
        except OSError:
            continue
        port = variables.get("PORT") or "8000"
        default = Path(tempfile.gettempdir()) / f"newsportal-varnish-{port}"
        workdir = variables.get("PROXY_WORKDIR") or str(default)
        if _pid_in(Path(workdir)) == pid:
            unit = systemd_unit(pid)
            found.append(
                f"pid {pid}, under systemd ({unit}), with PROXY_WORKDIR={workdir}"
                if unit
                else f"pid {pid}, with PROXY_WORKDIR={workdir} and PORT={port}"
            )
    if found:
        return (
            f"one runs with other variables ({'; '.join(found)}): run make reload with its "
            f"variables (the variables' file: {LOAD})"
        )
    if Path("/run/systemd/system").is_dir():
        return (
            f"start it: systemctl start {UNIT} if it runs under systemd (deploy/README.md), "
            "otherwise make serve"
        )
    return "start it with make serve"


def _serve_processes():
    """The pids of processes running a deploy/serve.py with no option (stacks) in this checkout
    (make serve's and the unit's working directory): another checkout's stack is not for its
    make reload."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                here = (entry / "cwd").resolve() == BASE_DIR
            except OSError:
                continue
            if here and len(argv) == 3 and argv[1].endswith(b"deploy/serve.py") and not argv[2]:
                yield int(entry.name)
