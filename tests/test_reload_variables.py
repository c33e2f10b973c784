"""`make reload` runs with the variables of the stack it reloads, read from the running serve.py
(as its new gunicorn gets them), not with the operator's shell: its check --deploy, collectstatic
and migrate can neither pass nor refuse on values the stack never sees, nor write to another
database or static directory than the stack's."""

import os
import socket
from pathlib import Path

from tests.test_serve import (
    free_port,
    make_reload,
    reload_variables,
    run_serve,
    stacks_named,
    stand_in,
    tables_in,
)


def stack_variables(tmp_path: Path, **overrides: str) -> dict:
    mine = {
        "DJANGO_SECRET_KEY": "reload-stack-" + "k" * 50,
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
    }
    return reload_variables(tmp_path / "stack.sqlite3", tmp_path, **{**mine, **overrides})


def test_make_reload_refuses_on_the_stack_s_setting_though_the_shell_s_would_pass(tmp_path):
    # The variables' file was changed (or the shell never loaded it): the Redis the stack uses
    # does not answer, which the new release would meet; the shell's one answers.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        redis_url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        stack = stand_in(tmp_path, stack_variables(tmp_path, REDIS_URL=redis_url))
        try:
            shell_database = tmp_path / "shell.sqlite3"
            refused = make_reload(
                shell_database,
                tmp_path,
                "MIGRATE=1",
                REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
            )

            assert refused.returncode != 0
            assert f"(newsportal.E001) REDIS_URL is {redis_url}, and it cannot be used" in (
                refused.stderr
            )
            assert "reload: stopped before collecting or migrating anything" in refused.stdout
            assert not tables_in(tmp_path / "stack.sqlite3")
            assert not shell_database.exists() or not tables_in(shell_database)
            assert stack.poll() is None  # never asked to reload
        finally:
            stack.kill()
            stack.wait()


def test_make_reload_collects_and_migrates_where_the_stack_reads_not_where_the_shell_says(
    tmp_path,
):
    static_root = tmp_path / "stack-static"
    stack = stand_in(tmp_path, stack_variables(tmp_path, STATIC_ROOT=str(static_root)))
    try:
        shell_database = tmp_path / "shell.sqlite3"
        shell_static = tmp_path / "shell-static"
        reloaded = make_reload(shell_database, tmp_path, "MIGRATE=1", STATIC_ROOT=str(shell_static))

        # The stand-in ends on the reload's signal: the steps before it are what is asked here.
        assert "exited during the reload" in reloaded.stdout, reloaded.stdout + reloaded.stderr
        assert "articles_article" in tables_in(tmp_path / "stack.sqlite3")
        assert (static_root / "staticfiles.json").exists()
        assert not shell_database.exists() or not tables_in(shell_database)
        assert not shell_static.exists()
    finally:
        stack.kill()
        stack.wait()


def test_a_stack_whose_port_is_in_its_variables_file_alone_is_found_from_a_shell_without_it(
    tmp_path,
):
    # The unit loads /etc/newsportal.env through NEWSPORTAL_ENV_FILE, PORT there alone; the
    # operator's shell did not: the stack was judged by its environment (PORT 8000), missed,
    # and make reload said to start one.
    port = free_port()
    variables = tmp_path / "newsportal.env"
    variables.write_text(f"PORT={port}\n")
    workdir = tmp_path / f"newsportal-varnish-{port}"  # the default, under TMPDIR
    workdir.mkdir()
    environment = {"PATH": os.environ["PATH"], "TMPDIR": str(tmp_path)}
    stack = stand_in(workdir, {**environment, "NEWSPORTAL_ENV_FILE": str(variables)})
    try:
        found = run_serve("--running", TMPDIR=str(tmp_path))  # no variables' file
    finally:
        stack.kill()
        stack.wait()

    assert found.returncode == 1
    # Named as such, with what to load; any other stack of this checkout running meanwhile (a
    # stand-in of another test module, under pytest -n) is named beside it.
    assert f"pid {stack.pid}, with PROXY_WORKDIR={workdir} and PORT={port}" in stacks_named(
        found.stdout
    ), found.stdout
