"""Finding the running stack (serve.py) from another process: `make reload`'s steps, and what
they say when it is not where they look; the stack's variables, which those steps run with.

A stack is known by its work dir's serve.pid. make reload adopts it (signals it, runs its steps
with its variables) only when all of it is the reloading user's own: the work dir and pid file
(not writable by others: stack_files.py), and the process, which runs this checkout's
deploy/serve.py. Root adopts root's stacks only: a pid file in a world-writable /tmp could
otherwise hand root any user's process, and its variables (PYTHONPATH, LD_PRELOAD) would run
that user's code as root. Its variables are read from /proc, or, where the kernel closes that to
the stack's own user (a unit with AmbientCapabilities=), from the file serve.py writes them to
then alone (stack.json, mode 600, removed at its stop)."""

import contextlib
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values

from deploy.stack_files import (
    Refused,
    json_object,
    read_own_file,
    refuse_unless_own,
    remembered,
    stack_file,
    user_name,
)
from deploy.units import systemd_unit

BASE_DIR = Path(__file__).resolve().parent.parent
SERVE = BASE_DIR / "deploy" / "serve.py"
# deploy/README.md's unit, named when no stack runs on a machine with systemd.
UNIT = "newsportal"
LOAD = "set -a; . /etc/newsportal.env; set +a"
# Variables that change which code python or the dynamic loader runs: the steps run this
# checkout's code alone, whatever the stack was started with.
LOADER_VARIABLES = ("PYTHON", "LD_", "GCONV_PATH")


def running_stack(workdir: Path, *, say: bool = True, refused=None) -> int | None:
    """The pid of the serve.py running the stack in this workdir, or None (and says so).
    `refused(workdir, pid)`, make reload's first step: why that stack would refuse the reload
    ("" for none), said then, with no pid given: before anything is installed or migrated."""
    try:
        pid = _pid_in(workdir)
    except Refused as exc:
        if say:
            print(f"serve: not taking the stack in {workdir}: {exc}", flush=True)
        return None
    if pid is None and say:
        print(f"serve: no running stack found ({workdir / 'serve.pid'}): {_elsewhere(refused)}")
    elif pid is not None and refused and (why := refused(workdir, pid)):
        # The stack's own words for it (origin.ask_for_reload), said before its steps run.
        print(f"serve: reload failed, the old release still serves: {why}", flush=True)
        return None
    return pid


def stack_variables(pid: int) -> dict[str, str]:
    """The variables the serve.py with this pid started with (and its children get)."""
    items = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(os.fsdecode(item).split("=", 1) for item in items if b"=" in item)


def how_to_restart(workdir: Path) -> str:
    """`serve.py --how-to-restart`, for make reload when a release takes a restart: the unit's
    command under systemd (a `make serve` by hand would run a second stack outside it)."""
    try:
        pid = _pid_in(workdir)
    except Refused:
        pid = None
    unit = systemd_unit(pid) if pid else None
    return (
        f"restart it: {unit.systemctl('restart')}" if unit else "stop make serve and start it again"
    )


def run_with_stack_variables(workdir: Path, arguments: list[str], stack_env) -> int:
    """`serve.py --stack-env ARGUMENTS`: python run with ARGUMENTS (make reload's steps: the
    settings, check --deploy, collectstatic, migrate) with the variables of the stack running in
    this workdir, as stack_env() makes its gunicorn's from them: those the new release will
    get, not the shell's (a variables' file changed since the start, or never loaded); less
    those that change which code runs (LOADER_VARIABLES)."""
    if (pid := running_stack(workdir)) is None:
        return 1
    try:
        variables = variables_of(pid, workdir)
    except (OSError, Refused) as exc:
        print(f"serve: cannot read the running stack's variables (pid {pid}): {exc}", flush=True)
        return 1
    os.environ.clear()
    os.environ.update(
        (name, value) for name, value in variables.items() if not name.startswith(LOADER_VARIABLES)
    )
    try:
        env = stack_env()
    except ImproperlyConfigured as exc:  # a value this release's serve.py refuses
        print(f"serve: {exc} (the running stack's)", file=sys.stderr)
        return 2
    return subprocess.run([sys.executable, *arguments], cwd=BASE_DIR, env=env).returncode


