"""A stack killed outright (SIGKILL, the OOM killer) during a reload the operator had just
cancelled (Ctrl-C in `make reload`) leaves that cancel in its work dir, unread. The stack
started next in that work dir (systemd's Restart=on-failure, or `make serve`) must not take it
for a cancel of its own first reload: nobody pressed Ctrl-C then. Stacks of their own."""

import os
import signal
import subprocess
import sys

from tests.proxy_stack import BASE_DIR, _kill_every_process_with, running_stack
from tests.test_proxy_reload_cancel import _make_reload

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]


def test_a_cancel_left_by_a_stack_killed_mid_reload_does_not_cancel_the_next_stack_s_reload(
    tmp_path_factory,
):
    with running_stack(tmp_path_factory.mktemp("killed-mid-reload")) as killed:
        workdir = killed.env["PROXY_WORKDIR"]
        reloading = _make_reload(killed)
        killed.wait_for_log("serve: reloading")
        # The stack held still, so that it is killed before it reads the cancel.
        os.kill(killed.process.pid, signal.SIGSTOP)
        os.killpg(reloading.pid, signal.SIGINT)
        said = ""
        while "serve: cancelling the reload" not in said:
            line = reloading.stdout.readline()
            assert line, said
            said += line
        os.kill(killed.process.pid, signal.SIGKILL)
        said += reloading.communicate(timeout=60)[0]
        assert "exited during the reload" in said, said
        # All of it gone (its guard would stop the children; here at once, for the next stack).
        _kill_every_process_with(f"CACHE_KEY_PREFIX={killed.env['CACHE_KEY_PREFIX']}")

        with running_stack(
            tmp_path_factory.mktemp("started-again"), PROXY_WORKDIR=workdir
        ) as again:
            reloaded = subprocess.run(
                [*SERVE, "--reload"], env=again.env, capture_output=True, text=True, timeout=300
            )

            assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr + again.log()
            assert "serve: reloaded: the new release serves" in reloaded.stdout
            assert "cancelled" not in again.log(), again.log()
            assert again.get("/healthz", port=int(again.env["RELOAD_BACKEND_PORT"])).status == 200
            assert again.get(again.articles[0]).status == 200
