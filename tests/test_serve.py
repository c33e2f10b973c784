"""`make serve`'s origin for real: gunicorn started exactly as deploy/serve.py starts it behind
Varnish (the committed gunicorn.conf.py, bound to 127.0.0.1 only, DEBUG off), serving the site,
its gzip-compressed hashed static files and a request id in every access line. The proxy in
front of it is tested in test_proxy.py."""

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy import serve
from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(tmp_path, monkeypatch):
    port, backend_port, purge_port = free_port(), free_port(), free_port()
    for key in list(os.environ):
        if key.startswith(
            ("DJANGO_", "GUNICORN_", "DATABASE_", "REDIS_", "PROXY_", "FRONT_CACHE_", "COMMENTS_")
        ) or key in ("HOST", "PORT", "BACKEND_PORT", "SITE_URL", "WEB_CONCURRENCY"):
            monkeypatch.delenv(key)
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_HTTPS": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
        "BACKEND_PORT": str(backend_port),
        "PROXY_PURGE_PORT": str(purge_port),
    }.items():
        monkeypatch.setenv(key, value)
    cfg = serve.config()
    env = serve.gunicorn_env(cfg)
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        serve.gunicorn_command(cfg),
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{backend_port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
        yield base, log, env
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_for_line(log, wanted, seconds=10):
    """The access line the worker writes after answering; on a busy machine it can lag."""
    deadline = time.monotonic() + seconds
    while True:
        log.seek(0)
        lines = [line for line in log.read().splitlines() if wanted(line)]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def get(url, **headers):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5)


def test_gunicorn_serves_the_site_with_compressed_hashed_static_files_and_logs_request_ids(
    server,
):
    base, log, _ = server

    health = get(base + "/healthz", **{"X-Request-ID": "probe-123"})
    assert health.status == 200
    assert health.headers["X-Request-ID"] == "probe-123"
    robots = get(base + "/robots.txt").read().decode()
    assert "Sitemap:" in robots

    # The name the pages link to now (older hashed copies stay in staticfiles/ after a change).
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    css_name = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", css_name)
    css = get(f"{base}/static/{css_name}", **{"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]
    assert b"{" in gzip.decompress(css.read())

    assert wait_for_line(
        log, lambda line: '"GET /healthz HTTP/1.1" 200' in line and "[probe-123]" in line
    )


def test_the_access_log_counts_the_bytes_of_files_too(server):
    # Static files and media go out as files (wsgi.file_wrapper): the operator reading the log
    # for what was sent saw 0 bytes for each of them.
    base, log, _ = server
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    for path in (f"/static/{manifest['paths']['css/site.css']}", "/favicon.ico"):
        body = get(base + path, **{"X-Request-ID": "file-size-1"}).read()

        lines = wait_for_line(log, lambda line, path=path: f'"GET {path} HTTP/1.1" 200' in line)
        assert lines, path
        assert f" 200 {len(body)} " in lines[-1], lines[-1]


def test_gunicorn_listens_on_the_loopback_only_and_is_told_about_the_proxy(server):
    base, log, env = server
    port = base.rsplit(":", 1)[1]
    assert wait_for_line(log, lambda line: f"Listening at: http://127.0.0.1:{port} " in line)
    assert env["GUNICORN_BIND"] == f"127.0.0.1:{port}"
    # Purges go to the proxy's purge listener; the reader's address is the one the proxy writes.
    proxy_port = int(env["PORT"])
    assert env["FRONT_CACHE_PURGE_URLS"] == f"http://127.0.0.1:{env['PROXY_PURGE_PORT']}/"
    assert env["COMMENTS_CLIENT_IP_HEADER"] == "X-Forwarded-For"
    assert env["SITE_URL"] == f"http://127.0.0.1:{proxy_port}"
    assert "DJANGO_BEHIND_PROXY" not in env  # no TLS here: nobody may claim HTTPS


def test_the_variables_file_naming_this_varnish_for_commands_by_hand_is_purged_once(monkeypatch):
    for key in ("HOST", "SITE_URL", "PROXY_PURGE_HOST", "PROXY_PURGE_PORT"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PORT", "8000")
    # Written without the final slash (the same listener; the proxy tests' stack names it with
    # one, as README does).
    monkeypatch.setenv("FRONT_CACHE_PURGE_URLS", "http://127.0.0.1:8002,http://10.0.0.9:8002/")

    env = serve.gunicorn_env(serve.config())

    assert env["FRONT_CACHE_PURGE_URLS"] == "http://127.0.0.1:8002/,http://10.0.0.9:8002/"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"HOST": "news example"}, "HOST must name a plain host, not 'news example'"),
        ({"HOST": "127.0.0.1", "SITE_URL": "http://a b/"}, "SITE_URL must name a plain host"),
        # urllib's ValueError (a traceback) before these were checked.
        ({"HOST": "news.example.com:80"}, "not 'news.example.com:80': an address or a name"),
        ({"HOST": "127.0.0.1", "SITE_URL": "http://[news"}, "SITE_URL must name a plain host"),
        ({"HOST": "127.0.0.1", "PORT": "80000"}, "PORT must be a port number up to 65535"),
        (
            {"HOST": "127.0.0.1", "PORT": "8000", "RELOAD_BACKEND_PORT": "8001"},
            "RELOAD_BACKEND_PORT must differ from PORT, BACKEND_PORT and PROXY_PURGE_PORT",
        ),
    ],
)
def test_a_bad_address_stops_serve_naming_the_variable_that_was_given(
    monkeypatch, variables, named
):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SITE_URL", raising=False)
    for key, value in variables.items():
        monkeypatch.setenv(key, value)

    with pytest.raises(ImproperlyConfigured, match=re.escape(named)):
        serve.config()


