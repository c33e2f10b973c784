"""`make serve`: the production stack on one machine, in the foreground.

    Varnish on HOST:PORT  ->  gunicorn (gunicorn.conf.py) on 127.0.0.1:BACKEND_PORT
    the mail worker (manage.py db_worker): sends the queued mail, retrying while SMTP is away

All run as children of this process, each in a session of its own (Ctrl-C in a terminal reaches
this process alone), and stop together, gunicorn first: on SIGTERM, SIGINT or SIGHUP, or when
Varnish or gunicorn exits; deploy/guard.py stops them if this process is killed. The mail worker
is started again when it exits (on a database error), after a pause growing while it keeps
failing: mail waits in the queue. Run collectstatic and migrate first (`make serve` does). The
VCL is deploy/newsportal.vcl.in, with the parts it includes (deploy/vcl/) put in place and the
ports and PROXY_* tunables filled in, as one file; see deploy/README.md.

    .venv/bin/python deploy/serve.py              # serve
    .venv/bin/python deploy/serve.py --print-vcl  # print the generated VCL and exit
    .venv/bin/python deploy/serve.py --can-start  # whether it would start (ports, a stack)
    .venv/bin/python deploy/serve.py --check      # manage.py check --deploy, as gunicorn runs
    .venv/bin/python deploy/serve.py --stack-env manage.py ...  # with the stack's variables
"""

import ipaddress
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from deploy import cdn, stacks  # noqa: E402
from deploy.children import (  # noqa: E402
    Restarting,
    exit_reason,
    relayed,
    stop,
    wait_for_port,
)
from deploy.origin import (  # noqa: E402
    Origin,
    Varnish,
    ask_for_reload,
    reload_release,
)
from deploy.ports import (  # noqa: E402
    WILDCARDS,
    already_taken,
    answering,
    env_host,
    env_port,
    url_host,
)
from deploy.varnishd import find_varnishd, varnish_command  # noqa: E402, F401
from newsportal.env import env_bool, env_image_max_bytes, env_int, env_list, env_str  # noqa: E402

VCL_TEMPLATE = Path(__file__).resolve().parent / "newsportal.vcl.in"
# Django's session cookie and the flash-message cookie (CookieStorage): a request carrying
# either one gets a personal page, so the proxy passes it (with its cookies) to Django.
PERSONAL_COOKIES = ("sessionid", "messages")
HOSTNAME = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")
# What Varnish's manager writes for SIGTERM, the only way to stop it, whatever its options:
# left out when the stop is ours, so that an "Error" of Varnish's still means one.
VARNISH_STOPPED = "Error: Manager got SIGTERM"


