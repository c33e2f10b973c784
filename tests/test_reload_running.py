"""`serve.py --running`, make reload's first step, is the new checkout's code; the running
serve.py, an older release, wrote what it runs with (running.json) and runs with its own
variables (TMPDIR too). What the two do not share is left to the stack's own check at the end:
never a traceback, never a refusal naming nothing, never "restart" for the shell's TMPDIR."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_serve import BASE_DIR, free_port, pid_file, run_serve, stacks_named, stand_in

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


def default_then(saved: dict) -> dict:
    # The running release's default PROXY_THREADS was another.
    return {**saved, "threads": saved["threads"] + 8}


def test_a_default_changed_since_the_stack_started_is_no_refusal_naming_nothing(tmp_path):
    # No variable changed.
    found = a_stack(tmp_path, default_then, "")

    assert found.returncode == 0, found.stdout + found.stderr
    assert "reload failed" not in found.stdout


def test_a_variable_written_out_with_the_value_the_stack_runs_with_is_no_refusal(tmp_path):
    # Beside a default changed since: the refusal named PROXY_CACHE_SIZE, which moved nothing
    # (256m then and now), for what the default moved.
    found = a_stack(tmp_path, default_then, "PROXY_CACHE_SIZE=256m\n")

    assert found.returncode == 0, found.stdout + found.stderr
    assert "reload failed" not in found.stdout


@pytest.mark.parametrize(
    ("file_after", "said"),
    [
        (
            "PROXY_CACHE_SIZE=512m\n",
            "PROXY_CACHE_SIZE changed since the stack started (the "
            "variables' file): a reload cannot move Varnish or its ports;",
        ),
        # What serve.py gives its children: it was said as moving Varnish.
        (
            "REDIS_URL=redis://127.0.0.1:6379/3\n",
            "REDIS_URL changed since the stack started (the "
            "variables' file): serve.py gives gunicorn and the mail worker the values they started",
        ),
    ],
)
def test_a_variable_changed_beside_a_default_is_refused_for_what_it_changed(
    tmp_path, file_after, said
):
    found = a_stack(tmp_path, default_then, file_after)

    assert found.returncode == 1
    refused = "serve: reload failed, the old release still serves: "
    assert found.stdout.startswith(refused + said), found.stdout


@pytest.mark.parametrize("saved_as", [dict, default_then])
def test_every_variable_changed_is_named_in_one_refusal(tmp_path, saved_as):
    # One that moves Varnish and one serve.py gives its children, at once: only the first was
    # named, and the operator, restarting for it, learned of the second from the stack's refusal.
    file = "PROXY_CACHE_SIZE=512m\nREDIS_URL=redis://127.0.0.1:6379/3\n"
    found = a_stack(tmp_path, saved_as, file)

    assert found.returncode == 1
    assert found.stdout.splitlines() == [
        "serve: reload failed, the old release still serves: PROXY_CACHE_SIZE changed since the "
        "stack started (the variables' file): a reload cannot move Varnish or its ports; "
        "REDIS_URL changed since the stack started (the variables' file): serve.py gives "
        "gunicorn and the mail worker the values they started with, and a reload would keep "
        "those; stop make serve and start it again"
    ], found.stdout


def started_under(tmp_path: Path, *, with_varnish: bool, variables_file: Path | None = None):
    """A stand-in stack started with TMPDIR=a, so its work dir the default a/newsportal-varnish-
    PORT, its running.json as its serve.py writes it; with a Varnish (its -n there) or not. Its
    PORT in its environment, or, given a variables' file, there alone."""
    port = free_port()
    (tmp_path / "a").mkdir()
    workdir = tmp_path / "a" / f"newsportal-varnish-{port}"
    workdir.mkdir(mode=0o755)
    env = {"PATH": os.environ["PATH"], "NEWSPORTAL_ENV_FILE": "", "PORT": str(port)}
    if variables_file:
        variables_file.write_text(f"PORT={env.pop('PORT')}\n")
        env["NEWSPORTAL_ENV_FILE"] = str(variables_file)
    env.update(REDIS_URL=REDIS_URL, TMPDIR=str(tmp_path / "a"))
    saved = remembered(env)
    held = tmp_path / "stand-in"
    held.mkdir()
    varnishd = tmp_path / "varnishd"  # named so, as stacks finds it; it only waits
    varnishd.symlink_to(os.path.realpath(sys.executable))
    wait = "import time; time.sleep(60)"
    listens = f"public=127.0.0.1:{port}"  # as varnishd.varnish_command has it
    varnish = (
        f"[{str(varnishd)!r}, '-c', {wait!r}, '-n', {str(workdir / 'varnish')!r}, '-a', "
        f"{listens!r}]"
    )
    (held / "sitecustomize.py").write_text(
        "import subprocess, time\n"
        + (f"subprocess.Popen({varnish}, env={{}})\n" if with_varnish else "")
        + "time.sleep(60)\nraise SystemExit\n"
    )
    stack = subprocess.Popen(
        [sys.executable, "deploy/serve.py"],
        cwd=BASE_DIR,
        env={**env, "PYTHONPATH": str(held)},
        start_new_session=True,  # its Varnish stopped with it
    )
    pid_file(workdir, stack.pid)
    write_running(workdir, stack.pid, saved)
    return stack, workdir, port


