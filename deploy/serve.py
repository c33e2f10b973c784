"""`make serve`: the production stack on one machine, in the foreground.

    Varnish on HOST:PORT  ->  gunicorn (gunicorn.conf.py) on 127.0.0.1:BACKEND_PORT
    the mail worker (manage.py db_worker): sends the queued mail, retrying while SMTP is away

All run as children of this process, each in a session of its own (Ctrl-C in a terminal reaches
this process alone), and stop together, gunicorn first: on SIGTERM, SIGINT or SIGHUP, or when
Varnish or gunicorn exits; deploy/guard.py stops them if this process is killed. The mail worker
is started again when it exits (on a database error), after a pause growing while it keeps
failing: mail waits in the queue. Run collectstatic and migrate first (`make serve` does); see
deploy/README.md. This file runs the stack; its parts live beside it: config.py (the variables
it reads), vcl.py (the VCL, deploy/newsportal.vcl.in and its parts as one file), commands.py
(gunicorn, the worker and check --deploy, with their variables), varnishd.py (Varnish's command
line), children.py and guard.py (the children), origin.py (reloads), reload_client.py (make
reload's side of one), reload_files.py (the files between the two), reload_config.py (the config
it reads at its start and each reload, and what a reload cannot change), stacks.py and ports.py
(finding a running stack), stack_files.py (the files it keeps in its work dir).

    .venv/bin/python deploy/serve.py              # serve
    .venv/bin/python deploy/serve.py --print-vcl  # print the generated VCL and exit
    .venv/bin/python deploy/serve.py --can-start  # whether it would start (ports, a stack)
    .venv/bin/python deploy/serve.py --check      # manage.py check --deploy, as gunicorn runs
    .venv/bin/python deploy/serve.py --stack-env manage.py ...  # with the stack's variables
    .venv/bin/python deploy/serve.py --running [make ...]  # make reload's first step
"""

import os
import signal
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from deploy import stack_files, stacks  # noqa: E402
from deploy.children import (  # noqa: E402
    Restarting,
    exit_reason,
    guard_stops_within,
    relayed,
    stop,
    wait_for_port,
)
from deploy.commands import (  # noqa: E402
    check_deploy,
    gunicorn_command,
    gunicorn_env,
    worker_command,
)
from deploy.config import PERSONAL_COOKIES, config  # noqa: E402, F401
from deploy.origin import Origin, Varnish, reload_release, reload_seconds  # noqa: E402
from deploy.ports import already_taken, answering, reload_port_taken, url_host  # noqa: E402
from deploy.reload_client import ask_for_reload, first_step  # noqa: E402
from deploy.reload_config import (  # noqa: E402, F401
    RESTART_ONLY_VARIABLES,
    config_for_reload,
    refuse_workers_without_redis,
    refused_reload,
    remembered,
    stack_config,
)
from deploy.reload_files import forget_unfinished_reload, reloading  # noqa: E402
from deploy.units import shell_in_front, stop_cut_short  # noqa: E402
from deploy.varnishd import find_varnishd, varnish_command  # noqa: E402, F401
from deploy.vcl import render_vcl  # noqa: E402
from newsportal.env import env_int  # noqa: E402

# What Varnish's manager writes for SIGTERM, the only way to stop it, whatever its options:
# left out when the stop is ours, so that an "Error" of Varnish's still means one.
VARNISH_STOPPED = "Error: Manager got SIGTERM"


def graceful_seconds() -> int:
    """How long a gunicorn stopping is given before it is killed: its own graceful timeout."""
    return env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1) + 5


def fit_the_stop(graceful: float) -> None:
    """The guard told how long a stop of the stack may take (gunicorn's graceful stop, then
    Varnish's, with room: 45 s by default), should serve.py be killed. And, under a systemd
    unit that gives it less (TimeoutStopSec), the operator told what to raise: systemd would
    kill gunicorn before its graceful stop ends, cutting the requests it holds. Said, not
    refused, as a shell in front of make is: the site serves, only its stops cut requests."""
    seconds = graceful + 10
    guard_stops_within(seconds)
    if cut := stop_cut_short(os.getpid(), seconds):
        unit, shown = cut
        print(
            f"serve: GUNICORN_GRACEFUL_TIMEOUT={graceful - 5:g} does not fit {unit.name}'s "
            f"TimeoutStopSec={shown}: at each stop and restart systemd kills the stack after "
            f"{shown}, before gunicorn has had its {graceful - 5:g} s to finish the requests it "
            f"holds (they are cut). Set TimeoutStopSec={seconds:g} or more in the unit "
            f"(deploy/README.md, 'Under systemd') and run systemctl {'--user ' * unit.user}"
            "daemon-reload, or lower GUNICORN_GRACEFUL_TIMEOUT",
            file=sys.stderr,
            flush=True,
        )


