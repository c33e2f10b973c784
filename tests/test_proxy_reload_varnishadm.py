"""A reload whose `varnishadm` does not answer (a Varnish manager that hangs): its limit
(PROXY_VARNISHADM_TIMEOUT, 60 s by default; a few seconds here) ended the whole stack, the site
going down over a reload. Now, before `vcl.use`, the reload fails and the old release serves on;
at `vcl.use` itself, Varnish is asked which VCL it uses and the reload ends by its answer; with
no answer, both releases are kept, as either may be the one readers reach. Each says why. Stacks
of their own, behind a stand-in varnishadm that hangs where the test says."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.proxy_stack import BASE_DIR, running_stack
from tests.test_proxy_reload import _answers

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]
# Each varnishadm command's limit in these stacks: long enough for a real vcl.load to compile.
SECONDS = 8
# The real varnishadm, but for the command named in the control file: "before vcl.load" hangs
# instead of running it, "after vcl.use" runs it and then hangs, and "after vcl.use, then all"
# has every command after it hang too (the manager gone quiet once it switched).
STAND_IN = """#!/bin/sh
control={control}
hang=$(cat "$control")
for arg; do case "$arg" in vcl.*) command=$arg;; esac; done
case "$hang" in
all) exec sleep 600;;
"before $command") exec sleep 600;;
"after $command") {real} "$@"; exec sleep 600;;
"after $command, then all") {real} "$@"; echo all > "$control"; exec sleep 600;;
esac
exec {real} "$@"
"""


def stand_in(tmp: Path) -> tuple[Path, dict]:
    """The control file, and the variables that put the stand-in first in the stack's PATH."""
    bin_dir, control = tmp / "bin", tmp / "hang"
    bin_dir.mkdir()
    control.write_text("")
    script = bin_dir / "varnishadm"
    script.write_text(STAND_IN.format(control=control, real=shutil.which("varnishadm")))
    script.chmod(0o755)
    return control, {"PATH": f"{bin_dir}:{os.environ['PATH']}"}


def reload(stack) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=700
    )


@contextlib.contextmanager
def reloaded_while_hanging(tmp_path_factory, where: str):
    """A stack of its own behind the stand-in, the outcome make reload says of a reload while
    varnishadm hangs `where`, and the control file."""
    tmp = tmp_path_factory.mktemp("varnishadm")
    control, variables = stand_in(tmp)
    with running_stack(tmp, PROXY_VARNISHADM_TIMEOUT=str(SECONDS), **variables) as stack:
        control.write_text(where)
        yield stack, reload(stack), control


def test_a_varnishadm_hung_before_the_switch_leaves_the_old_release_serving(tmp_path_factory):
    with reloaded_while_hanging(tmp_path_factory, "before vcl.load") as (stack, failed, control):
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])

        assert failed.returncode == 1, failed.stdout + failed.stderr + stack.log()
        assert (
            "serve: reload failed, the old release still serves: varnishadm vcl.load did not "
            f"answer within {SECONDS} s"
        ) in failed.stdout, failed.stdout + stack.log()
        assert stack.process.poll() is None, stack.log()
        assert "Traceback" not in stack.log(), stack.log()
        assert stack.get(stack.articles[0]).status == 200
        assert _answers(stack, stack.backend_port) and not _answers(stack, other_port)

        # Once Varnish answers again, the next reload goes through.
        control.write_text("")
        again = reload(stack)
        assert again.returncode == 0, again.stdout + again.stderr + stack.log()
        assert _answers(stack, other_port)


def test_a_varnishadm_hung_after_switching_finishes_the_reload(tmp_path_factory):
    with reloaded_while_hanging(tmp_path_factory, "after vcl.use") as (stack, done, _):
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])

        assert done.returncode == 0, done.stdout + done.stderr + stack.log()
        assert "serve: reloaded: the new release serves" in done.stdout
        assert (
            f"serve: varnishadm vcl.use did not answer within {SECONDS} s, but Varnish uses the "
            "new release's VCL: the reload goes on"
        ) in stack.log(), stack.log()
        assert stack.process.poll() is None, stack.log()
        assert stack.get(stack.articles[0]).status == 200
        assert _answers(stack, other_port)


def test_a_switch_varnish_never_confirms_keeps_both_releases(tmp_path_factory):
    hanging = reloaded_while_hanging(tmp_path_factory, "after vcl.use, then all")
    with hanging as (stack, unknown, _):
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])

        assert unknown.returncode == 1, unknown.stdout + unknown.stderr + stack.log()
        said = (
            "serve: reload not finished, both releases run: varnishadm vcl.use did not answer "
            f"within {SECONDS} s, nor did vcl.list after it say which VCL it uses: Varnish may "
            "send readers to the new release or to the old one, so both releases are kept running; "
            "every reload is refused until the stack is restarted (stop make serve and start it "
            "again)"
        )
        assert said in unknown.stdout, unknown.stdout + stack.log()
        assert "the old release still serves" not in unknown.stdout
        assert stack.process.poll() is None, stack.log()
        assert stack.get(stack.articles[0]).status == 200
        assert _answers(stack, stack.backend_port) and _answers(stack, other_port)

        # Nothing can be switched from a state not known: the next reload is refused, saying
        # what to do, and changes nothing.
        refused = reload(stack)
        assert refused.returncode == 1, refused.stdout + refused.stderr + stack.log()
        assert (
            "serve: reload not finished, both releases run: the last reload never learnt whether "
            "Varnish sends readers to its new release or to the one before, so both releases are "
            "kept running; every reload is refused until the stack is restarted (stop make serve "
            "and start it again)"
        ) in refused.stdout, refused.stdout
        assert _answers(stack, stack.backend_port) and _answers(stack, other_port)

        # The stack's stop takes both down.
        stack.process.send_signal(signal.SIGTERM)
        assert stack.process.wait(timeout=90) == 0, stack.log()
        assert not _answers(stack, stack.backend_port) and not _answers(stack, other_port)
        assert "Traceback" not in stack.log(), stack.log()