def config() -> dict:
    host = env_host("HOST", "127.0.0.1")
    port = env_port("PORT", 8000)
    backend_port = env_port("BACKEND_PORT", port + 1)
    if backend_port == port:
        raise ImproperlyConfigured("BACKEND_PORT must differ from PORT")
    if host in WILDCARDS and not env_str("SITE_URL"):
        # Made from HOST it would be the loopback: links, feeds and mail would point there, and
        # logins and comment tokens would be refused to readers who type the site's name.
        raise ImproperlyConfigured(
            f"SITE_URL must be set when HOST is {host!r} (every address): the address readers "
            "type, e.g. SITE_URL=https://news.example.com (other names they use go in "
            "DJANGO_ALLOWED_HOSTS)"
        )
    site_url = env_str("SITE_URL") or f"http://{url_host(host)}:{port}"
    try:
        canonical_host = urlsplit(site_url).netloc
    except ValueError:  # an unclosed "[": refused below, by name
        canonical_host = ""
    # It goes into the VCL as a string: a plain host[:port], nothing else.
    if not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", canonical_host):
        # SITE_URL, when unset, is made from HOST: name the variable that was given.
        name, value = ("SITE_URL", site_url) if env_str("SITE_URL") else ("HOST", host)
        raise ImproperlyConfigured(f"{name} must name a plain host, not {value!r}")

    forwarded_proto = env_str(
        "PROXY_FORWARDED_PROTO", "https" if env_bool("DJANGO_BEHIND_PROXY", False) else ""
    )
    if forwarded_proto not in ("", "http", "https"):
        raise ImproperlyConfigured(
            f"PROXY_FORWARDED_PROTO must be http, https or empty, not {forwarded_proto!r}"
        )

    # Purges arrive on a listener of their own, on the loopback unless other app servers purge
    # too: never on PORT, where readers (or a TLS terminator relaying them) come in.
    purge_host = env_str("PROXY_PURGE_HOST", "127.0.0.1")
    purge_port = env_port("PROXY_PURGE_PORT", port + 2)
    if purge_port in (port, backend_port):
        raise ImproperlyConfigured("PROXY_PURGE_PORT must differ from PORT and BACKEND_PORT")
    # A reload starts the new release here, beside the old one, then Varnish switches to it;
    # the next reload comes back to BACKEND_PORT (deploy/origin.py).
    reload_port = env_port("RELOAD_BACKEND_PORT", port + 3)
    if reload_port in (port, backend_port, purge_port):
        raise ImproperlyConfigured(
            "RELOAD_BACKEND_PORT must differ from PORT, BACKEND_PORT and PROXY_PURGE_PORT"
        )
    purgers = []
    # The app reaches the purge listener from its own address there when it is not loopback.
    for item in dict.fromkeys([host, purge_host, *env_list("PROXY_PURGERS", [])]):
        if item in WILDCARDS or item in ("localhost", "127.0.0.1", "::1"):
            continue
        try:
            network = ipaddress.ip_network(item.strip("[]"), strict=False)
        except ValueError:
            if not HOSTNAME.match(item):
                raise ImproperlyConfigured(
                    f"PROXY_PURGERS must list addresses or networks, not {item!r}"
                ) from None
            purgers.append(f'    "{item}";')
            continue
        purgers.append(f'    "{network.network_address}"/{network.prefixlen};')

    cache_size = env_str("PROXY_CACHE_SIZE", "256m")
    if not re.fullmatch(r"[0-9]+[kmgKMG]?", cache_size):
        raise ImproperlyConfigured(f"PROXY_CACHE_SIZE must be a size like 256m, not {cache_size!r}")

    gunicorn_timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
    post_limit = env_int("PROXY_POST_LIMIT", 10, minimum=1)
    # Worker threads per pool (two pools). Varnish's default lets a spike start hundreds of
    # threads that fight over a few cores (p99 of half a second on 2 cores); a bounded pool
    # queues the surplus instead (p99 in single-digit ms). Each slow download holds a thread:
    # raise it on a machine with more cores or many slow readers.
    threads = env_int("PROXY_THREADS", 32, minimum=10)
    body_limit = env_int("PROXY_BODY_LIMIT", 60, minimum=1)
    miss_limit = env_int("PROXY_MISS_LIMIT", 20, minimum=1)
    # The picture limit Django's form names: a picture up to twice it reaches Django, whose form
    # refuses it with all the editor typed kept; a larger one gets the 413 page (naming it).
    image_max = env_image_max_bytes()
    least = image_max + 1024 * 1024  # and the form's text (DATA_UPLOAD_MAX_MEMORY_SIZE), framing
    admin_body_max = env_int("PROXY_ADMIN_BODY_MAX", least + image_max, minimum=least)
    return {
        "host": host,
        "port": port,
        "backend_port": backend_port,
        "reload_port": reload_port,
        "canonical_host": canonical_host,
        "site_url": site_url,
        "purge_host": purge_host,
        "purge_port": purge_port,
        "purge_url": f"http://{url_host(purge_host)}:{purge_port}/",
        # The reader's address comes in the PROXY protocol header of a TLS terminator in front
        # (hitch, HAProxy, nginx's stream module, Caddy), not from the connection.
        "proxy_protocol": env_bool("PROXY_PROTOCOL", False),
        "workdir": Path(
            env_str("PROXY_WORKDIR") or Path(tempfile.gettempdir()) / f"newsportal-varnish-{port}"
        ),
        "cache_size": cache_size,
        "threads": threads,
        "wsgi_app": env_str("SERVE_WSGI_APP", "newsportal.wsgi"),
        "vcl": {
            "BACKEND_PORT": str(backend_port),
            "CANONICAL_HOST": canonical_host,
            "FIRST_BYTE_TIMEOUT": str(gunicorn_timeout + 5),
            "PURGERS": "\n".join(purgers),
            **cdn.vcl_values(),
            "FORWARDED_PROTO": (
                f'    set req.http.X-Forwarded-Proto = "{forwarded_proto}";'
                if forwarded_proto
                else "    unset req.http.X-Forwarded-Proto;"
            ),
            "PERSONAL_COOKIES": "|".join(PERSONAL_COOKIES),
            # Comment posts per client address per minute (Django has its own, finer limit).
            "POST_LIMIT": str(post_limit),
            "POST_RETRY_AFTER": str(max(1, -(-60 // post_limit))),
            # Other requests with a body (admin forms, one-click unsubscribes), per minute.
            "BODY_LIMIT": str(body_limit),
            "BODY_RETRY_AFTER": str(max(1, -(-60 // body_limit))),
            "UNSUBSCRIBE_LIMIT": str(env_int("PROXY_UNSUBSCRIBE_LIMIT", 600, minimum=1)),
            # Requests per client address per second that reach Django (misses and passes).
            "MISS_LIMIT": str(miss_limit),
            # Static files and media not cached yet: a burst of five seconds' worth (summed here:
            # VCL's compiler multiplies in C ints, which a huge limit, as the benchmark's,
            # overflows).
            "ASSET_BURST": str(min(miss_limit * 5, 2**31 - 1)),
            "BODY_MAX": str(env_int("PROXY_BODY_MAX", 64 * 1024, minimum=1024)),
            "ADMIN_BODY_MAX": str(admin_body_max),
            "IMAGE_MAX": str(image_max),
            "STALE_IF_ERROR": str(env_int("PROXY_STALE_IF_ERROR", 86400, minimum=0)),
        },
    }


def vcl_source() -> str:
    """The template with each `include "vcl/<part>.vcl.in";` line replaced by that part: one
    file, so the reload's VCL (another backend port) is written whole as the first was, and
    --print-vcl and `varnishadm vcl.show` show all of it."""

    def part(match: re.Match) -> str:
        path = (VCL_TEMPLATE.parent / match[1]).resolve()
        if path.parent != VCL_TEMPLATE.parent / "vcl" or not path.is_file():
            raise ImproperlyConfigured(f"{VCL_TEMPLATE.name} includes no part {match[1]!r}")
        return f"# --- deploy/vcl/{path.name} ---\n{path.read_text()}# --- end of {path.name} ---"

    return re.sub(r'^include "([^"]+)";$', part, VCL_TEMPLATE.read_text(), flags=re.M)


def render_vcl(values: dict) -> str:
    text = vcl_source()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    leftover = re.findall(r"@@[A-Z_]+@@", text)
    if leftover:
        raise ImproperlyConfigured(f"{VCL_TEMPLATE.name} names unknown values: {leftover}")
    return text


def gunicorn_command(cfg: dict) -> list[str]:
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(BASE_DIR / "gunicorn.conf.py"),
        cfg["wsgi_app"],
    ]


def worker_command() -> list[str]:
    return [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "db_worker",
        "--queue-name",
        "mail,purge",
        "--no-reload",
        "--interval",
        "1",
    ]


def gunicorn_env(cfg: dict) -> dict:
    env = dict(os.environ)
    # The variables' file names this Varnish too, for commands run by hand: sent once.
    own = cfg["purge_url"].rstrip("/")
    others = [url for url in env_list("FRONT_CACHE_PURGE_URLS", []) if url.rstrip("/") != own]
    purge_urls = [cfg["purge_url"], *others]
    env.update(
        # Only Varnish talks to gunicorn.
        GUNICORN_BIND=f"127.0.0.1:{cfg['backend_port']}",
        SITE_URL=cfg["site_url"],
        FRONT_CACHE_PURGE_URLS=",".join(purge_urls),
        # Varnish overwrites X-Forwarded-For with the reader's address.
        COMMENTS_CLIENT_IP_HEADER="X-Forwarded-For",
        # Mail is queued in the database and sent by the worker started beside gunicorn.
        MAIL_QUEUE="database",
    )
    return env


def check_deploy(cfg: dict) -> int:
    """`manage.py check --deploy` with the variables gunicorn gets: SITE_URL made from HOST and
    PORT when unset, so a warning names the address this stack serves (run alone, the
    settings' default is port 8000's)."""
    # --database: DATABASE_URL is connected to too (newsportal.E002), before migrate needs it.
    check = ["check", "--deploy", "--database", "default"]
    command = [sys.executable, str(BASE_DIR / "manage.py"), *check]
    return subprocess.run(command, cwd=BASE_DIR, env=gunicorn_env(cfg)).returncode


def main(argv: list[str]) -> int:
    try:
        cfg = config()
        vcl = render_vcl(cfg["vcl"])
    except ImproperlyConfigured as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2
    if "--print-vcl" in argv:
        sys.stdout.write(vcl)
        return 0
    if argv[:1] == ["--stack-env"]:  # `make reload`'s steps, with the running stack's variables
        stack_env = lambda: gunicorn_env(config())  # noqa: E731
        return stacks.run_with_stack_variables(cfg["workdir"], argv[1:], stack_env)
    if "--check" in argv:  # `make serve` and `make reload`, before anything else
        return check_deploy(cfg)
    if "--reload" in argv:
        return ask_for_reload(cfg["workdir"])
    if "--how-to-restart" in argv:  # `make reload`, for a release it cannot put in
        print(stacks.how_to_restart(cfg["workdir"]))
        return 0
    if "--running" in argv:  # `make reload` asks before it changes anything
        return 0 if stacks.running_stack(cfg["workdir"]) else 1
    if not env_str("REDIS_URL") and env_str("WEB_CONCURRENCY") != "1":
        # Each worker would count the rate limits on its own (and purge only its own copy of
        # a fragment): a flood limit of one comment per 15 s would let one through per worker.
        print(
            "serve: REDIS_URL must be set when gunicorn runs more than one worker (rate "
            "limits live in Django's cache); `make serve` sets a local one, or set "
            "WEB_CONCURRENCY=1",
            file=sys.stderr,
        )
        return 2

    workdir = cfg["workdir"]
    if refusal := already_taken(cfg) or stacks.not_mine(workdir):
        print(f"serve: {refusal}", file=sys.stderr)
        return 2
    if "--can-start" in argv:  # `make serve` asks before it collects, migrates or purges
        return 0

    workdir.mkdir(mode=0o755, parents=True, exist_ok=True)
    if refusal := stacks.not_mine(workdir):  # made by another meanwhile
        print(f"serve: {refusal}", file=sys.stderr)
        return 2
    workdir.chmod(0o755)  # Varnish's compiler runs as its own user and must read the VCL
    stacks.stack_file(workdir).unlink(missing_ok=True)  # a killed stack's secrets
    vcl_path = workdir / "newsportal.vcl"
    vcl_path.write_text(vcl)
    vcl_path.chmod(0o644)
    varnish_cmd = varnish_command(cfg, vcl_path)

    stopping, reloads = [], []

    def on_signal(signum, frame):
        (reloads if signum == signal.SIGUSR2 else stopping).append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR2):
        signal.signal(signum, on_signal)

    env = gunicorn_env(cfg)
    ports = (cfg["backend_port"], cfg["reload_port"])
    origin = Origin(gunicorn_command(cfg), env, ports, cfg["canonical_host"], BASE_DIR)
    varnish = Varnish(workdir, lambda port: render_vcl({**cfg["vcl"], "BACKEND_PORT": str(port)}))
    processes, ours = [], threading.Event()  # set: Varnish is stopped by us
    worker = Restarting(worker_command(), name="mail worker", cwd=BASE_DIR, env=env)
    graceful = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1) + 5
    try:
        # Readers reach the proxy once the origin answers (or gunicorn failed to start).
        wait_for_port(cfg["backend_port"], origin.process, 120, stopping)
        if origin.process.poll() is None and not stopping:
            processes.append(relayed(varnish_cmd, cwd=workdir, but=VARNISH_STOPPED, once=ours))
            stacks.record(workdir)  # make reload finds it by this
        announced = False
        while not stopping and all(p.poll() is None for p in [origin.process, *processes]):
            # Said once readers would be answered, not when Varnish was started (before it
            # bound its port): an operator's script takes the line for "ready". A Varnish that
            # exits first ends the stack without a word of serving.
            if processes and not announced and (announced := answering(cfg)):
                print(
                    f"serve: Varnish on http://{url_host(cfg['host'])}:{cfg['port']}/ in front "
                    f"of gunicorn on 127.0.0.1:{cfg['backend_port']} "
                    f"(varnishadm -n {workdir / 'varnish'})",
                    flush=True,
                )
            if reloads:
                reloads.clear()
                purge_pages = [sys.executable, str(BASE_DIR / "manage.py"), "purge_pages"]
                reload_release(origin, varnish, worker, purge_pages, graceful, stopping)
            origin.check_draining()
            worker.check()
            time.sleep(0.2)
        if not stopping:
            # Said, since what follows is the other children stopping: without it the log tells
            # an operator that the stack stopped, not which part failed.
            names = {origin.process: "gunicorn", **dict.fromkeys(processes, "Varnish")}
            for process, name in names.items():
                if process.poll() is not None:
                    print(
                        f"serve: {name} exited ({exit_reason(process.returncode)}); stopping "
                        "the stack",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        # Ours only: one a stack started since wrote is that stack's (make reload finds it).
        stacks.forget(workdir)
        # The origin first: gunicorn finishes the requests it holds (a comment being saved)
        # while Varnish, still up, delivers their answers; then the proxy.
        origin.stop([worker.process], graceful)
        ours.set()
        stop(processes, graceful)
    if stopping:
        return 0
    failed = [process for process in [origin.process, *processes] if process.returncode]
    return failed[0].returncode if failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