def variables_of(pid: int, workdir: Path) -> dict[str, str]:
    try:
        return stack_variables(pid)
    except PermissionError:  # a capability the reader lacks (AmbientCapabilities=)
        pass
    path = stack_file(workdir)
    rewritten = f"{path} is not what serve.py writes: restart the stack once"
    try:
        record = json_object(read_own_file(path, private=True))
    except FileNotFoundError:
        raise Refused(
            f"/proc/{pid}/environ is closed to this user (the stack holds a capability, "
            f"AmbientCapabilities=) and {path} is not there (a stack started before serve.py "
            "wrote it): restart the stack once"
        ) from None
    except ValueError:  # [], null, or no JSON: not serve.py's doing
        raise Refused(rewritten) from None
    if record.get("pid") != pid or record.get("checkout") != str(BASE_DIR):
        raise Refused(f"{path} is not this stack's (pid {record.get('pid')})")
    variables = record.get("variables")
    if not isinstance(variables, dict) or not all(
        isinstance(value, str) for value in variables.values()
    ):
        raise Refused(rewritten)
    return variables


def _pid_in(workdir: Path) -> int | None:
    """The pid in the workdir's serve.pid, when a stack of this checkout runs there; None when
    none does (no file, or one left by a killed stack: its pid may name another process by now,
    which SIGUSR2 would end). Refused when what is there is not wholly the reloading user's."""
    try:
        refuse_unless_own(workdir.stat(), str(workdir))
        text = read_own_file(workdir / "serve.pid")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except Refused as refused:  # another user's stack (root's reload of the unit's, say)
        owner = user_name(workdir.stat().st_uid)
        if workdir.stat().st_uid == os.geteuid():
            raise
        advice = f"run make reload as {owner}, sudo -u {owner} (deploy/README.md)"
        raise Refused(f"{refused}: {advice}") from None
    except OSError as exc:
        raise Refused(str(exc)) from None
    try:
        pid = int(text)
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, ValueError):
        return None
    if len(argv) != 2 or not os.path.basename(argv[0]).startswith(b"python"):
        return None
    script = os.fsdecode(argv[1])
    if script not in ("deploy/serve.py", str(SERVE)):
        return None
    uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
    if any(int(uid) != os.geteuid() for uid in uids):
        owner = user_name(int(uids[1]))
        why = " (root never runs with another user's variables)" if os.geteuid() == 0 else ""
        raise Refused(
            f"its serve.py (pid {pid}) runs as {owner}, not {user_name(os.geteuid())}: run make "
            f"reload as {owner}, sudo -u {owner} (deploy/README.md){why}"
        )
    try:
        here = Path(os.readlink(f"/proc/{pid}/cwd")) == BASE_DIR
    except PermissionError:  # a capability the reader lacks: serve.py's own file says
        try:
            record = json_object(read_own_file(stack_file(workdir), private=True))
        except (OSError, ValueError):
            record = {}
        if record.get("pid") != pid:
            raise Refused(
                f"/proc/{pid} is closed to this user (the stack holds a capability, "
                f"AmbientCapabilities=) and {stack_file(workdir)} does not name it (a stack "
                "started before serve.py wrote it): restart the stack once"
            ) from None
        here = record.get("checkout") == str(BASE_DIR)
    except OSError:
        return None
    if not here:
        raise Refused(f"its serve.py (pid {pid}) is not this checkout's ({BASE_DIR})")
    return pid


def _elsewhere(refused=None) -> str:
    """What to do when no stack is where the shell's variables say: each stack found running
    with other ones (the unit's, from a shell that did not load its file) is named, with what to
    load, or with why it would refuse the reload (`refused`: a PORT changed in its file since it
    started moved where the shell looks); otherwise how to start one (under systemd, the unit:
    a `make serve` by hand would run a second stack outside it)."""
    found, refusing = [], []
    for pid in _serve_processes():
        try:
            variables = stack_variables(pid)
        except OSError:
            continue
        # Its variables over its file, as serve.py reads them: a PORT set only there is its own.
        read = _as_read_by_serve(variables)
        port = read.get("PORT") or "8000"
        with environment(read):  # its TMPDIR: gettempdir() keeps the shell's
            default = Path(tempfile.gettempdir()) / f"newsportal-varnish-{port}"
        varnish = _varnish_of(pid)
        # Where its Varnish runs is where it is, whatever its file says since it started.
        workdir = str(_varnish_workdir(varnish) or read.get("PROXY_WORKDIR") or default)
        try:
            adoptable = _pid_in(Path(workdir)) == pid
        except Refused as exc:
            found.append(f"pid {pid}, with PROXY_WORKDIR={workdir}, not for this user: {exc}")
            continue
        if adoptable and refused and (why := refused(Path(workdir), pid)):
            refusing.append(
                f"the stack running in {workdir} (pid {pid}) would refuse the reload: {why}"
            )
        elif adoptable:
            unit = systemd_unit(pid)
            # The PORT it listens on: its Varnish's listener; else what it kept (running.json:
            # gone, say, for a stack an older release started), its own variable's (fixed at its
            # start), or the one its default work dir, where it was found, is named after. Never
            # its file's alone: it may name another since, where nothing listens.
            saved = remembered(Path(workdir), pid) or {}
            port = (
                _listens_on(varnish)
                or _a_port(saved.get("port"))
                or variables.get("PORT")
                or (port if workdir == str(default) else None)
            )
            under = f", under systemd ({unit})" if unit else ""
            listens = f" and PORT={port}" if port and not unit else ""
            found.append(f"pid {pid}{under}, with PROXY_WORKDIR={workdir}{listens}")
    if found:  # beside any refusing: which one the shell meant is the operator's to say
        refusing.append(
            f"one runs with other variables ({'; '.join(found)}): run make reload with its "
            f"variables (the variables' file: {LOAD})"
        )
    if refusing:  # each stack of this checkout said, whatever others run beside it
        return "; and ".join(refusing)
    if Path("/run/systemd/system").is_dir():
        return (
            f"start it: systemctl start {UNIT} if it runs under systemd (deploy/README.md), "
            "otherwise make serve"
        )
    return "start it with make serve"