def run_serve(*args, **variables):
    """deploy/serve.py as an operator starts it, with these variables only."""
    env = {"PATH": os.environ["PATH"], "NEWSPORTAL_ENV_FILE": "", **variables}
    return subprocess.run(
        [sys.executable, "deploy/serve.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def stacks_named(said: str) -> list[str]:
    """The stacks `serve.py --running` names as running with other variables, each as said:
    a stand-in of another test module (pytest -n) may be among them."""
    _, found, rest = said.partition("one runs with other variables (")
    listed, advice, _ = rest.partition("): run make reload with its variables (")
    return listed.split("; ") if found and advice else []


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_every_address_without_a_site_url_is_refused_in_one_line_saying_what_to_set(host):
    # SITE_URL made from a wildcard HOST is the loopback: canonical links, feeds and mail point
    # at 127.0.0.1, and readers who type the site's name cannot log in or get a comment token.
    refused = run_serve("--print-vcl", HOST=host, PORT="80")

    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"serve: SITE_URL must be set when HOST is '{host}' (every address): the address "
        "readers type, e.g. SITE_URL=https://news.example.com (other names they use go in "
        "DJANGO_ALLOWED_HOSTS)"
    ]
    served = run_serve("--print-vcl", HOST=host, PORT="80", SITE_URL="http://news.example.com")
    assert served.returncode == 0, served.stderr
    assert 'set bereq.http.Host = "news.example.com";' in served.stdout


def test_a_host_with_a_port_is_refused_in_one_line_naming_host():
    refused = run_serve(HOST="news.example.com:80")

    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "serve: HOST must name a plain host, not 'news.example.com:80': an address or a name to "
        "listen on, without a port (PORT sets that)"
    ]


def reload_variables(database: Path, workdir: Path, **variables: str) -> dict:
    return {
        "PATH": os.environ["PATH"],
        "NEWSPORTAL_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "reload-test-" + "k" * 50,
        "DJANGO_SECURE_HTTPS": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "PROXY_WORKDIR": str(workdir),
        **variables,
    }


def stand_in(workdir: Path, env: dict, **popen) -> subprocess.Popen:
    """A stand-in for the running stack, with the variables it started with: what `make reload`
    checks is this checkout's deploy/serve.py behind the pid (run as make serve runs it), and
    it runs its steps with that one's variables. A sitecustomize of its own holds it before
    serve.py begins (make reload's steps run without the stack's PYTHONPATH). The work dir and
    pid file get serve.py's modes whatever the umask (make reload refuses others' write)."""
    workdir.chmod(0o755)
    command = [sys.executable, "deploy/serve.py"]
    popen = {"cwd": BASE_DIR, **popen}
    stack = subprocess.Popen(command, env={**env, "PYTHONPATH": hold(workdir)}, **popen)
    pid_file(workdir, stack.pid)
    return stack


