"""A reload whose files cannot be written in the work dir (a full disk; here a directory where
the file goes, which fails as ENOSPC does, root or not): the stack goes on serving and says
why, where it used to die of the OSError, taking the site down over a reload. A stack of its
own."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]


def test_a_reload_that_cannot_write_its_files_leaves_the_stack_serving(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload-unwritable")) as stack:
        workdir = Path(stack.env["PROXY_WORKDIR"])

        # The new VCL, written before Varnish is switched: the old release serves on.
        (workdir / "newsportal-reload1.vcl").mkdir()
        failed = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert failed.returncode == 1, failed.stdout + failed.stderr + stack.log()
        assert (
            "serve: reload failed, the old release still serves: cannot write the new VCL "
            f"({workdir / 'newsportal-reload1.vcl'}): Is a directory"
        ) in failed.stdout, failed.stdout + stack.log()
        assert stack.process.poll() is None, stack.log()
        assert stack.get("/healthz", port=stack.backend_port).status == 200
        assert stack.get(stack.articles[0]).status == 200

        # The outcome, written once the new release serves (SIGUSR2: make reload would wait
        # minutes for the outcome it cannot read, and then say it had no answer).
        (workdir / "reload.tmp").mkdir()
        stack.process.send_signal(signal.SIGUSR2)
        stack.wait_for_log("could not write")
        time.sleep(1)
        assert stack.process.poll() is None, stack.log()
        assert "serve: reloaded" in stack.log()
        outcome = workdir / "reload.json"
        assert f"serve: could not write the reload's outcome to {outcome} (Is a directory)" in (
            stack.log()
        )
        assert stack.get("/healthz", port=int(stack.env["RELOAD_BACKEND_PORT"])).status == 200
        assert stack.get(stack.articles[1]).status == 200
        assert "Traceback" not in stack.log(), stack.log()


def test_a_cancel_sent_after_a_reload_whose_outcome_went_unwritten_stops_no_later_one(
    tmp_path_factory,
):
    # With reload.json not written, make reload waits on; a Ctrl-C in it then, once the stack
    # had ended that reload, left a cancel naming the number the stack's next reload takes
    # again (it counts from reload.json): that one was cancelled though nobody pressed Ctrl-C.
    with running_stack(tmp_path_factory.mktemp("reload-cancel-unwritten")) as stack:
        workdir = Path(stack.env["PROXY_WORKDIR"])
        (workdir / "reload.tmp").mkdir()
        waiting = subprocess.Popen(
            [*SERVE, "--reload"],
            env=stack.env,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        stack.wait_for_log("could not write the reload's outcome")
        os.killpg(waiting.pid, signal.SIGINT)
        while "cancelling the reload" not in (line := waiting.stdout.readline()):
            assert line, stack.log()
        os.killpg(waiting.pid, signal.SIGINT)  # stops waiting
        assert waiting.wait(timeout=30) == 130
        (workdir / "reload.tmp").rmdir()  # the disk has room again

        reloaded = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr + stack.log()
        assert "serve: reloaded: the new release serves" in reloaded.stdout
        assert "cancelled" not in stack.log(), stack.log()
        assert stack.get("/healthz", port=stack.backend_port).status == 200


def test_a_reload_lock_that_cannot_be_made_is_said_and_the_reload_goes_on(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload-lock-unwritable")) as stack:
        (Path(stack.env["PROXY_WORKDIR"]) / "reload.lock").mkdir()
        reloaded = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )

        assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr + stack.log()
        assert "Traceback" not in reloaded.stderr, reloaded.stderr
        assert (
            "serve: could not take the reload lock "
            f"{Path(stack.env['PROXY_WORKDIR']) / 'reload.lock'} (Is a directory): nothing keeps "
            "another make reload from running beside this one"
        ) in reloaded.stdout, reloaded.stdout
        assert "serve: reloaded: the new release serves" in reloaded.stdout
