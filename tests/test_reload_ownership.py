"""`make reload` adopts only a stack that is wholly its user's: the work dir and pid file (not
writable by others), and the process, which runs this checkout's deploy/serve.py as that user.
Root runs no other user's stack's variables (a pid file planted in /tmp named a process started
with PYTHONPATH of the planter's: root's steps ran the planter's code). Under a unit with
AmbientCapabilities= (/proc closed to the stack's own user) the steps read the variables from
the file serve.py keeps them in. The stand-ins run as `nobody` via setpriv: as root only."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from tests.test_serve import (
    BASE_DIR,
    free_port,
    pid_file,
    reload_variables,
    run_serve,
    stand_in,
)

NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
CAPABLE = ["--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service"]

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"), reason="stand-ins run as nobody"
)


# The packages, for a python nobody can run where the venv's links into root's home.
PACKAGES = {"PYTHONPATH": sysconfig.get_paths()["purelib"]}


@pytest.fixture(scope="module")
def python() -> str:
    """A python nobody can run, and that can run itself (make reload's steps do)."""
    again = "import subprocess, sys, django; subprocess.run([sys.executable, '-c', ''], check=True)"
    minor = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, minor):
        ran = subprocess.run(
            [*AS_NOBODY, candidate, "-c", again],
            cwd=BASE_DIR,
            env={"PATH": os.environ["PATH"], **PACKAGES},
            capture_output=True,
        )
        if not ran.returncode:
            return candidate
    pytest.skip("nobody cannot run this checkout's python")


@pytest.fixture
def shared():
    """A directory all may read (pytest's are private), nobody's own, as /tmp's would be."""
    path = Path(tempfile.mkdtemp(prefix="newsportal-reload-owner-"))
    path.chmod(0o755)
    os.chown(path, NOBODY, NOBODY)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def nobody_s_dir(path: Path) -> Path:
    path.mkdir()
    os.chown(path, NOBODY, NOBODY)
    return path


def nobody_s_stack(python: str, shared: Path, env: dict, *options: str) -> subprocess.Popen:
    """This checkout's serve.py run as nobody (a sitecustomize writes its pid file and stack
    file as serve.py does, and removes them on SIGTERM as it does, otherwise holds it: a
    stand-in), its files all nobody's; its work dir gets
    the mode serve.py gives it, whatever the umask."""
    Path(env["PROXY_WORKDIR"]).chmod(0o755)
    held = shared / "held"
    held.mkdir()
    (held / "sitecustomize.py").write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(BASE_DIR)!r})\n"
        f"sys.path.insert(0, {PACKAGES['PYTHONPATH']!r})\n"
        "from pathlib import Path\n"
        "from deploy import stack_files\n"
        f"open({str(shared / 'ran-as')!r}, 'a').write(f'{{os.getuid()}}\\n')\n"
        "if os.getuid():\n"
        "    import signal\n"
        "    workdir = Path(os.environ['PROXY_WORKDIR'])\n"
        "    signal.signal(signal.SIGTERM, lambda *_: (stack_files.forget(workdir), os._exit(0)))\n"
        "    stack_files.record(workdir)\n"
        "    time.sleep(120)\n"
        "    raise SystemExit\n"
    )
    (shared / "ran-as").touch()
    os.chmod(shared / "ran-as", 0o666)
    for path in (held, held / "sitecustomize.py", shared / "ran-as"):
        os.chown(path, NOBODY, NOBODY)
    command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *options]
    stack = subprocess.Popen(
        [*command, "--", python, "deploy/serve.py"],
        cwd=BASE_DIR,
        env={**env, "PYTHONPATH": str(held)},
    )
    pid_file = Path(env["PROXY_WORKDIR"]) / "serve.pid"
    for _ in range(300):
        if pid_file.exists():
            break
        subprocess.run(["sleep", "0.05"])
    return stack


def test_root_s_reload_never_runs_with_another_user_s_stack_variables(python, shared):
    # Made by nobody before root's stack was.
    workdir = nobody_s_dir(shared / "newsportal-varnish-8000")
    env = reload_variables(shared / "db.sqlite3", workdir)
    stack = nobody_s_stack(python, shared, env)
    try:
        step = run_serve("--stack-env", "-c", "print('step ran')", PROXY_WORKDIR=str(workdir))

        assert step.returncode == 1
        assert "step ran" not in step.stdout
        assert "belongs to nobody, not root" in step.stdout, step.stdout + step.stderr
        assert "run make reload as nobody, sudo -u nobody" in step.stdout  # what to do instead
        assert (shared / "ran-as").read_text().split() == [str(NOBODY)]  # never as root
        # Nor signalled.
        signalled = run_serve("--reload", PROXY_WORKDIR=str(workdir))
        assert signalled.returncode == 1
        assert stack.poll() is None
    finally:
        stack.kill()
        stack.wait()


