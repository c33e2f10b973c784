"""`make reload` after the variables' file changed: the new gunicorn reads the file as it is then,
and so does serve.py for that reload's VCL and checks. It rendered the reload's VCL from the
config it built at its start: with GUNICORN_TIMEOUT=60 in the file, Varnish gave up after 35 s
("Back in a moment") while gunicorn still had 25 s to decide. What Varnish was started with
(its ports, threads, cache) takes a restart: a reload that would need one is refused."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from deploy import serve
from deploy.reload_files import read_status
from deploy.vcl import render_vcl
from tests.proxy_stack import BASE_DIR, free_port, running_stack
from tests.test_settings_gunicorn import gunicorn_resolved


def _reload(stack) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "deploy" / "serve.py"), "--reload"],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_a_reload_gives_varnish_the_timeout_the_new_gunicorn_reads(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reload-file")
    variables = tmp / "newsportal.env"
    variables.write_text("GUNICORN_TIMEOUT=30\n")
    with running_stack(tmp, NEWSPORTAL_ENV_FILE=str(variables)) as stack:
        variables.write_text("GUNICORN_TIMEOUT=60\n")

        reloaded = _reload(stack)

        assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr + stack.log()
        assert gunicorn_resolved(stack.env)["timeout"] == "60"  # the new release's
        vcl = (Path(stack.env["PROXY_WORKDIR"]) / "newsportal-reload1.vcl").read_text()
        assert ".first_byte_timeout = 65s;" in vcl  # GUNICORN_TIMEOUT + 5: gunicorn decides

        variables.write_text("GUNICORN_TIMEOUT=60\nPROXY_THREADS=64\n")
        refused = _reload(stack)

        assert refused.returncode == 1
        assert (
            "serve: reload failed, the old release still serves: PROXY_THREADS changed since "
            "the stack started (the variables' file): a reload cannot move Varnish or its ports; "
            "stop make serve and start it again"
        ) in refused.stdout
        assert stack.get(stack.articles[0]).status == 200
        assert stack.process.poll() is None


@pytest.fixture
def stack_config(tmp_path, monkeypatch):
    """serve.py's config at its start, from a variables' file its tests rewrite."""
    path = tmp_path / "newsportal.env"
    path.write_text("WEB_CONCURRENCY=1\nGUNICORN_TIMEOUT=30\n")
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_TIMEOUT",
        "REDIS_URL",
        "FRONT_CACHE_PURGE_URLS",
        *serve.RESTART_ONLY_VARIABLES,
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSPORTAL_ENV_FILE", str(path))
    monkeypatch.setattr(os, "environ", os.environ.copy())  # the file's load undone after
    return path, serve.stack_config()


def test_a_reload_reads_the_file_again_as_the_new_release_does(stack_config):
    path, cfg = stack_config
    path.write_text("WEB_CONCURRENCY=1\nGUNICORN_TIMEOUT=60\n")

    assert ".first_byte_timeout = 65s;" in render_vcl(serve.config_for_reload(cfg)["vcl"])


def test_a_reload_to_several_workers_without_redis_is_refused_as_a_start_is(stack_config):
    # The new gunicorn would run them, each counting the rate limits on its own.
    path, cfg = stack_config
    path.write_text("WEB_CONCURRENCY=4\n")

    with pytest.raises(ImproperlyConfigured, match=r"^REDIS_URL must be set when gunicorn runs"):
        serve.config_for_reload(cfg)


def test_a_reload_that_would_move_varnish_s_ports_is_refused_naming_the_variable(stack_config):
    path, cfg = stack_config
    path.write_text("WEB_CONCURRENCY=1\nPORT=8123\n")

    with pytest.raises(ImproperlyConfigured, match=r"^PORT changed since the stack started"):
        serve.config_for_reload(cfg)


def test_a_reload_that_would_change_the_purged_caches_is_refused_naming_it(stack_config):
    # gunicorn and the mail worker got FRONT_CACHE_PURGE_URLS from serve.py at the start (over
    # the file): the new release would purge the old list while the reload said it was taken.
    path, cfg = stack_config
    path.write_text("WEB_CONCURRENCY=1\nFRONT_CACHE_PURGE_URLS=http://10.0.0.9:8002/\n")

    with pytest.raises(
        ImproperlyConfigured, match=r"^FRONT_CACHE_PURGE_URLS changed since the stack started"
    ):
        serve.config_for_reload(cfg)


def test_a_reload_that_would_change_redis_under_make_serve_is_refused_naming_it(stack_config):
    # make serve exports the file's REDIS_URL to serve.py, where it wins over the file's.
    path, _ = stack_config
    path.write_text("WEB_CONCURRENCY=1\nREDIS_URL=redis://127.0.0.1:6379/0\n")
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    cfg = serve.stack_config()
    path.write_text("WEB_CONCURRENCY=1\nREDIS_URL=redis://10.0.0.5:6379/2\n")

    with pytest.raises(ImproperlyConfigured, match=r"^REDIS_URL changed since the stack started"):
        serve.config_for_reload(cfg)
    assert os.environ["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_a_value_written_into_the_file_as_the_stack_runs_with_it_is_no_change(stack_config):
    # make serve's default export, then the operator writes the same address into the file:
    # gunicorn's value is the same, nothing for a restart to take.
    path, _ = stack_config
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    cfg = serve.stack_config()
    path.write_text("WEB_CONCURRENCY=1\nREDIS_URL=redis://127.0.0.1:6379/0\n")

    assert serve.config_for_reload(cfg)["port"] == cfg["port"]


def test_a_file_that_is_not_utf8_at_reload_is_refused_naming_it(stack_config):
    # Saved by a Latin-1 editor: anything but ImproperlyConfigured ended serve.py, and with it
    # gunicorn and Varnish, on a reload.
    path, cfg = stack_config
    path.write_bytes(b"WEB_CONCURRENCY=1\nGUNICORN_TIMEOUT=60\nSITE_NAME=Caf\xe9\n")

    with pytest.raises(ImproperlyConfigured, match=rf"^the variables' file {path} \("):
        serve.config_for_reload(cfg)


def test_a_refused_reload_leaves_the_values_the_stack_runs_with(stack_config):
    path, cfg = stack_config
    path.write_text("WEB_CONCURRENCY=4\nGUNICORN_GRACEFUL_TIMEOUT=90\n")  # refused: no Redis

    with pytest.raises(ImproperlyConfigured):
        serve.config_for_reload(cfg)

    assert os.environ["WEB_CONCURRENCY"] == "1"
    assert serve.graceful_seconds() == 35  # the running gunicorn's, not the refused file's


def test_sigusr2_after_a_bad_edit_is_refused_and_the_site_stays_up(tmp_path_factory):
    # README: SIGUSR2 to serve.py reloads (make reload's own steps stop before, on the file).
    tmp = tmp_path_factory.mktemp("reload-bad-file")
    variables = tmp / "newsportal.env"
    variables.write_text("GUNICORN_TIMEOUT=30\n")
    with running_stack(tmp, NEWSPORTAL_ENV_FILE=str(variables)) as stack:
        variables.write_bytes(b"GUNICORN_TIMEOUT=30\nSITE_NAME=Caf\xe9 news\n")
        workdir = Path(stack.env["PROXY_WORKDIR"])

        os.kill(int((workdir / "serve.pid").read_text()), signal.SIGUSR2)
        deadline = time.monotonic() + 60
        while not (status := read_status(workdir))["generation"]:
            assert stack.process.poll() is None, stack.log()
            assert time.monotonic() < deadline, stack.log()
            time.sleep(0.2)

        said = (
            "serve: reload failed, the old release still serves: the variables' file "
            f"{variables} (NEWSPORTAL_ENV_FILE) cannot be read: 'utf-8' codec can't decode"
        )
        assert said in stack.log()
        assert status["problem"].startswith(said.split("serves: ")[1])
        assert stack.get(stack.articles[0]).status == 200
        assert stack.process.poll() is None


def test_make_reload_refuses_a_reload_that_takes_a_restart_before_changing_anything(
    tmp_path_factory,
):
    # The stack refused it only once make reload had installed, collected and migrated: a
    # migration the running release was never meant to run beside was applied. A PORT changed
    # in the file also moved where make reload looked: "no running stack found".
    tmp = tmp_path_factory.mktemp("reload-restart")
    shared = Path(tempfile.mkdtemp(prefix="newsportal-reload-test-"))  # TMPDIR: Varnish's dir
    shared.chmod(0o755)  # its compiler may run as its own user
    port = free_port()
    variables = tmp / "newsportal.env"
    variables.write_text(f"PORT={port}\n")
    try:
        with running_stack(
            tmp,
            port=port,
            PORT=None,
            PROXY_WORKDIR=None,
            TMPDIR=str(shared),
            NEWSPORTAL_ENV_FILE=str(variables),
        ) as stack:
            stack.manage("migrate", "newsportal", "0001_job_runs")  # the release's migration

            def make_reload() -> subprocess.CompletedProcess:
                return subprocess.run(
                    ["make", "reload", "MIGRATE=1"],
                    cwd=BASE_DIR,
                    env=stack.env,
                    capture_output=True,
                    text=True,
                    timeout=240,
                )

            variables.write_text(f"PORT={free_port()}\n")
            moved = make_reload()
            variables.write_text(f"PORT={port}\nPROXY_THREADS=64\n")
            threads = make_reload()
            variables.write_text(f"PORT={port}\n")
            found = subprocess.run(
                [sys.executable, str(BASE_DIR / "deploy" / "serve.py"), "--running"],
                env=stack.env,
                capture_output=True,
                text=True,
                timeout=60,
            )

            assert stack.get(stack.articles[0]).status == 200
            assert stack.process.poll() is None
            applied = stack.manage("showmigrations", "newsportal", "--plan")
    finally:
        shutil.rmtree(shared, ignore_errors=True)

    workdir = shared / f"newsportal-varnish-{port}"
    assert moved.returncode != 0
    assert (
        f"the stack running in {workdir} (pid {stack.process.pid}) would refuse the reload: "
        "PORT changed since the stack started (the variables' file): a reload cannot move "
        "Varnish or its ports; stop make serve and start it again"
    ) in moved.stdout, moved.stdout + moved.stderr
    assert threads.returncode != 0
    assert (
        "serve: reload failed, the old release still serves: PROXY_THREADS changed since the "
        "stack started (the variables' file): a reload cannot move Varnish or its ports; stop "
        "make serve and start it again"
    ) in threads.stdout, threads.stdout + threads.stderr
    for refused in (moved, threads):
        assert "collectstatic" not in refused.stdout
        assert "migrate" not in refused.stdout
    assert "[ ]  newsportal.0002_kept_pictures_job" in applied
    assert found.returncode == 0, found.stdout  # the same file as at the start: no refusal
