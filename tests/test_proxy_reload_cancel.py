"""Ctrl-C in the terminal of `make reload` (serve.py --reload): the running stack cancels the
reload cleanly, whatever step it had reached before the switch, and says so; the operator is
told what happened rather than shown a traceback while the reload goes on unseen. A stack of its
own."""

import os
import signal
import subprocess
import sys
import time

from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]


def _answers(stack, port) -> bool:
    try:
        return stack.get("/healthz", port=port, timeout=2).status == 200
    except OSError:
        return False


def test_ctrl_c_during_a_reload_leaves_the_old_release_serving_and_says_so(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload-cancel")) as stack:
        other_port = int(stack.env["RELOAD_BACKEND_PORT"])
        reloading = subprocess.Popen(
            [*SERVE, "--reload"],
            env=stack.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a terminal's foreground job, for its Ctrl-C
        )
        deadline = time.monotonic() + 30
        while "serve: reloading" not in stack.log():
            assert time.monotonic() < deadline, stack.log()
            time.sleep(0.05)
        # The new gunicorn is starting (it takes seconds): Ctrl-C, to the whole job.
        os.killpg(reloading.pid, signal.SIGINT)
        out, err = reloading.communicate(timeout=180)

        assert reloading.returncode == 1, out + err
        assert "Traceback" not in err, err
        assert "cancelling the reload" in out
        assert "reload stopped, the old release still serves: cancelled" in out, out
        assert "reload stopped, the old release still serves: cancelled" in stack.log()
        # The old release serves; the new one is gone, and never took a reader.
        time.sleep(1)
        assert _answers(stack, stack.backend_port)
        assert not _answers(stack, other_port)
        assert stack.get(stack.articles[0]).status == 200
        assert stack.process.poll() is None

        # The next reload goes through, to the same port the cancelled one was to use.
        again = subprocess.run(
            [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
        )
        assert again.returncode == 0, again.stdout + again.stderr + stack.log()
        assert "serve: reloaded" in again.stdout
        assert _answers(stack, other_port) and not _answers(stack, stack.backend_port)
