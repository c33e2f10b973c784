"""`serve.py --running`, make reload's first step, is the new checkout's code; the running
serve.py, an older release, wrote what it runs with (running.json) and runs with its own
variables (TMPDIR too). What the two do not share is left to the stack's own check at the end:
never a traceback, never a refusal naming nothing, never "restart" for the shell's TMPDIR."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_serve import BASE_DIR, free_port, run_serve, stand_in

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def remembered(env: dict) -> dict:
    """What a serve.py started with these variables writes to running.json."""
    code = (
        "import json, sys; sys.argv = ['serve.py']; sys.path.insert(0, 'deploy'); import serve;"
        "print(json.dumps(serve.remembered(serve.stack_config())))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write_running(workdir: Path, pid: int, saved: dict) -> None:
    path = workdir / "running.json"
    path.write_text(json.dumps({"pid": pid, **saved}))
    path.chmod(0o600)


def a_stack(tmp_path: Path, saved_as, file_after: str) -> subprocess.CompletedProcess:
    """A stand-in stack whose variables' file reads `file_after` by the time --running asks;
    running.json as `saved_as` turns what this release would have written."""
    variables = tmp_path / "newsportal.env"
    variables.write_text("")
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "NEWSPORTAL_ENV_FILE": str(variables),
        "PORT": str(free_port()),
        "PROXY_WORKDIR": str(workdir),
        "REDIS_URL": REDIS_URL,
    }
    saved = saved_as(remembered(env))
    stack = stand_in(workdir, env)
    try:
        write_running(workdir, stack.pid, saved)
        variables.write_text(file_after)
        found = run_serve("--running", **{k: env[k] for k in ("PORT", "PROXY_WORKDIR")})
    finally:
        stack.kill()
        stack.wait()
    return found


def older(saved: dict) -> dict:
    # A release before PROXY_THREADS took a restart, and before REDIS_URL was fixed.
    del saved["threads"]
    del saved["fixed"]["PROXY_THREADS"]
    del saved["fixed"]["REDIS_URL"]
    return saved


def test_names_the_running_release_did_not_remember_are_left_to_the_stack(tmp_path):
    file = "PROXY_THREADS=50\nREDIS_URL=redis://127.0.0.1:6379/3\n"
    found = a_stack(tmp_path, older, file)

    assert "Traceback" not in found.stderr, found.stderr
    assert found.returncode == 0, found.stdout + found.stderr
    assert "reload failed" not in found.stdout


def test_a_name_the_running_release_remembered_is_still_refused_at_once(tmp_path):
    found = a_stack(tmp_path, older, "PROXY_CACHE_SIZE=512m\n")

    assert "Traceback" not in found.stderr, found.stderr
    assert found.returncode == 1
    assert found.stdout.startswith(
        "serve: reload failed, the old release still serves: PROXY_CACHE_SIZE changed since "
        "the stack started (the variables' file): a reload cannot move Varnish or its ports;"
    ), found.stdout


def test_a_default_changed_since_the_stack_started_is_no_refusal_naming_nothing(tmp_path):
    # The running release's default PROXY_THREADS was another: no variable changed.
    def default_then(saved):
        return {**saved, "threads": saved["threads"] + 8}

    found = a_stack(tmp_path, default_then, "")

    assert found.returncode == 0, found.stdout + found.stderr
    assert "reload failed" not in found.stdout