def running(cfg: dict, graceful: float) -> dict:
    """What the stack keeps in running.json: what a reload cannot change (remembered), and how
    long make reload is to wait for a reload's outcome, from the settings the stack runs with."""
    return {**remembered(cfg), "reload_seconds": reload_seconds(graceful, cfg)}


def main(argv: list[str]) -> int:
    try:
        cfg = stack_config()
        vcl = render_vcl(cfg["vcl"])
    except ImproperlyConfigured as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2
    if argv[:1] == ["--running"]:  # `make reload` asks before it changes anything, and goes on
        return first_step(cfg["workdir"], argv[1:], refused_reload)
    if "--print-vcl" in argv:
        sys.stdout.write(vcl)
        return 0
    if argv[:1] == ["--stack-env"]:  # `make reload`'s steps, with the running stack's variables
        # The running stack's variables, then its file as it reads now (as the settings will).
        stack_env = lambda: gunicorn_env(stack_config())  # noqa: E731
        return stacks.run_with_stack_variables(cfg["workdir"], argv[1:], stack_env)
    if "--check" in argv:  # `make serve` and `make reload`, before anything else
        return check_deploy(cfg)
    if "--reload" in argv:
        # For a stack that does not say how long its reload may take: as this release's would.
        return ask_for_reload(cfg["workdir"], reload_seconds(graceful_seconds(), cfg))
    if "--how-to-restart" in argv:  # `make reload`, for a release it cannot put in
        print(stacks.how_to_restart(cfg["workdir"]))
        return 0
    try:
        refuse_workers_without_redis()
    except ImproperlyConfigured as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2

    workdir = cfg["workdir"]
    if refusal := already_taken(cfg) or stack_files.not_mine(workdir):
        print(f"serve: {refusal}", file=sys.stderr)
        return 2
    if "--can-start" in argv:  # `make serve` asks before it collects, migrates or purges
        return 0
    if taken := reload_port_taken(cfg):
        print(f"serve: {taken}", file=sys.stderr, flush=True)
    if front := shell_in_front(os.getpid()):
        # The unit runs, and restarts; only its stops are not clean: said at each start.
        print(
            f"serve: {front[0].name}'s main process is a shell (pid {front[1]}) in front of make "
            "serve: systemctl stop and restart signal that shell alone, which exits without "
            "passing the signal on, and systemd then kills the stack outright (the requests "
            "gunicorn holds are cut). Have the shell exec make: ExecStart=/bin/sh -c '... exec "
            "make serve', or a script's last line exec make serve (deploy/README.md, 'Under "
            "systemd')",
            file=sys.stderr,
            flush=True,
        )

    workdir.mkdir(mode=0o755, parents=True, exist_ok=True)
    if refusal := stack_files.not_mine(workdir):  # made by another meanwhile
        print(f"serve: {refusal}", file=sys.stderr)
        return 2
    workdir.chmod(0o755)  # Varnish's compiler runs as its own user and must read the VCL
    stack_files.stack_file(workdir).unlink(missing_ok=True)  # a killed stack's secrets
    forget_unfinished_reload(workdir)
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
    # Drawn at each reload from the config as that reload read it (config_for_reload).
    varnish = Varnish(
        workdir,
        lambda port: render_vcl({**cfg["vcl"], "BACKEND_PORT": str(port)}),
        cfg["varnishadm_seconds"],
    )
    processes, ours = [], threading.Event()  # set: Varnish is stopped by us
    worker = Restarting(worker_command(), name="mail worker", cwd=BASE_DIR, env=env)
    graceful = graceful_seconds()
    fit_the_stop(graceful)
    try:
        # Readers reach the proxy once the origin answers (or gunicorn failed to start).
        wait_for_port(cfg["backend_port"], origin.process, 120, stopping)
        if origin.process.poll() is None and not stopping:
            processes.append(relayed(varnish_cmd, cwd=workdir, but=VARNISH_STOPPED, once=ours))
            stack_files.remember(workdir, running(cfg, graceful))
            stack_files.record(workdir, cfg["environ"])  # make reload finds it by this
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
                try:
                    cfg, refused = config_for_reload(cfg), ""
                    varnish.seconds = cfg["varnishadm_seconds"]
                    # Long enough for the old gunicorn's graceful stop and the new one's.
                    if (longer := max(graceful, graceful_seconds())) > graceful:
                        fit_the_stop(longer)
                    graceful = longer
                    stack_files.remember(workdir, running(cfg, graceful))
                except ImproperlyConfigured as exc:
                    refused = str(exc)
                purge_pages = [sys.executable, str(BASE_DIR / "manage.py"), "purge_pages"]
                with reloading(workdir):  # make reload meanwhile is refused (reload_client.py)
                    reload_release(
                        origin,
                        varnish,
                        worker,
                        purge_pages,
                        graceful,
                        stopping,
                        refused,
                        purge_seconds=cfg["purge_seconds"],
                    )
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
        stack_files.forget(workdir)
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