@pytest.mark.parametrize("with_varnish", [True, False])
def test_a_stack_started_under_another_tmpdir_is_named_with_its_variables(tmp_path, with_varnish):
    # The shell's TMPDIR is b: it looks in b/newsportal-varnish-PORT, finds none, and names the
    # stack running under a, to be reloaded with its variables (TMPDIR too). It was told the
    # stack "would refuse the reload:  changed ...: stop make serve and start it again" (its
    # work dir read under b, tempfile keeping the shell's), or, with no Varnish found, to start
    # one with make serve.
    (tmp_path / "b").mkdir()
    stack, workdir, port = started_under(tmp_path, with_varnish=with_varnish)
    try:
        time.sleep(1)  # its Varnish started
        found = run_serve("--running", PORT=str(port), TMPDIR=str(tmp_path / "b"))
        same = run_serve("--running", PORT=str(port), TMPDIR=str(tmp_path / "a"))
    finally:
        os.killpg(stack.pid, signal.SIGKILL)
        stack.wait()

    assert same.returncode == 0, same.stdout  # the shell with the stack's TMPDIR
    assert found.returncode == 1
    # Its own stack is not said to refuse (another test's stand-in beside it may be: pytest -n).
    assert f"(pid {stack.pid}) would refuse" not in found.stdout, found.stdout
    assert f"pid {stack.pid}, with PROXY_WORKDIR={workdir} and PORT={port}" in stacks_named(
        found.stdout
    ), found.stdout


def test_a_stack_that_would_refuse_is_said_beside_the_others_not_instead(tmp_path):
    # Two stacks of this checkout, neither where the shell looks: one whose file changed what
    # takes a restart, one the shell did not load the variables of. Only the first was said.
    stacks = []
    try:
        for name, file_after in (("moved", "PROXY_CACHE_SIZE=512m\n"), ("other", "")):
            variables = tmp_path / f"{name}.env"
            variables.write_text("")
            workdir = tmp_path / name
            workdir.mkdir()
            env = {"PATH": os.environ["PATH"], "NEWSPORTAL_ENV_FILE": str(variables)}
            env.update(PORT=str(free_port()), PROXY_WORKDIR=str(workdir), REDIS_URL=REDIS_URL)
            saved = remembered(env)
            stacks.append((stand_in(workdir, env), workdir, env["PORT"]))
            write_running(workdir, stacks[-1][0].pid, saved)
            variables.write_text(file_after)
        found = run_serve("--running", PROXY_WORKDIR=str(tmp_path / "neither"))
    finally:
        for stack, _, _ in stacks:
            stack.kill()
            stack.wait()

    (moved, moved_dir, _), (other, other_dir, other_port) = stacks
    assert found.returncode == 1
    assert (
        f"the stack running in {moved_dir} (pid {moved.pid}) would refuse the reload: "
        "PROXY_CACHE_SIZE changed since the stack started"
    ) in found.stdout, found.stdout
    assert f"pid {other.pid}, with PROXY_WORKDIR={other_dir} and PORT={other_port}" in (
        stacks_named(found.stdout)
    ), found.stdout


def unusable(workdir: Path, how: str) -> None:
    """running.json as make reload cannot use it: gone (a stack an older release started, or
    one whose write failed at a reload), open to others, or a link to the stack's own."""
    running = workdir / "running.json"
    if how == "gone":
        running.unlink()
    elif how == "open":
        running.chmod(0o644)
    elif how == "link":
        running.replace(workdir / "kept.json")
        running.symlink_to(workdir / "kept.json")


