"""A reload whose files cannot be written in the work dir (a full disk; here a directory where
the file goes, which fails as ENOSPC does, root or not): the stack goes on serving and says
why, where it used to die of the OSError, taking the site down over a reload. A stack of its
own."""

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
