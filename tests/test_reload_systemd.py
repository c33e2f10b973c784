"""What `make reload` tells an operator whose stack runs under systemd (deploy/README.md, "Under
systemd"): the unit's commands, never to start `make serve` by hand beside the unit, which would
run a second stack outside it (or be refused on its ports). A stack is a unit's when its cgroup
is a service's, as systemd runs it; a stand-in is put in a cgroup of that name for the test (as
root, where a cgroup hierarchy is writable), then the cgroup is removed."""

import contextlib
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.test_serve import make_reload, reload_variables, run_serve, stand_in

INVOCATION_ID = "0123456789abcdef0123456789abcdef"


def _hierarchy() -> Path | None:
    """Where a test may make a cgroup: systemd's own (v1) hierarchy, or the unified one."""
    for path in ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
        if os.access(path, os.W_OK) and (Path(path) / "cgroup.procs").exists():
            return Path(path)
    return None


@pytest.fixture
def service():
    """service(stack, *parents) puts the stand-in in a cgroup named <unit>.service (under
    `parents`); returns the unit's name."""
    top = _hierarchy()
    if os.geteuid() != 0 or top is None:
        pytest.skip("no cgroup hierarchy this test may write")
    root = top / f"newsportal-test-{uuid.uuid4().hex[:8]}.slice"
    made = []

    def put(stack: subprocess.Popen, *parents: str) -> str:
        name = f"newsportal-test-{uuid.uuid4().hex[:8]}.service"
        path = root.joinpath(*parents, name)
        for part in [root, *reversed(path.parents)]:
            if part.is_relative_to(root) and not part.exists():
                part.mkdir()
                made.append(part)
        if not path.exists():
            path.mkdir()
            made.append(path)
        (path / "cgroup.procs").write_text(str(stack.pid))
        return name

    yield put
    for path in reversed(made):
        with contextlib.suppress(OSError):
            path.rmdir()


def unit_stand_in(tmp_path: Path, workdir: Path) -> subprocess.Popen:
    """A serve.py as systemd runs it (its variables carry systemd's INVOCATION_ID), with the
    unit's PROXY_WORKDIR, and its pid file there, run where the unit runs it: in the checkout."""
    env = {
        "PATH": os.environ["PATH"],
        "INVOCATION_ID": INVOCATION_ID,
        "PROXY_WORKDIR": str(workdir),
    }
    workdir.mkdir()
    return stand_in(workdir, env)


def test_reload_without_the_unit_s_variables_names_the_unit_s_stack_and_what_to_load(
    tmp_path, service
):
    # The operator's shell did not load /etc/newsportal.env: the default work dir has no stack.
    stack = unit_stand_in(tmp_path, tmp_path / "unit")
    try:
        unit = service(stack, "system.slice")
        refused = run_serve("--reload", PROXY_WORKDIR=str(tmp_path / "shell"))

        assert refused.returncode == 1
        assert "no running stack found" in refused.stdout
        assert f"pid {stack.pid}, under systemd ({unit})" in refused.stdout
        assert f"PROXY_WORKDIR={tmp_path / 'unit'}" in refused.stdout
        assert "set -a; . /etc/newsportal.env; set +a" in refused.stdout
        assert "make serve" not in refused.stdout
        assert stack.poll() is None
    finally:
        stack.kill()
        stack.wait()


def test_a_unit_s_stack_that_exits_during_a_reload_is_left_to_systemd(tmp_path, service):
    stack = unit_stand_in(tmp_path, tmp_path / "unit")
    try:
        unit = service(stack, "system.slice")
        refused = run_serve("--reload", PROXY_WORKDIR=str(tmp_path / "unit"))  # SIGUSR2 ends it

        assert refused.returncode == 1
        assert f"the running stack (pid {stack.pid}) exited during the reload" in refused.stdout
        assert f"journalctl -u {unit};" in refused.stdout
        assert f"systemctl start {unit}" in refused.stdout
        assert "make serve" not in refused.stdout
    finally:
        stack.kill()
        stack.wait()


@pytest.mark.parametrize("user", [False, True], ids=["system", "systemctl --user"])
def test_a_reload_with_migrations_to_apply_says_to_restart_the_unit(tmp_path, service, user):
    # Migrations the running release cannot run beside: the stack is restarted, by its unit.
    database = tmp_path / "not-migrated.sqlite3"
    stack = stand_in(tmp_path, reload_variables(database, tmp_path, INVOCATION_ID=INVOCATION_ID))
    try:
        parents = ["user.slice", "user-0.slice", "user@0.service", "app.slice"] if user else []
        unit = service(stack, *parents)
        refused = make_reload(database, tmp_path)

        assert refused.returncode != 0
        assert "this release has migrations to apply" in refused.stdout
        systemctl = "systemctl --user" if user else "systemctl"
        assert f"{systemctl} restart {unit}" in refused.stdout
        assert "make serve" not in refused.stdout
        assert stack.poll() is None  # never asked to reload
    finally:
        stack.kill()
        stack.wait()


def test_a_make_serve_that_only_inherited_invocation_id_is_told_as_make_serve(tmp_path):
    # make serve typed in a shell a unit started (or in a container): INVOCATION_ID, no
    # service's cgroup. It is no unit's stack: systemctl restart would not restart it.
    database = tmp_path / "not-migrated.sqlite3"
    stack = stand_in(tmp_path, reload_variables(database, tmp_path, INVOCATION_ID=INVOCATION_ID))
    try:
        refused = make_reload(database, tmp_path)

        assert refused.returncode != 0
        assert "otherwise stop make serve and start it again" in refused.stdout
        assert "systemctl" not in refused.stdout
    finally:
        stack.kill()
        stack.wait()
