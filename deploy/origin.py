"""serve.py's gunicorn, and how a reload puts a new release in its place without a reader
noticing (`make reload`, or SIGUSR2 to serve.py).

Why two ports and a VCL switch, and not gunicorn's own upgrade signals: the app is loaded once
in gunicorn's master (`preload_app`), so SIGHUP restarts workers on the code already loaded;
USR2 starts a new master as a child of the old one, which serve.py could then neither watch nor
stop. Instead a new gunicorn starts on the other of two ports, beside the old one, and only once
its /healthz answers 200 does Varnish switch to a VCL that points there (`vcl.use` keeps the
cache: readers go on getting the pages it holds). The old gunicorn is then stopped gracefully:
the requests it holds (a comment being saved) finish and Varnish delivers their answers. A new
release that does not come up never reaches a reader: the old one goes on serving."""

import http.client
import shutil
import subprocess
import time
from pathlib import Path

from deploy import stacks
from deploy.children import start_child, stop, wait_for_port
from deploy.ports import held_by_another
from deploy.reload_files import (
    BOTH_KEPT,
    NOT_STARTED,
    RESTART_TO_RELOAD,
    UNSEEN,
    cancel_path,
    read_status,
    write_status,
)

HEALTH_SECONDS = 120  # a cold start: imports, migrations checked, the first connections
# Where a reload halted short of the switch (the stack stopping, a Ctrl-C in make reload), and
# what that leaves, said after why (reload_release).
HALTED_WAITING = "halted while the last reload's gunicorn finished its requests"
HALTED_UNSTARTED = "halted before the new release started"
HALTED = "halted before the switch"
HALTS = {
    HALTED_WAITING: (
        " while the gunicorn the last reload stopped was finishing its requests: this reload's "
        f"{NOT_STARTED}, and the one the last reload put in serves on"
    ),
    HALTED_UNSTARTED: f": the {NOT_STARTED}",
    HALTED: f": {UNSEEN}",
}


class Halted:
    """Whether a reload is to stop short of the switch: the stack is stopping, or the operator
    pressed Ctrl-C in `make reload` while waiting for this very reload (its generation in the
    cancel file: a cancel sent as an earlier reload ended never stops a later one)."""

    def __init__(self, stopping: list, workdir: Path, generation: int):
        self.stopping, self.workdir, self.generation = stopping, workdir, generation

    def cancelled(self) -> bool:
        try:
            return cancel_path(self.workdir).read_text() == str(self.generation)
        except OSError:
            return False

    def __bool__(self) -> bool:
        return bool(self.stopping) or self.cancelled()


class Origin:
    def __init__(self, command: list[str], env: dict, ports: tuple[int, int], host: str, cwd):
        self.command, self.env, self.ports, self.host, self.cwd = command, env, ports, host, cwd
        self.port = ports[0]
        self.process = self._start(self.port)
        self.draining: list[tuple[subprocess.Popen, float]] = []
        # The new release of a switch Varnish never confirmed (Unsure), kept beside this one.
        self.unsure: subprocess.Popen | None = None

    def _start(self, port: int) -> subprocess.Popen:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        return start_child(self.command, cwd=self.cwd, env=env)

    def answers(self, process: subprocess.Popen, port: int, seconds: float, stopping) -> str:
        """ "" once gunicorn on `port` answers /healthz with a 200, else what went wrong."""
        deadline = time.monotonic() + seconds
        if not wait_for_port(port, process, seconds, stopping):
            return "it exited" if process.poll() is not None else "its port never opened"
        status = None
        while time.monotonic() < deadline and process.poll() is None and not stopping:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/healthz", headers={"Host": self.host})
                status = conn.getresponse().status
            except OSError:
                status = None
            finally:
                conn.close()
            if status == 200:
                return ""
            time.sleep(0.5)
        return f"/healthz answered {status}" if status else "/healthz never answered"

    def reload(self, switch_to, graceful: float, halted) -> str:
        """Start the new release on the other port; once it answers, `switch_to(port)` points
        Varnish there and the old one drains. Returns "" or why the old one still serves. Halted
        (the stack stopping, the operator's Ctrl-C) before the switch, the new one is stopped
        and no reader ever reaches it; from the switch on, the reload is finished."""
        port = self.ports[1] if self.port == self.ports[0] else self.ports[0]
        # The gunicorn the last reload put out of service may still finish its requests there
        # (until its graceful time is up: check_draining kills it then).
        if waiting := any(process.poll() is None for process, _ in self.draining):
            print(
                "serve: reloading: waiting for the gunicorn the last reload stopped to finish "
                f"its requests on 127.0.0.1:{port}",
                flush=True,
            )
        while any(process.poll() is None for process, _ in self.draining) and not halted:
            self.check_draining()
            time.sleep(0.1)
        if halted:
            return HALTED_WAITING if waiting else HALTED_UNSTARTED
        name = ("BACKEND_PORT", "RELOAD_BACKEND_PORT")[self.ports.index(port)]
        if holder := held_by_another(port, name):
            return holder
        new = self._start(port)
        problem = self.answers(new, port, HEALTH_SECONDS, halted)
        if halted:
            problem = HALTED
        if not problem:
            problem = switch_to(port)
        if isinstance(problem, Unsure):  # either may be the one readers reach: both kept
            self.unsure = new
            return problem
        if problem:
            stop([new], graceful)
            return problem
        self.draining.append((self.process, time.monotonic() + graceful))
        self.process.terminate()  # graceful for gunicorn: in-flight requests finish
        self.process, self.port = new, port
        return ""

    def check_draining(self) -> None:
        still = []
        for process, deadline in self.draining:
            if process.poll() is None:
                if time.monotonic() > deadline:
                    process.kill()
                still.append((process, deadline))
        self.draining = still

    def stop(self, others: list[subprocess.Popen], graceful: float) -> None:
        kept = [self.unsure] if self.unsure else []
        draining = [process for process, _ in self.draining]
        stop([self.process, *kept, *others, *draining], graceful)


