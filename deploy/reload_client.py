"""`make reload`'s side of a reload (`serve.py --reload`): the running stack asked for one, and
its outcome waited for and said (deploy/origin.py is the stack's side)."""

import contextlib
import os
import signal
import time
from pathlib import Path

from deploy.reload_files import (
    BOTH_KEPT,
    LOCK_FD,
    NOT_STARTED,
    UNSEEN,
    Busy,
    cancel_path,
    hold_reloads,
    read_status,
    stack_reloading,
    status_path,
)
from deploy.stack_files import remembered
from deploy.stacks import running_stack
from deploy.units import systemd_unit


def first_step(workdir: Path, command: list[str], refused) -> int:
    """`serve.py --running [COMMAND...]`, make reload's first step: whether a stack runs that
    would take the reload (`refused`: reload_config.refused_reload), before anything is
    installed, collected or migrated; and then COMMAND (make, for the other steps) run holding
    the reload lock, which every step inherits to the outcome: one make reload at a time."""
    if (pid := running_stack(workdir, refused=refused)) is None:
        return 1
    try:
        fd = one_at_a_time(workdir, pid)
    except Busy as exc:
        print(f"serve: {exc}", flush=True)
        return 1
    if command:
        if fd is not None:
            os.set_inheritable(fd, True)
            os.environ[LOCK_FD] = str(fd)
        os.execvp(command[0], command)  # noqa: S606 (the Makefile's own $(MAKE) line)
    return 0


def one_at_a_time(workdir: Path, pid: int) -> int | None:
    """The reload lock (hold_reloads), held to this process's end; Busy while another make
    reload holds it, or while the stack is still at a reload one left (a second Ctrl-C): its
    steps (migrations) would run beside that reload, whose outcome it would then take for its
    own, and the stack would reload once more after it, unwatched. An earlier one's cancel is
    removed."""
    fd = hold_reloads(workdir)
    if stack_reloading(workdir):
        raise Busy(
            f"the running stack (pid {pid}) is still at a reload, one whose make reload stopped "
            f"waiting: this one changes nothing. Its output and {status_path(workdir)} say how "
            "that one ends; run make reload again then"
        )
    # Only the lock's holder writes a cancel, and this one has written none yet: one there is
    # an earlier make reload's, for a reload the stack has ended. Pressed once the stack had
    # ended it unable to write reload.json, it names the number the next reload takes again
    # (counted from that file), and would stop this one though nobody pressed Ctrl-C.
    with contextlib.suppress(OSError):
        cancel_path(workdir).unlink(missing_ok=True)
    return fd


def ask_for_reload(workdir: Path, seconds: float) -> int:
    """`serve.py --reload`: signal the running serve.py and wait for its answer, as long as the
    stack says its reload may take (reload_seconds; `seconds` for a stack that does not say).
    The reload is the stack's doing: Ctrl-C here asks it to cancel (the cancel file, naming
    this reload) and waits for what it did, so a reload is never left half done nor its
    outcome unsaid; a second Ctrl-C stops waiting."""
    if (pid := running_stack(workdir)) is None:
        return 1
    try:
        one_at_a_time(workdir, pid)
    except Busy as exc:
        print(f"serve: {exc}", flush=True)
        return 1
    before = read_status(workdir)["generation"]
    unit = systemd_unit(pid)  # read now: once it has exited, nothing is left to read
    pressed, cancelled = [], []

    def cancel(signum, frame):
        if pressed:
            raise KeyboardInterrupt
        pressed.append(signum)
        # Read by the stack while it waits for the new release (Halted), however soon it
        # comes: even before the stack has begun this reload.
        path = cancel_path(workdir)
        try:
            path.with_suffix(".tmp").write_text(str(before + 1))
            path.with_suffix(".tmp").replace(path)
        except OSError as exc:  # not the stack's user: the reload goes on, and is reported
            print(f"serve: could not ask the running stack to cancel: {exc}", flush=True)
            return
        cancelled.append(signum)
        print(
            "serve: cancelling the reload: the old release goes on serving unless Varnish has "
            "switched to the new one already (then the reload is finished); waiting for the "
            "outcome (Ctrl-C again to stop waiting)",
            flush=True,
        )

    signal.signal(signal.SIGINT, cancel)
    signal.signal(signal.SIGTERM, cancel)
    try:
        os.kill(pid, signal.SIGUSR2)
    except OSError as exc:  # it ended in between, or is not ours to signal
        print(f"serve: could not signal the running stack (pid {pid}): {exc}")
        return 1
    signalled = time.monotonic()
    try:
        # Read again as it waits: the stack says it anew as the reload begins (a longer
        # graceful timeout in the variables' file, say).
        while time.monotonic() < signalled + (seconds := _stack_says(workdir, pid, seconds)):
            status = read_status(workdir)
            if status["generation"] > before:
                return _told(status["problem"], cancelled)
            if running_stack(workdir, say=False) != pid:
                # Stopped or killed meanwhile: no answer will come (it was waited for minutes).
                print(
                    f"serve: the running stack (pid {pid}) exited during the reload: "
                    + (
                        f"see {unit.journal()}; systemd starts it again after a failure "
                        f"(Restart=on-failure), otherwise {unit.systemctl('start')}"
                        if unit
                        else "see its output; start it again with make serve"
                    )
                )
                return 1
            time.sleep(0.2)
    except KeyboardInterrupt:
        print(
            "serve: stopped waiting; the running stack ends the reload on its own (finished, "
            f"or the old release kept): its output says which, and {status_path(workdir)}",
            flush=True,
        )
        return 130
    # Still running, and past what its steps allow: unknown, not failed (say, it could not
    # write reload.json), and the stack ends the reload on its own.
    print(
        f"serve: still reloading after {seconds:g} s, longer than its steps should take "
        f"together: the running stack (pid {pid}) ends the reload on its own (finished, or the "
        "old release kept) and says which in its output "
        f"({unit.journal() if unit else 'where make serve runs'}) and in {status_path(workdir)}"
    )
    return 1


def _stack_says(workdir: Path, pid: int, otherwise: float) -> float:
    """How long the stack with this pid says its reload may take (running.json), or
    `otherwise`: a stack an older release started, or a file it could not write."""
    seconds = (remembered(workdir, pid) or {}).get("reload_seconds")
    return seconds if type(seconds) in (int, float) and seconds > 0 else otherwise


def _told(problem: str, cancelled: list) -> int:
    if BOTH_KEPT in problem:
        print(f"serve: reload not finished, both releases run: {problem}")
        return 1
    if problem:
        verb = "stopped" if UNSEEN in problem or NOT_STARTED in problem else "failed"
        print(f"serve: reload {verb}, the old release still serves: {problem}")
        return 1
    if cancelled:
        print("serve: too late to cancel: Varnish had switched to the new release, so the reload")
        print("was finished: the new release serves; the old one ends its requests")
        return 0
    print("serve: reloaded: the new release serves; the old one ends its requests")
    return 0