def test_root_s_own_work_dir_naming_another_user_s_serve_py_is_refused(python, shared, tmp_path):
    # The pid file root's, the process nobody's: refused, naming whose it is.
    workdir = tmp_path / "proxy"
    workdir.mkdir()
    workdir.chmod(0o755)  # whatever the umask: the stack it names, not the dir, is refused
    env = reload_variables(shared / "db.sqlite3", shared / "theirs")
    (shared / "theirs").mkdir()
    os.chown(shared / "theirs", NOBODY, NOBODY)
    stack = nobody_s_stack(python, shared, env)
    try:
        pid_file(workdir, stack.pid)
        step = run_serve("--stack-env", "-c", "print('step ran')", PROXY_WORKDIR=str(workdir))

        assert step.returncode == 1
        assert "step ran" not in step.stdout
        assert f"(pid {stack.pid}) runs as nobody, not root" in step.stdout, step.stdout
        assert (shared / "ran-as").read_text().split() == [str(NOBODY)]
    finally:
        stack.kill()
        stack.wait()


@pytest.mark.parametrize("mode", ["workdir", "pid file"])
def test_a_work_dir_or_pid_file_others_may_write_is_refused(tmp_path, mode):
    workdir = tmp_path / "proxy"
    workdir.mkdir()
    stack = stand_in(workdir, reload_variables(tmp_path / "db.sqlite3", workdir))
    try:
        (workdir if mode == "workdir" else workdir / "serve.pid").chmod(0o777)
        step = run_serve("--stack-env", "-c", "print('step ran')", PROXY_WORKDIR=str(workdir))

        assert step.returncode == 1
        assert "step ran" not in step.stdout
        assert "is open to others (mode 777)" in step.stdout, step.stdout
    finally:
        stack.kill()
        stack.wait()


def test_the_steps_run_without_the_stack_s_pythonpath_or_ld_preload(tmp_path):
    workdir = tmp_path / "proxy"
    workdir.mkdir()
    env = reload_variables(tmp_path / "db.sqlite3", workdir, LD_PRELOAD="", SITE_NAME="Ours")
    stack = stand_in(workdir, env)  # started with a PYTHONPATH
    try:
        names = "('PYTHONPATH', 'LD_PRELOAD', 'SITE_NAME')"
        show = f"import os; print([os.environ.get(name) for name in {names}])"
        step = run_serve("--stack-env", "-c", show, PROXY_WORKDIR=str(workdir))

        assert step.returncode == 0, step.stdout + step.stderr
        assert step.stdout.splitlines()[-1] == "[None, None, 'Ours']"
    finally:
        stack.kill()
        stack.wait()


def test_another_checkout_s_serve_py_is_neither_adopted_nor_named(tmp_path):
    # Its pid file is where this shell looks, or it runs with other variables: neither makes it
    # this checkout's stack (d532056: "no running stack found" names this checkout's alone).
    other = tmp_path / "other-checkout"
    (other / "deploy").mkdir(parents=True)
    (other / "deploy" / "serve.py").write_text("")
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    theirs.mkdir()
    ours.mkdir()
    elsewhere = stand_in(theirs, reload_variables(tmp_path / "db.sqlite3", theirs), cwd=other)
    here = stand_in(ours, reload_variables(tmp_path / "db.sqlite3", ours))
    try:
        adopted = run_serve("--reload", PROXY_WORKDIR=str(theirs))
        assert adopted.returncode == 1
        assert f"(pid {elsewhere.pid}) is not this checkout's" in adopted.stdout, adopted.stdout
        assert elsewhere.poll() is None  # never signalled

        looked = run_serve("--reload", PROXY_WORKDIR=str(tmp_path / "shell"))
        assert "no running stack found" in looked.stdout
        assert f"pid {here.pid}," in looked.stdout
        assert f"pid {elsewhere.pid}" not in looked.stdout
    finally:
        for stack in (elsewhere, here):
            stack.kill()
            stack.wait()


