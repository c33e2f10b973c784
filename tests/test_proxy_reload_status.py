"""<work dir>/reload.json, where the stack writes each reload's outcome for `make reload` to read,
holding something serve.py never writes (edited by hand, a tool's `[]`): the reload goes through
and says so, whether asked by make reload or by SIGUSR2, and the stack neither dies of it nor
stops any differently. A stack of its own."""

import signal
import subprocess
import sys
from pathlib import Path

from tests.proxy_stack import BASE_DIR, running_stack

SERVE = [sys.executable, str(BASE_DIR / "deploy" / "serve.py")]
NOT_WRITTEN_BY_SERVE = ["[]", "null", '"reloaded"', "{}", '{"generation": "2", "problem": 0}']


def test_a_reload_json_serve_py_never_writes_is_taken_as_no_reload_yet(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("reload-status")) as stack:
        status = Path(stack.env["PROXY_WORKDIR"]) / "reload.json"

        # SIGUSR2 to serve.py, as deploy/README.md offers beside make reload: the stack read the
        # file as a reload began and died of a TypeError, taking the site down with it.
        status.write_text("[]")
        stack.process.send_signal(signal.SIGUSR2)
        stack.wait_for_log("serve: reloaded")
        assert stack.get(stack.articles[0]).status == 200

        # make reload's last step: it read the file before signalling, and showed a traceback.
        for text in NOT_WRITTEN_BY_SERVE:
            status.write_text(text)
            reloaded = subprocess.run(
                [*SERVE, "--reload"], env=stack.env, capture_output=True, text=True, timeout=240
            )
            assert "Traceback" not in reloaded.stderr, (text, reloaded.stderr)
            assert reloaded.returncode == 0, (text, reloaded.stdout + reloaded.stderr)
            assert "serve: reloaded: the new release serves" in reloaded.stdout, text
            assert stack.process.poll() is None, stack.log()
            assert stack.get(stack.articles[1]).status == 200

        # And it stops as it always did: cleanly, on the operator's SIGTERM.
        status.write_text("null")
        stack.process.send_signal(signal.SIGTERM)
        assert stack.process.wait(timeout=60) == 0, stack.log()
        assert "Traceback" not in stack.log(), stack.log()
