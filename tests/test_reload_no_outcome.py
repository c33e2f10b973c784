"""How long `make reload` (serve.py --reload) waits for the stack's outcome: as long as the
stack says its reload's steps may take together (origin.reload_seconds, from its own settings:
gunicorn's graceful timeout, the new release's health wait, the purge's limit), not a fixed
180 s that a slow but healthy reload outlasted. Past that, with the stack still running, it
says the stack is still reloading and where the outcome will be told, not that it failed."""

import json
import os
import subprocess
import sys
import time

from tests.test_serve import BASE_DIR, pid_file, run_serve

# A stand-in stack that takes SIGUSR2 and never answers (a reload that has not ended); it
# says when it takes the signal by the file it is given.
STILL_RELOADING = (
    "import signal, time\nsignal.signal(signal.SIGUSR2, signal.SIG_IGN)\n"
    "open({ready!r}, 'w').close()\ntime.sleep(120)\nraise SystemExit\n"
)


def test_make_reload_says_the_stack_is_still_reloading_once_its_steps_could_have_ended(tmp_path):
    tmp_path.chmod(0o755)
    held = tmp_path / "stand-in"
    held.mkdir()
    ready = held / "ready"
    (held / "sitecustomize.py").write_text(STILL_RELOADING.format(ready=str(ready)))
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(held)}
    stack = subprocess.Popen([sys.executable, "deploy/serve.py"], cwd=BASE_DIR, env=env)
    try:
        while not ready.exists():
            assert stack.poll() is None
            time.sleep(0.01)
        pid_file(tmp_path, stack.pid)
        # How long the stack says its reload may take at most (running.json): 3 s.
        running = tmp_path / "running.json"
        running.write_text(json.dumps({"pid": stack.pid, "reload_seconds": 3}))
        running.chmod(0o600)
        started = time.monotonic()
        waited = run_serve("--reload", PROXY_WORKDIR=str(tmp_path))

        assert waited.returncode == 1, waited.stdout + waited.stderr
        assert time.monotonic() - started < 30
        assert (
            f"serve: still reloading after 3 s, longer than its steps should take together: the "
            f"running stack (pid {stack.pid}) ends the reload on its own (finished, or the old "
            "release kept) and says which in its output (where make serve runs) and in "
            f"{tmp_path / 'reload.json'}"
        ) in waited.stdout, waited.stdout
        assert "failed" not in waited.stdout and "no answer" not in waited.stdout
        assert "Traceback" not in waited.stderr, waited.stderr
    finally:
        stack.kill()
        stack.wait()
