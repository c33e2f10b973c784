"""The files a reload is told and answered by, in the stack's work dir: reload.json (each
reload's outcome, written by the stack, read by make reload), reload-cancel (make reload's
Ctrl-C, read by the stack while it waits for the new release), and the locks that keep to one
reload at a time (reload.lock, make reload's; reloading.lock, the stack's)."""

import contextlib
import fcntl
import json
import os
from pathlib import Path

from deploy.stack_files import json_object

# How a reload the stack stopped short of the switch ends: make reload says "stopped" for it.
UNSEEN = "the new release was stopped before any reader reached it"
NOT_STARTED = "new release was never started"
# A switch Varnish never confirmed (varnishadm unanswered): make reload says "not finished".
BOTH_KEPT = "both releases are kept running"
RESTART_TO_RELOAD = "every reload is refused until the stack is restarted"


def status_path(workdir: Path) -> Path:
    return workdir / "reload.json"


def forget_unfinished_reload(workdir: Path) -> None:
    """At the stack's start, what a reload of the stack before it left, had that one been
    killed (SIGKILL, the OOM killer) before the reload ended: its cancel, which names the
    generation this stack's first reload will have (reload.json never got that one's outcome),
    and would stop that reload as "cancelled (Ctrl-C in make reload)" though nobody pressed
    it; and the half-written files and VCLs of that reload, nobody's now."""
    leftovers = [
        cancel_path(workdir),
        cancel_path(workdir).with_suffix(".tmp"),
        status_path(workdir).with_suffix(".tmp"),
        *workdir.glob("newsportal-reload*.vcl"),
    ]
    for path in leftovers:
        with contextlib.suppress(OSError):  # a directory there is the reload's to say
            path.unlink()


def cancel_path(workdir: Path) -> Path:
    return workdir / "reload-cancel"


def write_status(workdir: Path, generation: int, problem: str) -> None:
    path = status_path(workdir)
    try:
        text = json.dumps({"generation": generation, "problem": problem})
        path.with_suffix(".tmp").write_text(text)
        path.with_suffix(".tmp").replace(path)
    except OSError as exc:  # a full disk: the stack serves on; only make reload goes unanswered
        print(
            f"serve: could not write the reload's outcome to {path} ({exc.strerror or exc}): "
            "make reload will say it has none; the lines above are the outcome",
            flush=True,
        )


def read_status(workdir: Path) -> dict:
    """The last reload's outcome as write_status wrote it; anything else (no file, or one not
    serve.py's: [], null, a string, fields of other types) as no reload yet. A reload must not
    end the stack, nor make reload's wait, over a file edited by hand."""
    nothing = {"generation": 0, "problem": ""}
    try:
        status = json_object(status_path(workdir).read_text())
    except (OSError, ValueError):
        return nothing
    generation, problem = status.get("generation"), status.get("problem")
    if type(generation) is not int or not isinstance(problem, str):
        return nothing
    return {"generation": generation, "problem": problem}


# One reload at a time. make reload holds reload.lock (an flock, gone with the last process
# holding it, whatever kills them) from its first step to its outcome: its first step execs
# make with the descriptor, which every step inherits, named in LOCK_FD for serve.py --reload;
# serve.py --reload run alone takes it itself. The stack holds reloading.lock while it reloads,
# for a make reload that stopped waiting (a second Ctrl-C) and left the reload under way.
LOCK_FD = "NEWSPORTAL_RELOAD_LOCK_FD"


class Busy(Exception):
    """A reload under way already; the message says whose."""


def hold_reloads(workdir: Path) -> int | None:
    """The descriptor of reload.lock, locked for this make reload (or `serve.py --reload`): the
    one inherited from its first step, or taken now. Raises Busy while another holds it; None
    when the file cannot be made (a full disk), said: the reload goes on, unguarded."""
    path = workdir / "reload.lock"
    with contextlib.suppress(ValueError, OSError):
        inherited = int(os.environ.get(LOCK_FD, ""))
        if os.path.samestat(os.fstat(inherited), path.stat()):
            fcntl.flock(inherited, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held already: never waits
            return inherited
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        print(
            f"serve: could not take the reload lock {path} ({exc.strerror or exc}): nothing "
            "keeps another make reload from running beside this one",
            flush=True,
        )
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        raise Busy(
            f"another make reload is under way for the stack in {workdir} (pid {holder}): this "
            "one changes nothing. Wait for that one's outcome (its terminal, or "
            f"{status_path(workdir)}), then run make reload again if it is still needed"
        ) from None
    with contextlib.suppress(OSError):  # only said to a make reload refused (a full disk)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)  # the same pid once it execs make
    return fd


@contextlib.contextmanager
def reloading(workdir: Path):
    """The stack's hold on reloading.lock while it reloads (stack_reloading). None of its
    children inherits it (O_CLOEXEC): the new gunicorn would hold it for good."""
    try:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(workdir / "reloading.lock", flags, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:  # a full disk: the reload goes on, only unguarded
        fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def stack_reloading(workdir: Path) -> bool:
    """Whether the stack is at a reload now (it holds reloading.lock); False for a stack an
    older release started, which never takes it."""
    try:
        fd = os.open(workdir / "reloading.lock", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