def step_as_nobody(python: str, workdir: Path, code: str) -> subprocess.CompletedProcess:
    """make reload's step as the stack's user: serve.py --stack-env -c CODE."""
    return subprocess.run(
        [*AS_NOBODY, python, "deploy/serve.py", "--stack-env", "-c", code],
        cwd=BASE_DIR,
        env={"PATH": os.environ["PATH"], "PROXY_WORKDIR": str(workdir), **PACKAGES},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_under_ambient_capabilities_the_steps_read_the_variables_serve_py_kept(python, shared):
    # AmbientCapabilities=CAP_NET_BIND_SERVICE (PORT=80): /proc/<pid>/environ and cwd are closed
    # to the stack's own user, who runs make reload.
    workdir = nobody_s_dir(shared / "proxy")
    env = reload_variables(shared / "stack.sqlite3", workdir, SITE_NAME="Kept")
    stack = nobody_s_stack(python, shared, env, *CAPABLE)
    try:
        show = "import os; print(os.environ['SITE_NAME'], os.environ['DATABASE_URL'])"
        step = step_as_nobody(python, workdir, show)

        assert step.returncode == 0, step.stdout + step.stderr
        assert step.stdout.splitlines()[-1] == f"Kept sqlite:///{shared / 'stack.sqlite3'}"
        assert oct((workdir / "stack.json").stat().st_mode & 0o777) == "0o600"
    finally:
        stack.kill()
        stack.wait()


@pytest.mark.parametrize("start", [["--can-start"], []], ids=["make serve's question", "start"])
def test_root_s_stack_never_starts_in_a_work_dir_another_user_made(shared, start):
    # /tmp/newsportal-varnish-PORT made first by nobody: its owner could change the VCL, the pid
    # file and Varnish's files under root's stack. Refused, left as it was.
    workdir = shared / "newsportal-varnish-8000"
    workdir.mkdir(mode=0o700)
    os.chown(workdir, NOBODY, NOBODY)
    ports = {"PORT": str(free_port()), "BACKEND_PORT": str(free_port())}
    env = reload_variables(shared / "db.sqlite3", workdir, **ports, WEB_CONCURRENCY="1")
    # Should it start, gunicorn exits at once (no such app) and the stack with it.
    started = run_serve(*start, **{**env, "SERVE_WSGI_APP": "no_such_module:app"})

    assert started.returncode == 2, started.stdout + started.stderr
    assert (
        f"serve: not starting in {workdir}: it belongs to nobody, not root (another user may "
        "change what the stack runs): remove it, or set PROXY_WORKDIR to a directory of root's"
    ) in started.stderr
    assert oct(workdir.stat().st_mode & 0o777) == "0o700"
    assert os.listdir(workdir) == []


def test_a_stack_whose_variables_proc_shows_leaves_them_in_no_file(python, shared):
    # stack.json holds the secret key and the passwords: written only where /proc is closed.
    workdir = nobody_s_dir(shared / "proxy")
    stack = nobody_s_stack(python, shared, reload_variables(shared / "db.sqlite3", workdir))
    try:
        assert (workdir / "serve.pid").read_text() == str(stack.pid)
        assert not (workdir / "stack.json").exists()
    finally:
        stack.kill()
        stack.wait()


def test_a_capable_stack_s_variables_go_with_it_whatever_its_pid_file_says(python, shared):
    # Its serve.pid removed (or taken) meanwhile: the file with its secrets still goes at its stop.
    workdir = nobody_s_dir(shared / "proxy")
    env = reload_variables(shared / "db.sqlite3", workdir)
    stack = nobody_s_stack(python, shared, env, *CAPABLE)
    try:
        assert (workdir / "stack.json").exists()
        (workdir / "serve.pid").unlink()
        stack.terminate()
        assert stack.wait(timeout=30) == 0

        assert not (workdir / "stack.json").exists()
    finally:
        stack.kill()
        stack.wait()


def test_a_killed_stack_s_variables_are_removed_at_the_next_start(tmp_path):
    workdir = tmp_path / "proxy"
    workdir.mkdir()
    (workdir / "stack.json").write_text('{"pid": 1, "variables": {"DJANGO_SECRET_KEY": "old"}}')
    ports = {"PORT": str(free_port()), "BACKEND_PORT": str(free_port())}
    env = reload_variables(tmp_path / "db.sqlite3", workdir, **ports, WEB_CONCURRENCY="1")
    # gunicorn exits at once (no such app), and the stack with it.
    started = run_serve(**{**env, "SERVE_WSGI_APP": "no_such_module:app"})

    assert started.returncode != 0
    assert not (workdir / "stack.json").exists()


@pytest.mark.parametrize(
    "saved, said",
    [
        ("[]", "does not name it"),
        ("null", "does not name it"),
        ("no variables", "is not what serve.py writes: restart the stack once"),
    ],
)
def test_a_kept_variables_file_serve_py_did_not_write_is_refused_saying_so(
    python, shared, saved, said
):
    # /proc closed, stack.json valid JSON but not serve.py's: the steps ended in an
    # AttributeError ([], null) or KeyError (no variables) traceback.
    workdir = nobody_s_dir(shared / "proxy")
    stack = nobody_s_stack(
        python, shared, reload_variables(shared / "db.sqlite3", workdir), *CAPABLE
    )
    try:
        kept = workdir / "stack.json"
        if saved == "no variables":
            saved = json.dumps({"pid": stack.pid, "checkout": str(BASE_DIR)})
        kept.write_text(saved)
        step = step_as_nobody(python, workdir, "print('step ran')")
    finally:
        stack.kill()
        stack.wait()

    assert "Traceback" not in step.stderr, step.stderr
    assert step.returncode == 1
    assert "step ran" not in step.stdout
    assert said in step.stdout, step.stdout