def hold(workdir: Path) -> str:
    """A PYTHONPATH whose sitecustomize holds python before it runs anything (stand_in)."""
    held = workdir / "stand-in"
    held.mkdir(exist_ok=True)
    (held / "sitecustomize.py").write_text("import time\ntime.sleep(120)\nraise SystemExit\n")
    return str(held)


def pid_file(workdir: Path, pid: int) -> None:
    """A serve.pid naming this pid, mode 644 as serve.py writes it, whatever the umask."""
    path = workdir / "serve.pid"
    path.write_text(str(pid))
    path.chmod(0o644)


def make_reload(
    database: Path, workdir: Path, *args: str, **variables: str
) -> subprocess.CompletedProcess:
    env = reload_variables(database, workdir, **variables)
    return subprocess.run(
        ["make", "-s", "reload", f"PORT={free_port()}", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def tables_in(database: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(database) as db:
        names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    return names - {"django_migrations", "sqlite_sequence"}


def test_make_reload_applies_no_migration_unless_the_operator_says_the_old_release_can_run_beside(
    tmp_path,
):
    database = tmp_path / "not-migrated.sqlite3"
    stack = stand_in(tmp_path, reload_variables(database, tmp_path))
    try:
        refused = make_reload(database, tmp_path)

        assert refused.returncode != 0
        assert "this release has migrations to apply" in refused.stdout
        assert "run make reload MIGRATE=1" in refused.stdout
        assert not tables_in(database)
        assert stack.poll() is None  # never asked to reload
    finally:
        stack.kill()
        stack.wait()


def test_make_reload_without_a_running_stack_changes_nothing(tmp_path):
    # Even told it may migrate: there is nothing to switch to the new release.
    database = tmp_path / "not-migrated.sqlite3"
    refused = make_reload(database, tmp_path, "MIGRATE=1")

    assert refused.returncode != 0
    assert "no running stack found" in refused.stdout
    assert not tables_in(database)


def test_a_reload_never_signals_a_process_a_stale_pid_file_names(tmp_path):
    # A stack killed outright leaves its pid file; the number may belong to anything by now.
    bystander = subprocess.Popen(["sleep", "30"])
    try:
        pid_file(tmp_path, bystander.pid)
        refused = run_serve("--reload", PROXY_WORKDIR=str(tmp_path))
        time.sleep(0.2)

        assert refused.returncode == 1
        assert "no running stack found" in refused.stdout
        assert bystander.poll() is None  # SIGUSR2 would have ended it
    finally:
        bystander.kill()
        bystander.wait()


def test_make_reload_refuses_a_setting_check_deploy_refuses_leaving_the_stack_as_it_was(tmp_path):
    # As make serve: a Redis the site cannot use stops the reload before static files,
    # migrations (allowed here) or the signal to the running stack.
    database = tmp_path / "not-migrated.sqlite3"
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        redis_url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        stack = stand_in(tmp_path, reload_variables(database, tmp_path, REDIS_URL=redis_url))
        try:
            refused = make_reload(database, tmp_path, "MIGRATE=1", REDIS_URL=redis_url)

            assert refused.returncode != 0
            assert f"(newsportal.E001) REDIS_URL is {redis_url}, and it cannot be used" in (
                refused.stderr
            )
            assert (
                "reload: stopped before collecting or migrating anything: the running release "
                "still serves" in refused.stdout
            )
            assert not tables_in(database)
            assert stack.poll() is None  # never asked to reload (SIGUSR2 would have ended it)
        finally:
            stack.kill()
            stack.wait()


def test_a_reload_whose_stack_exits_meanwhile_says_so_at_once(tmp_path):
    # A stack that ends instead of answering (stopped, killed, crashed): said when it happens,
    # not after the minutes a new release may take to come up.
    stack = stand_in(tmp_path, {"PATH": os.environ["PATH"]})
    try:
        refused = run_serve("--reload", PROXY_WORKDIR=str(tmp_path))  # SIGUSR2 ends it

        assert refused.returncode == 1
        assert (
            f"serve: the running stack (pid {stack.pid}) exited during the reload: see its "
            "output; start it again with make serve"
        ) in refused.stdout
    finally:
        stack.kill()
        stack.wait()
