"""The files a reload is told and answered by, in the stack's work dir: reload.json (each
reload's outcome, written by the stack, read by make reload) and reload-cancel (make reload's
Ctrl-C, read by the stack while it waits for the new release)."""

import contextlib
import json
from pathlib import Path

from deploy.stack_files import json_object

# How a reload the stack stopped short of the switch ends: make reload says "stopped" for it.
UNSEEN = "the new release was stopped before any reader reached it"
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