def _as_read_by_serve(variables: dict[str, str]) -> dict[str, str]:
    """A stack's variables over the variables' file they name (newsportal.env's rule: the
    checkout's .env when NEWSPORTAL_ENV_FILE is unset, none when empty; real variables win), as
    it reads now; the variables alone when it cannot be read (serve.py refuses that itself)."""
    path = variables.get("NEWSPORTAL_ENV_FILE", str(BASE_DIR / ".env"))
    try:
        in_file = dotenv_values(path) if path and os.path.isfile(path) else {}
    except (OSError, ValueError):
        in_file = {}
    return {**{k: v for k, v in in_file.items() if v is not None}, **variables}


@contextlib.contextmanager
def environment(variables: dict[str, str]):
    """os.environ as another process's, and tempfile's directory as that process finds it
    (gettempdir() keeps the first it found: this shell's TMPDIR); both as they were after."""
    before, tempdir = dict(os.environ), tempfile.tempdir
    try:
        # Inside: a name the environment refuses (another process's odd "=x") leaves this
        # shell's own as it was.
        os.environ.clear()
        os.environ.update(variables)
        tempfile.tempdir = None
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)
        tempfile.tempdir = tempdir


def _varnish_of(pid: int) -> list[str]:
    """The command line of the Varnish this serve.py started (varnishd.varnish_command), or []."""
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or _parent(entry) != pid:
                continue
            argv = [os.fsdecode(arg) for arg in (entry / "cmdline").read_bytes().split(b"\0")]
        except (OSError, ValueError, IndexError):
            continue
        if os.path.basename(argv[0]) == "varnishd" and "-n" in argv[:-1]:
            return argv
    return []


def gunicorn_ports(pid: int) -> set[int]:
    """The ports the gunicorns this serve.py started bind (GUNICORN_BIND, which serve.py gives
    each): the one serving, and the one the last reload stopped while it finishes its requests.
    PermissionError where their /proc is closed to this user (AmbientCapabilities=)."""
    ports = set()
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or _parent(entry) != pid:
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except PermissionError:
            raise
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        for item in environ:
            if item.startswith(b"GUNICORN_BIND=127.0.0.1:") and item[24:].isdigit():
                ports.add(int(item[24:]))
    return ports


def _varnish_workdir(varnish: list[str]) -> Path | None:
    """The stack's work dir: its Varnish's is varnish/ in it (-n)."""
    return Path(varnish[varnish.index("-n") + 1]).parent if varnish else None


def _listens_on(varnish: list[str]) -> str | None:
    """The PORT its Varnish listens on for readers: -a public=HOST:PORT[,PROXY]."""
    for option, value in itertools.pairwise(varnish):
        if option == "-a" and value.startswith("public="):
            port = value.split(",")[0].rpartition(":")[2]
            return port if port.isdigit() else None
    return None


def _a_port(value) -> int | None:
    """running.json's port, when it is one serve.py could have written: said to the operator,
    never a string or a number no port has (a file changed by hand)."""
    return value if type(value) is int and 0 < value < 65536 else None


def _parent(entry: Path) -> int:
    return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])


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
            script = argv[1:2] == [b"deploy/serve.py"] or argv[1:2] == [bytes(SERVE)]
            if here and script and len(argv) == 3 and not argv[2]:
                yield int(entry.name)
