"""The files a stack keeps in its work dir (serve.pid, stack.json, running.json), and whose they
are: serve.py writes them at its start, each reload and its stop; make reload (stacks.py) reads
them only when they are wholly the reloading user's own, the work dir too (Refused otherwise).

stack.json holds the stack's variables, written only where the kernel closes its /proc to its own
user (a unit with AmbientCapabilities=), mode 600, removed at its stop; running.json what it runs
with that a reload cannot change, mode 600 (REDIS_URL may hold a password)."""

import contextlib
import ctypes
import json
import os
import pwd
import stat
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PR_GET_DUMPABLE = 3  # prctl(2)


class Refused(Exception):
    """A stack found that make reload may not adopt; the message says why."""


def record(workdir: Path, variables: dict[str, str] | None = None) -> None:
    """serve.py's pid file, and, where /proc is closed to the stack's own user (_proc_closed),
    what `make reload` reads instead: its pid, checkout and variables, in a file only that user
    reads (it holds the secrets), written then alone. The pid file goes last: make reload looks
    for the stack there."""
    if _proc_closed():
        variables = dict(os.environ if variables is None else variables)  # as /proc has them
        saved = {"pid": os.getpid(), "checkout": str(BASE_DIR), "variables": variables}
        _write(stack_file(workdir), json.dumps(saved), 0o600)
    _write(workdir / "serve.pid", str(os.getpid()), 0o644)


def remember(workdir: Path, values: dict) -> None:
    """What the stack runs with that a reload cannot change (reload_config.RESTART_ONLY,
    CHILDREN_FIXED), at its start and after each reload, for make reload to refuse such a reload
    before it changes anything (reload_config.refused_reload), as the stack would after. Only
    its user reads it: REDIS_URL may hold a password. Never raises: a reload must not end the
    stack over it (with none, or an older one gone, make reload leaves the refusal to the
    stack)."""
    try:
        _write(running_file(workdir), json.dumps({"pid": os.getpid(), **values}), 0o600)
    except OSError:
        with contextlib.suppress(OSError):
            running_file(workdir).unlink(missing_ok=True)


def remembered(workdir: Path, pid: int) -> dict | None:
    """What the stack with this pid remembered, or None: none (a stack started before serve.py
    wrote it), not its own, or not what serve.py writes (JSON, but no object: [], null)."""
    try:
        saved = json_object(read_own_file(running_file(workdir), private=True))
    except (OSError, ValueError, Refused):
        return None
    return saved if saved.get("pid") == pid else None


def json_object(text: str) -> dict:
    """stack.json's, running.json's or reload.json's text as serve.py writes it, an object;
    ValueError for any other (not JSON, or JSON but no object: [], null), which every reader
    takes as no file."""
    saved = json.loads(text)
    if not isinstance(saved, dict):
        raise ValueError("not a JSON object")
    return saved


def running_file(workdir: Path) -> Path:
    return workdir / "running.json"


def forget(workdir: Path) -> None:
    """At the stop: its files gone, each if still ours (a stack started since wrote its own);
    the variables by the pid they were written with, whatever the pid file says by then."""
    with contextlib.suppress(OSError):
        if (workdir / "serve.pid").read_text() == str(os.getpid()):
            (workdir / "serve.pid").unlink()
    for path in (stack_file(workdir), running_file(workdir)):
        with contextlib.suppress(OSError, ValueError):
            if json_object(path.read_text()).get("pid") == os.getpid():
                path.unlink()


def _proc_closed() -> bool:
    """Whether the kernel closes this process's /proc/<pid>/environ and cwd to its own user's
    other processes (make reload): when it holds capabilities they lack (a unit's
    AmbientCapabilities=, for a port under 1024; root's make reload holds root's), or is not
    dumpable."""
    status = Path("/proc/self/status").read_text().splitlines()
    held = int(next(line.split()[1] for line in status if line.startswith("CapPrm:")), 16)
    dumpable = ctypes.CDLL(None, use_errno=True).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)
    return dumpable != 1 or (held != 0 and os.geteuid() != 0)


def _write(path: Path, text: str, mode: int) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "w") as file:
        os.fchmod(fd, mode)  # whatever the umask: make reload refuses a file others may change
        file.write(text)
    temporary.replace(path)


def stack_file(workdir: Path) -> Path:
    return workdir / "stack.json"


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def not_mine(workdir: Path) -> str | None:
    """Why a stack may not start in this work dir (another user's, made first in a /tmp all may
    write: its owner could change the VCL, the pid file and Varnish's files under this user's
    stack), or None: this user's own, or not there."""
    try:
        info = workdir.stat()
    except FileNotFoundError:
        return None
    if info.st_uid == os.geteuid():
        return None
    me, owner = user_name(os.geteuid()), user_name(info.st_uid)
    return (
        f"not starting in {workdir}: it belongs to {owner}, not {me} (another user "
        f"may change what the stack runs): remove it, or set PROXY_WORKDIR to a directory of {me}'s"
    )


def refuse_unless_own(info: os.stat_result, what: str, *, private: bool = False) -> None:
    """Refused unless it belongs to the user running this and no one else may change it (or,
    `private`, read it)."""
    me = os.geteuid()
    if info.st_uid != me:
        raise Refused(f"{what} belongs to {user_name(info.st_uid)}, not {user_name(me)}")
    if info.st_mode & (0o077 if private else 0o022):
        raise Refused(f"{what} is open to others (mode {stat.S_IMODE(info.st_mode):o})")


def read_own_file(path: Path, *, private: bool = False) -> str:
    """The text of a file of this user's own (refuse_unless_own), read through no link and no
    fifo (a pid file another user replaced); Refused otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd) as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path} is not a file")
        refuse_unless_own(info, str(path), private=private)
        return file.read()