class Varnish:
    """varnishadm for the running Varnish: a new VCL in use, the cache kept."""

    def __init__(self, workdir: Path, render, seconds: float):
        self.name = str(workdir / "varnish")
        self.workdir, self.render = workdir, render
        # Each command's limit (PROXY_VARNISHADM_TIMEOUT), as the reload under way read it.
        self.seconds = seconds
        self.loads = 0

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        """Raises Unanswered for a command the manager never answers (a hung Varnish): killed
        after `seconds`, where a TimeoutExpired would end the stack, site and all."""
        varnishadm = shutil.which("varnishadm") or "/usr/bin/varnishadm"
        try:
            return subprocess.run(
                [varnishadm, "-n", self.name, *args],
                capture_output=True,
                text=True,
                timeout=self.seconds,
                # Ctrl-C to make serve: the switch is made or not, never cut.
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise Unanswered(
                f"varnishadm {args[0]} did not answer within {self.seconds:g} s"
            ) from None

    def use_backend(self, port: int) -> str:
        """ "" once Varnish sends readers to gunicorn on `port`; else why it does not (the old
        release serves on), or, Unsure, why that is not known."""
        try:
            # VCLs left from earlier reloads (idle by now) go first; the one in use cannot.
            for line in self.admin("vcl.list").stdout.splitlines():
                fields = line.split()
                if fields and fields[0] == "available":
                    self.admin("vcl.discard", fields[-1])
            self.loads += 1
            name = f"reload{self.loads}"
            path = self.workdir / f"newsportal-{name}.vcl"
            try:
                path.write_text(self.render(port))
                path.chmod(0o644)  # Varnish's compiler runs as its own user
            except OSError as exc:  # a full disk: nothing switched yet, the old release serves on
                return f"cannot write the new VCL ({path}): {exc.strerror or exc}"
            done = self.admin("vcl.load", name, str(path))
        except Unanswered as exc:  # before vcl.use: nothing switched, the old release serves on
            return str(exc)
        if not done.returncode:
            try:
                done = self.admin("vcl.use", name)
            except Unanswered as exc:
                return self._in_use_after(name, str(exc))
        if done.returncode:
            command = done.args[3]
            return f"varnishadm {command} failed: {(done.stdout + done.stderr).strip()}"
        return ""

    def _in_use_after(self, name: str, unanswered: str) -> str:
        """A vcl.use killed unanswered may have switched Varnish or not: asked which VCL it
        uses. Unsure when it does not say: stopping either gunicorn could leave readers none."""
        try:
            listed = self.admin("vcl.list")
        except Unanswered:
            listed = None
        if listed and not listed.returncode:
            active = [line.split() for line in listed.stdout.splitlines()]
            active = [fields[-1] for fields in active if fields[:1] == ["active"]]
            if active == [name]:
                print(
                    f"serve: {unanswered}, but Varnish uses the new release's VCL: the reload "
                    "goes on",
                    flush=True,
                )
                return ""
            if active:
                return f"{unanswered}, and Varnish still uses the old release's VCL ({active[0]})"
        return Unsure(
            f"{unanswered}, nor did vcl.list after it say which VCL it uses: Varnish may send "
            "readers to the new "
            f"release or to the old one, so {BOTH_KEPT}; {RESTART_TO_RELOAD} "
            f"({stacks.how_to_restart(self.workdir)}), once varnishadm -n {self.name} vcl.list "
            "answers"
        )


class Unanswered(Exception):
    """A varnishadm command killed after its limit (PROXY_VARNISHADM_TIMEOUT) unanswered."""


class Unsure(str):
    """Why a switch may have been made or not (Varnish.use_backend): both releases are kept."""


def reload_release(
    origin, varnish, worker, purge_pages, graceful, stopping, refused="", purge_seconds=60
) -> None:
    """The new release in place of the old; then the mail worker on the new code, and the
    pages the old release drew dropped (soft-purged in Varnish: readers get them while they are
    drawn again). A cancel (the operator's Ctrl-C in `make reload`) or a stop before the switch
    leaves the old release serving; one after it, the reload is finished; `refused` (a value the
    reload cannot take), nothing is started. The purge is stopped after `purge_seconds`
    (RELOAD_PURGE_TIMEOUT: a front cache answering a byte at a time never reaches its
    FRONT_CACHE_PURGE_TIMEOUT). The outcome goes where `ask_for_reload` reads it."""
    generation = read_status(varnish.workdir)["generation"] + 1
    halted = Halted(stopping, varnish.workdir, generation)
    if refused:
        problem = refused
    elif origin.unsure:  # no VCL can be drawn for a gunicorn to leave while that is not known
        problem = (
            f"the last reload never learnt whether Varnish sends readers to its new release or "
            f"to the one before, so {BOTH_KEPT}; {RESTART_TO_RELOAD} "
            f"({stacks.how_to_restart(varnish.workdir)})"
        )
    else:
        print("serve: reloading: starting the new release beside the old one", flush=True)
        problem = origin.reload(varnish.use_backend, graceful, halted)
    if problem in HALTS:
        why = "the stack is stopping" if stopping else "cancelled (Ctrl-C in make reload)"
        problem = why + HALTS[problem]
        print(f"serve: reload stopped, the old release still serves: {problem}", flush=True)
    elif BOTH_KEPT in problem:
        print(f"serve: reload not finished, both releases run: {problem}", flush=True)
    elif problem:
        print(f"serve: reload failed, the old release still serves: {problem}", flush=True)
    else:
        worker.restart(graceful)
        # A session of its own, as varnishadm's: a terminal's Ctrl-C to make serve reaches
        # serve.py alone, which lets the purge finish before it stops the stack.
        purge = [*purge_pages, "--verbosity", "0"]
        try:
            purged = subprocess.run(
                purge, cwd=origin.cwd, env=origin.env, start_new_session=True, timeout=purge_seconds
            ).returncode
        except subprocess.TimeoutExpired:  # killed: the reload ends, and make reload is told
            print(
                f"serve: purge_pages did not finish within {purge_seconds:g} s and was stopped: "
                "the old release's pages it did not purge expire on their own (a front cache in "
                "FRONT_CACHE_PURGE_URLS slow to answer?)",
                flush=True,
            )
            purged = 0
        if purged:
            print("serve: purge_pages failed: the old release's pages expire on their own")
        print(f"serve: reloaded: gunicorn on 127.0.0.1:{origin.port}", flush=True)
    write_status(varnish.workdir, generation, problem)
    cancel_path(varnish.workdir).unlink(missing_ok=True)


def reload_seconds(graceful: float, cfg: dict) -> float:
    """The longest a reload may take in the stack, each of its steps bounded: the gunicorn the
    last reload stopped finishing its requests (`graceful`), the new release's /healthz
    (HEALTH_SECONDS, and its last request's 5 s), the switch (vcl.list, a discard of the VCL
    the last reload left, vcl.load, vcl.use, and vcl.list again should vcl.use not answer,
    each up to PROXY_VARNISHADM_TIMEOUT), then the new release stopped (a failure) or the mail
    worker restarted (`graceful`) and the purge (RELOAD_PURGE_TIMEOUT). make reload waits this
    long for the outcome: the stack says it (running.json), from the settings it runs with."""
    switch = 5 * cfg["varnishadm_seconds"]
    return graceful + HEALTH_SECONDS + 5 + switch + graceful + cfg["purge_seconds"] + 10
