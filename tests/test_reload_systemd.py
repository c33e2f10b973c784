"""What `make reload` tells an operator whose stack runs under systemd (deploy/README.md, "Under
systemd"): the unit's commands, never to start `make serve` by hand beside the unit, which would
run a second stack outside it (or be refused on its ports). A stack is a unit's when its cgroup
is a service's, as systemd runs it, and that service's main process is the stack's serve.py or
its parent (make serve); a stand-in is put in a cgroup of that name for the test (as root, where
a cgroup hierarchy is writable; removed after), and a systemctl of the test's says its MainPID."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.test_serve import make_reload, reload_variables, run_serve, stand_in

INVOCATION_ID = "0123456789abcdef0123456789abcdef"


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
    tmp_path, systemd
):
    # The operator's shell did not load /etc/newsportal.env: the default work dir has no stack.
    stack = unit_stand_in(tmp_path, tmp_path / "unit")
    try:
        unit = systemd.put(stack, "system.slice")
        shell = tmp_path / "shell"
        refused = run_serve("--reload", PROXY_WORKDIR=str(shell), PATH=systemd.path)

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


def test_a_unit_s_stack_that_exits_during_a_reload_is_left_to_systemd(tmp_path, systemd):
    stack = unit_stand_in(tmp_path, tmp_path / "unit")
    try:
        unit = systemd.put(stack, "system.slice")
        workdir = str(tmp_path / "unit")
        refused = run_serve("--reload", PROXY_WORKDIR=workdir, PATH=systemd.path)  # SIGUSR2 ends it

        assert refused.returncode == 1
        assert f"the running stack (pid {stack.pid}) exited during the reload" in refused.stdout
        assert f"journalctl -u {unit};" in refused.stdout
        assert f"systemctl start {unit}" in refused.stdout
        assert "make serve" not in refused.stdout
    finally:
        stack.kill()
        stack.wait()


@pytest.mark.parametrize("make", [False, True], ids=["ExecStart=serve.py", "ExecStart=make serve"])
@pytest.mark.parametrize("user", [False, True], ids=["system", "systemctl --user"])
def test_a_reload_with_migrations_to_apply_says_to_restart_the_unit(tmp_path, systemd, user, make):
    # Migrations the running release cannot run beside: the stack is restarted, by its unit.
    database = tmp_path / "not-migrated.sqlite3"
    stack = stand_in(tmp_path, reload_variables(database, tmp_path, INVOCATION_ID=INVOCATION_ID))
    try:
        parents = ["user.slice", "user-0.slice", "user@0.service", "app.slice"] if user else []
        # Under make serve, the unit's main process is make, serve.py's parent (here, pytest).
        unit = systemd.put(stack, *parents, main=os.getpid() if make else None)
        refused = make_reload(database, tmp_path, PATH=systemd.path)

        assert refused.returncode != 0
        assert "this release has migrations to apply" in refused.stdout
        systemctl = "systemctl --user" if user else "systemctl"
        assert f"{systemctl} restart {unit}" in refused.stdout
        assert "make serve" not in refused.stdout
        assert stack.poll() is None  # never asked to reload
    finally:
        stack.kill()
        stack.wait()


def test_a_make_serve_that_only_inherited_invocation_id_is_told_as_make_serve(tmp_path, systemd):
    # make serve typed in a shell a unit started (or in a container): INVOCATION_ID, no
    # service's cgroup. It is no unit's stack: systemctl restart would not restart it.
    database = tmp_path / "not-migrated.sqlite3"
    stack = stand_in(tmp_path, reload_variables(database, tmp_path, INVOCATION_ID=INVOCATION_ID))
    try:
        systemd.put(stack, name=f"newsportal-test-{uuid.uuid4().hex[:8]}.scope")
        refused = make_reload(database, tmp_path, PATH=systemd.path)

        assert refused.returncode != 0
        assert "otherwise stop make serve and start it again" in refused.stdout
        assert "systemctl" not in refused.stdout
    finally:
        stack.kill()
        stack.wait()


def test_a_make_serve_typed_in_a_shell_another_unit_started_is_told_as_make_serve(
    tmp_path, systemd
):
    # A CI runner's job, or tmux under a user's unit: the stack is in that unit's cgroup, whose
    # main process is the runner. systemctl restart would restart the runner, not the stack.
    database = tmp_path / "not-migrated.sqlite3"
    runner = subprocess.Popen(["sleep", "120"])
    stack = stand_in(tmp_path, reload_variables(database, tmp_path, INVOCATION_ID=INVOCATION_ID))
    try:
        unit = systemd.put(runner, "system.slice")
        systemd.put(stack, "system.slice", name=unit, main=runner.pid)
        refused = make_reload(database, tmp_path, PATH=systemd.path)
        reloaded = run_serve("--reload", PROXY_WORKDIR=str(tmp_path), PATH=systemd.path)

        assert refused.returncode != 0
        assert "otherwise stop make serve and start it again" in refused.stdout
        assert "systemctl" not in refused.stdout
        assert reloaded.returncode == 1  # the stand-in ends on SIGUSR2
        assert "start it again with make serve" in reloaded.stdout
        assert "systemctl" not in reloaded.stdout + refused.stdout
    finally:
        for process in (stack, runner):
            process.kill()
            process.wait()
