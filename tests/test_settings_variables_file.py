"""The variables' file NEWSPORTAL_ENV_FILE names is read alike by everything that reads the
variables: the settings, gunicorn.conf.py (which gunicorn runs before the settings), deploy/
serve.py (its ports, the VCL, its own checks) and the Makefile (HOST, PORT, REDIS_URL). A value
set only there was the settings' alone: gunicorn ran its default workers and timeout, serve.py
its default ports, each disagreeing with the settings without a word."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import serve
from tests.test_serve import run_serve
from tests.test_settings_gunicorn import gunicorn_resolved

BASE_DIR = Path(__file__).resolve().parent.parent


def variables_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsportal.env"
    path.write_text(f"DJANGO_SECRET_KEY={'k' * 50}\n{text}")
    return path


def test_gunicorn_takes_its_tunables_from_the_variables_file(tmp_path):
    path = variables_file(
        tmp_path, "WEB_CONCURRENCY=3\nPORT=8123\nGUNICORN_TIMEOUT=50\nGUNICORN_KEEPALIVE=7\n"
    )
    resolved = gunicorn_resolved({"PATH": os.environ["PATH"], "NEWSPORTAL_ENV_FILE": str(path)})

    assert resolved["workers"] == "3"
    assert resolved["bind"] == "['127.0.0.1:8123']"
    assert resolved["timeout"] == "50"
    assert resolved["keepalive"] == "7"


def test_serve_takes_its_ports_and_timeouts_from_the_variables_file(tmp_path):
    path = variables_file(tmp_path, "PORT=8123\nGUNICORN_TIMEOUT=50\n")

    served = run_serve("--print-vcl", NEWSPORTAL_ENV_FILE=str(path))

    assert served.returncode == 0, served.stderr
    assert '.port = "8124";' in served.stdout  # BACKEND_PORT, PORT + 1
    assert ".first_byte_timeout = 55s;" in served.stdout  # GUNICORN_TIMEOUT + 5


def test_a_redis_url_in_the_variables_file_lets_serve_run_several_workers(tmp_path):
    # It refused to start: "REDIS_URL must be set when gunicorn runs more than one worker".
    path = variables_file(tmp_path, "REDIS_URL=redis://127.0.0.1:6379/0\n")
    workdir = tmp_path / "proxy"

    served = run_serve(
        "--can-start", NEWSPORTAL_ENV_FILE=str(path), PORT="8190", PROXY_WORKDIR=str(workdir)
    )

    assert "REDIS_URL must be set" not in served.stderr
    assert served.returncode == 0, served.stderr


def test_gunicorn_cmd_args_in_the_variables_file_stops_serve_naming_it(tmp_path):
    path = variables_file(tmp_path, "GUNICORN_CMD_ARGS=--bind 0.0.0.0:8001\n")

    refused = run_serve("--print-vcl", NEWSPORTAL_ENV_FILE=str(path))

    assert refused.returncode == 2
    assert refused.stderr.startswith(
        "serve: GUNICORN_CMD_ARGS is set ('--bind 0.0.0.0:8001'): gunicorn would take its options"
    )


def test_gunicorn_reads_the_file_itself_with_serve_s_choices_over_it(tmp_path, monkeypatch):
    # The file's values are not frozen into gunicorn's environment: a release make reload
    # starts reads the file as it is then (as its check --deploy did). The purge URLs the file
    # lists are kept beside this Varnish's.
    path = variables_file(
        tmp_path, "WEB_CONCURRENCY=3\nFRONT_CACHE_PURGE_URLS=http://cdn-purger.internal/\n"
    )
    for name in ("WEB_CONCURRENCY", "FRONT_CACHE_PURGE_URLS", "PORT", "PROXY_PURGE_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSPORTAL_ENV_FILE", str(path))
    monkeypatch.setattr(os, "environ", os.environ.copy())  # the file's load undone after

    env = serve.gunicorn_env(serve.stack_config())

    assert "WEB_CONCURRENCY" not in env
    assert env["NEWSPORTAL_ENV_FILE"] == str(path)
    assert env["FRONT_CACHE_PURGE_URLS"] == "http://127.0.0.1:8002/,http://cdn-purger.internal/"


def make_values(*arguments: str, **variables: str) -> list[str]:
    shown = 'show: ; @printf "%s\\n" "$(HOST)" "$(PORT)"'  # make run's
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", shown, *arguments],
        cwd=BASE_DIR,
        env={"PATH": os.environ["PATH"], **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_run_takes_host_and_port_from_the_variables_file(tmp_path):
    path = variables_file(tmp_path, 'PORT=8123\nHOST="::1"\n')

    assert make_values("show", NEWSPORTAL_ENV_FILE=str(path)) == ["::1", "8123"]
    # The environment and make's command line still win, as everywhere.
    assert make_values("show", "PORT=8300", NEWSPORTAL_ENV_FILE=str(path), HOST="127.0.0.2") == [
        "127.0.0.2",
        "8300",
    ]
    assert make_values("show", NEWSPORTAL_ENV_FILE="") == ["127.0.0.1", "8000"]


def make_serve_on_a_fresh_machine(tmp_path: Path, *arguments: str, **variables: str) -> list:
    """`make serve` in a copy of the Makefile with no .venv yet (a fresh machine, or its python
    gone after an OS upgrade): make's own venv step makes a stand-in python, which reads the
    variables' file with the real helper and records what each other command was given."""
    if not (shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists()):
        pytest.skip("make serve's varnish step would install Varnish")
    checkout, ran = tmp_path / "checkout", tmp_path / "ran"
    checkout.mkdir(exist_ok=True)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(BASE_DIR / name, checkout)
    python, made_venv = tmp_path / "python", tmp_path / "python3"
    python.write_text(
        "#!/bin/sh\n"
        f'[ "$1 $2" != "-m newsportal.env" ] || PYTHONPATH={BASE_DIR} exec {sys.executable} "$@"\n'
        f'printf \'%s|%s|%s|%s\\n\' "$*" "${{HOST-unset}}" "${{PORT-unset}}" '
        f'"${{REDIS_URL-unset}}" >> {ran}\n'
    )
    made_venv.write_text(
        "#!/bin/sh\n"
        'case "$1" in -c) echo 3.11 ;; -m) mkdir -p .venv/bin && '
        f"cp {python} .venv/bin/python ;; esac\n"
    )
    python.chmod(0o755)
    made_venv.chmod(0o755)
    ran.unlink(missing_ok=True)
    made = subprocess.run(
        ["make", "-s", "--no-print-directory", "serve", f"PYTHON={made_venv}", *arguments],
        cwd=checkout,
        env={"PATH": os.environ["PATH"], **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return [line.split("|")[1:] for line in ran.read_text().splitlines() if "serve.py" in line]


def test_make_serve_on_a_fresh_machine_leaves_the_variables_file_s_values_standing(tmp_path):
    # Read when make parsed the Makefile, before its venv was made, the file gave nothing:
    # make passed serve.py HOST=127.0.0.1 PORT=8000 and its own REDIS_URL, over the file's.
    # A password with a "#" (make's comment), a "%" and a space, kept whole.
    redis = "redis://:p%40s s#1@cache.internal:6379/3"
    path = variables_file(tmp_path, f'PORT=8123\nREDIS_URL="{redis}"\n')

    serve_runs = make_serve_on_a_fresh_machine(tmp_path, NEWSPORTAL_ENV_FILE=str(path))

    # --check, --can-start and the stack: serve.py reads HOST and PORT from the file itself.
    assert serve_runs == [["unset", "unset", redis]] * 3
    # The environment and make's command line still win, as everywhere.
    serve_runs = make_serve_on_a_fresh_machine(
        tmp_path, "PORT=8300", NEWSPORTAL_ENV_FILE=str(path), REDIS_URL="redis://10.0.0.5/1"
    )
    assert serve_runs == [["unset", "8300", "redis://10.0.0.5/1"]] * 3


def test_make_serve_without_a_variables_file_uses_its_local_redis(tmp_path):
    assert (
        make_serve_on_a_fresh_machine(tmp_path)
        == [["unset", "unset", "redis://127.0.0.1:6379/0"]] * 3
    )
