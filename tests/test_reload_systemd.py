"""What `make reload` tells an operator whose stack runs under systemd (deploy/README.md, "Under
systemd"): the unit's commands, never to start `make serve` by hand beside the unit, which would
run a second stack outside it (or be refused on its ports)."""

import os
import subprocess
from pathlib import Path

from tests.test_serve import make_reload, reload_variables, run_serve, stand_in


def unit_stand_in(tmp_path: Path, workdir: Path) -> subprocess.Popen:
    """A serve.py as systemd runs it (its variables carry systemd's INVOCATION_ID), with the
    unit's PROXY_WORKDIR, and its pid file there, run where the unit runs it: in the checkout."""
    env = {
        "PATH": os.environ["PATH"],
        "INVOCATION_ID": "0123456789abcdef0123456789abcdef",
        "PROXY_WORKDIR": str(workdir),
    }
    workdir.mkdir()
    return stand_in(workdir, env)


def test_reload_without_the_unit_s_variables_names_the_unit_s_stack_and_what_to_load(tmp_path):
    # The operator's shell did not load /etc/newsportal.env: the default work dir has no stack.
    stack = unit_stand_in(tmp_path, tmp_path / "unit")
    try:
        refused = run_serve("--reload", PROXY_WORKDIR=str(tmp_path / "shell"))

        assert refused.returncode == 1
        assert "no running stack found" in refused.stdout
        assert f"pid {stack.pid}, under systemd" in refused.stdout
        assert f"PROXY_WORKDIR={tmp_path / 'unit'}" in refused.stdout
        assert "set -a; . /etc/newsportal.env; set +a" in refused.stdout
        assert "make serve" not in refused.stdout
        assert stack.poll() is None
    finally:
        stack.kill()
        stack.wait()


def test_a_unit_s_stack_that_exits_during_a_reload_is_left_to_systemd(tmp_path):
    stack = unit_stand_in(tmp_path, tmp_path / "unit")
    try:
        refused = run_serve("--reload", PROXY_WORKDIR=str(tmp_path / "unit"))  # SIGUSR2 ends it

        assert refused.returncode == 1
        assert f"the running stack (pid {stack.pid}) exited during the reload" in refused.stdout
        assert "journalctl -u" in refused.stdout
        assert "systemctl start" in refused.stdout
        assert "make serve" not in refused.stdout
    finally:
        stack.kill()
        stack.wait()


def test_a_reload_with_migrations_to_apply_says_to_restart_the_unit(tmp_path):
    # Migrations the running release cannot run beside: the stack is restarted, by its unit.
    database = tmp_path / "not-migrated.sqlite3"
    variables = reload_variables(database, tmp_path, INVOCATION_ID="0123456789abcdef")
    stack = stand_in(tmp_path, variables)
    try:
        refused = make_reload(database, tmp_path)

        assert refused.returncode != 0
        assert "this release has migrations to apply" in refused.stdout
        assert "systemctl restart newsportal" in refused.stdout
        assert "make serve" not in refused.stdout
        assert stack.poll() is None  # never asked to reload
    finally:
        stack.kill()
        stack.wait()