@pytest.mark.parametrize(
    ("asked", "running_json"),
    [
        (["--reload"], "kept"),
        (["--stack-env", "-c", "pass"], "kept"),
        (["--reload"], "gone"),
        (["--reload"], "open"),
        (["--reload"], "link"),
    ],
)
def test_a_stack_found_through_its_varnish_is_named_with_the_port_it_was_started_with(
    tmp_path, asked, running_json
):
    # PORT is in the stack's variables' file alone, and was changed there since it started: the
    # stack still listens on the one it started with (its Varnish's -a, running.json). make
    # reload by hand, from a shell that looks elsewhere, named it with the file's new PORT,
    # which nothing listens on: always before running.json, then whenever it was unusable.
    variables = tmp_path / "newsportal.env"
    stack, workdir, port = started_under(tmp_path, with_varnish=True, variables_file=variables)
    try:
        unusable(workdir, running_json)
        variables.write_text(f"PORT={free_port()}\n")
        time.sleep(1)  # its Varnish started
        found = run_serve(*asked, PROXY_WORKDIR=str(tmp_path / "neither"))
    finally:
        os.killpg(stack.pid, signal.SIGKILL)
        stack.wait()

    assert found.returncode == 1
    assert f"pid {stack.pid}, with PROXY_WORKDIR={workdir} and PORT={port}" in stacks_named(
        found.stdout
    ), found.stdout


@pytest.mark.parametrize("kept", [None, "8080 (and more)", -1, 65536, True])
def test_a_stack_whose_port_nothing_says_is_named_without_one(tmp_path, kept):
    # No Varnish to ask, no running.json, PORT in its file alone and changed since: the file's
    # PORT was given, where nothing listens. Nor a running.json whose port no port has (changed
    # by hand): it was said as it was ("PORT=8080 (and more)", "PORT=-1", "PORT=True").
    variables = tmp_path / "newsportal.env"
    variables.write_text(f"PORT={free_port()}\n")
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = {"PATH": os.environ["PATH"], "NEWSPORTAL_ENV_FILE": str(variables)}
    env.update(PROXY_WORKDIR=str(workdir), REDIS_URL=REDIS_URL)
    stack = stand_in(workdir, env)
    try:
        if kept is not None:
            write_running(workdir, stack.pid, {"port": kept})
        variables.write_text(f"PORT={free_port()}\n")
        found = run_serve("--reload", PROXY_WORKDIR=str(tmp_path / "neither"))
    finally:
        stack.kill()
        stack.wait()

    assert found.returncode == 1
    assert f"pid {stack.pid}, with PROXY_WORKDIR={workdir}" in stacks_named(found.stdout), (
        found.stdout
    )
    assert f"pid {stack.pid}, with PROXY_WORKDIR={workdir} and PORT" not in found.stdout


@pytest.mark.parametrize("text", ["[]", "null"])
def test_a_running_json_that_is_no_object_is_as_none(tmp_path, text):
    # Valid JSON, not what serve.py writes: --running, --reload and --stack-env ended in an
    # AttributeError traceback, for the stack where the shell looks and for one found elsewhere.
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = {"PATH": os.environ["PATH"], "NEWSPORTAL_ENV_FILE": ""}
    env.update(PORT=str(free_port()), PROXY_WORKDIR=str(workdir), REDIS_URL=REDIS_URL)
    stack = stand_in(workdir, env)
    try:
        (workdir / "running.json").write_text(text)
        (workdir / "running.json").chmod(0o600)
        here = run_serve("--running", PORT=env["PORT"], PROXY_WORKDIR=str(workdir))
        elsewhere = [
            run_serve(*asked, PROXY_WORKDIR=str(tmp_path / "neither"))
            for asked in (["--running"], ["--reload"], ["--stack-env", "-c", "pass"])
        ]
    finally:
        stack.kill()
        stack.wait()

    assert (here.returncode, here.stdout, here.stderr) == (0, "", "")
    for found in elsewhere:
        assert "Traceback" not in found.stderr, found.stderr
        assert found.returncode == 1
        named = f"pid {stack.pid}, with PROXY_WORKDIR={workdir} and PORT={env['PORT']}"
        assert named in stacks_named(found.stdout), found.stdout
