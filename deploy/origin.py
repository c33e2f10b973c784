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

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from deploy.children import start_child, stop, wait_for_port
from deploy.stack_files import json_object, remembered
from deploy.stacks import running_stack
from deploy.units import systemd_unit

HEALTH_SECONDS = 120  # a cold start: imports, migrations checked, the first connections
VARNISHADM_SECONDS = 60  # each varnishadm command (vcl.load compiles the VCL)
# The purge of the old release's pages: Django's start, Redis, a purge to each front cache
# (FRONT_CACHE_PURGE_TIMEOUT a read, which a cache answering a byte at a time never reaches).
PURGE_SECONDS = 60
HALTED = "halted before the switch"
UNSEEN = "the new release was stopped before any reader reached it"


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
        while any(process.poll() is None for process, _ in self.draining) and not halted:
            self.check_draining()
            time.sleep(0.1)
        if halted:
            return HALTED
        if holder := self.held_by_another(port):
            return holder
        new = self._start(port)
        problem = self.answers(new, port, HEALTH_SECONDS, halted)
        if halted:
            problem = HALTED
        if not problem:
            problem = switch_to(port)
        if problem:
            stop([new], graceful)
            return problem
        self.draining.append((self.process, time.monotonic() + graceful))
        self.process.terminate()  # graceful for gunicorn: in-flight requests finish
        self.process, self.port = new, port
        return ""

    def held_by_another(self, port: int) -> str:
        """Why the new release cannot start on `port`: something answers there already (a
        second stack whose PORT is this one), whose 200 on /healthz would otherwise be taken for
        the new release's, and Varnish switched to it. "" when the port is free."""
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return ""
        name = ("BACKEND_PORT", "RELOAD_BACKEND_PORT")[self.ports.index(port)]
        return (
            f"something already answers on 127.0.0.1:{port} ({name}), where the new release "
            f"was to start: another program or stack holds it. Stop it, or set {name} to a "
            "free port (that takes a restart)"
        )

    def check_draining(self) -> None:
        still = []
        for process, deadline in self.draining:
            if process.poll() is None:
                if time.monotonic() > deadline:
                    process.kill()
                still.append((process, deadline))
        self.draining = still

    def stop(self, others: list[subprocess.Popen], graceful: float) -> None:
        stop([self.process, *others, *(process for process, _ in self.draining)], graceful)


class Varnish:
    """varnishadm for the running Varnish: a new VCL in use, the cache kept."""

    def __init__(self, workdir: Path, render):
        self.name = str(workdir / "varnish")
        self.workdir, self.render = workdir, render
        self.loads = 0

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        varnishadm = shutil.which("varnishadm") or "/usr/bin/varnishadm"
        return subprocess.run(
            [varnishadm, "-n", self.name, *args],
            capture_output=True,
            text=True,
            timeout=VARNISHADM_SECONDS,
            start_new_session=True,  # Ctrl-C to make serve: the switch is made or not, never cut
        )

    def use_backend(self, port: int) -> str:
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
        for args in (("vcl.load", name, str(path)), ("vcl.use", name)):
            done = self.admin(*args)
            if done.returncode:
                return f"varnishadm {args[0]} failed: {(done.stdout + done.stderr).strip()}"
        return ""


def reload_release(origin, varnish, worker, purge_pages, graceful, stopping, refused="") -> None:
    """The new release in place of the old; then the mail worker on the new code, and the
    pages the old release drew dropped (soft-purged in Varnish: readers get them while they are
    drawn again). A cancel (the operator's Ctrl-C in `make reload`) or a stop before the switch
    leaves the old release serving; one after it, the reload is finished; `refused` (a value the
    reload cannot take), nothing is started. The outcome goes where `ask_for_reload` reads it."""
    generation = read_status(varnish.workdir)["generation"] + 1
    halted = Halted(stopping, varnish.workdir, generation)
    if refused:
        problem = refused
    else:
        print("serve: reloading: starting the new release beside the old one", flush=True)
        problem = origin.reload(varnish.use_backend, graceful, halted)
    if problem == HALTED:
        why = "the stack is stopping" if stopping else "cancelled (Ctrl-C in make reload)"
        problem = f"{why}: {UNSEEN}"
        print(f"serve: reload stopped, the old release still serves: {problem}", flush=True)
    elif problem:
        print(f"serve: reload failed, the old release still serves: {problem}", flush=True)
    else:
        worker.restart(graceful)
        # A session of its own, as varnishadm's: a terminal's Ctrl-C to make serve reaches
        # serve.py alone, which lets the purge finish before it stops the stack.
        purge = [*purge_pages, "--verbosity", "0"]
        try:
            purged = subprocess.run(
                purge, cwd=origin.cwd, env=origin.env, start_new_session=True, timeout=PURGE_SECONDS
            ).returncode
        except subprocess.TimeoutExpired:  # killed: the reload ends, and make reload is told
            print(
                f"serve: purge_pages did not finish within {PURGE_SECONDS} s and was stopped: "
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


def reload_seconds(graceful: float) -> float:
    """The longest a reload may take in the stack, each of its steps bounded: the gunicorn the
    last reload stopped finishing its requests (`graceful`), the new release's /healthz
    (HEALTH_SECONDS, and its last request's 5 s), the switch (vcl.list, a discard of the VCL
    the last reload left, vcl.load, vcl.use), then the new release stopped (a failure) or the
    mail worker restarted (`graceful`) and the purge. make reload waits this long for the
    outcome: the stack says it (running.json), from the settings it runs with."""
    switch = 4 * VARNISHADM_SECONDS
    return graceful + HEALTH_SECONDS + 5 + switch + graceful + PURGE_SECONDS + 10


def status_path(workdir: Path) -> Path:
    return workdir / "reload.json"


def forget_unfinished_reload(workdir: Path) -> None:
    """At the stack's start, what a reload of the stack before it left, had that one been
    killed (SIGKILL, the OOM killer) before the reload ended: its cancel, which names the
    generation this stack's first reload will have (reload.json never got that one's outcome),
    and would stop that reload as "cancelled (Ctrl-C in make reload)" though nobody pressed
    it; and the half-written files and VCLs of that reload, nobody's now."""
    leftovers = [
        cancel_path(workdir),
        cancel_path(workdir).with_suffix(".tmp"),
        status_path(workdir).with_suffix(".tmp"),
        *workdir.glob("newsportal-reload*.vcl"),
    ]
    for path in leftovers:
        with contextlib.suppress(OSError):  # a directory there is the reload's to say
            path.unlink()


def cancel_path(workdir: Path) -> Path:
    return workdir / "reload-cancel"


def write_status(workdir: Path, generation: int, problem: str) -> None:
    path = status_path(workdir)
    try:
        text = json.dumps({"generation": generation, "problem": problem})
        path.with_suffix(".tmp").write_text(text)
        path.with_suffix(".tmp").replace(path)
    except OSError as exc:  # a full disk: the stack serves on; only make reload goes unanswered
        print(
            f"serve: could not write the reload's outcome to {path} ({exc.strerror or exc}): "
            "make reload will say it has none; the lines above are the outcome",
            flush=True,
        )


def read_status(workdir: Path) -> dict:
    """The last reload's outcome as write_status wrote it; anything else (no file, or one not
    serve.py's: [], null, a string, fields of other types) as no reload yet. A reload must not
    end the stack, nor make reload's wait, over a file edited by hand."""
    nothing = {"generation": 0, "problem": ""}
    try:
        status = json_object(status_path(workdir).read_text())
    except (OSError, ValueError):
        return nothing
    generation, problem = status.get("generation"), status.get("problem")
    if type(generation) is not int or not isinstance(problem, str):
        return nothing
    return {"generation": generation, "problem": problem}


def ask_for_reload(workdir: Path, seconds: float) -> int:
    """`serve.py --reload`: signal the running serve.py and wait for its answer, as long as the
    stack says its reload may take (reload_seconds; `seconds` for a stack that does not say).
    The reload is the stack's doing: Ctrl-C here asks it to cancel (the cancel file, naming
    this reload) and waits for what it did, so a reload is never left half done nor its
    outcome unsaid; a second Ctrl-C stops waiting."""
    if (pid := running_stack(workdir)) is None:
        return 1
    before = read_status(workdir)["generation"]
    unit = systemd_unit(pid)  # read now: once it has exited, nothing is left to read
    pressed, cancelled = [], []

    def cancel(signum, frame):
        if pressed:
            raise KeyboardInterrupt
        pressed.append(signum)
        # Read by the stack while it waits for the new release (Halted), however soon it
        # comes: even before the stack has begun this reload.
        path = cancel_path(workdir)
        try:
            path.with_suffix(".tmp").write_text(str(before + 1))
            path.with_suffix(".tmp").replace(path)
        except OSError as exc:  # not the stack's user: the reload goes on, and is reported
            print(f"serve: could not ask the running stack to cancel: {exc}", flush=True)
            return
        cancelled.append(signum)
        print(
            "serve: cancelling the reload: the old release goes on serving unless Varnish has "
            "switched to the new one already (then the reload is finished); waiting for the "
            "outcome (Ctrl-C again to stop waiting)",
            flush=True,
        )

    signal.signal(signal.SIGINT, cancel)
    signal.signal(signal.SIGTERM, cancel)
    try:
        os.kill(pid, signal.SIGUSR2)
    except OSError as exc:  # it ended in between, or is not ours to signal
        print(f"serve: could not signal the running stack (pid {pid}): {exc}")
        return 1
    signalled = time.monotonic()
    try:
        # Read again as it waits: the stack says it anew as the reload begins (a longer
        # graceful timeout in the variables' file, say).
        while time.monotonic() < signalled + (seconds := _stack_says(workdir, pid, seconds)):
            status = read_status(workdir)
            if status["generation"] > before:
                return _told(status["problem"], cancelled)
            if running_stack(workdir, say=False) != pid:
                # Stopped or killed meanwhile: no answer will come (it was waited for minutes).
                print(
                    f"serve: the running stack (pid {pid}) exited during the reload: "
                    + (
                        f"see {unit.journal()}; systemd starts it again after a failure "
                        f"(Restart=on-failure), otherwise {unit.systemctl('start')}"
                        if unit
                        else "see its output; start it again with make serve"
                    )
                )
                return 1
            time.sleep(0.2)
    except KeyboardInterrupt:
        print(
            "serve: stopped waiting; the running stack ends the reload on its own (finished, "
            f"or the old release kept): its output says which, and {status_path(workdir)}",
            flush=True,
        )
        return 130
    # Still running, and past what its steps allow: unknown, not failed (say, it could not
    # write reload.json), and the stack ends the reload on its own.
    print(
        f"serve: still reloading after {seconds:g} s, longer than its steps should take "
        f"together: the running stack (pid {pid}) ends the reload on its own (finished, or the "
        "old release kept) and says which in its output "
        f"({unit.journal() if unit else 'where make serve runs'}) and in {status_path(workdir)}"
    )
    return 1


def _stack_says(workdir: Path, pid: int, otherwise: float) -> float:
    """How long the stack with this pid says its reload may take (running.json), or
    `otherwise`: a stack an older release started, or a file it could not write."""
    seconds = (remembered(workdir, pid) or {}).get("reload_seconds")
    return seconds if type(seconds) in (int, float) and seconds > 0 else otherwise


def _told(problem: str, cancelled: list) -> int:
    if problem:
        verb = "stopped" if UNSEEN in problem else "failed"
        print(f"serve: reload {verb}, the old release still serves: {problem}")
        return 1
    if cancelled:
        print("serve: too late to cancel: Varnish had switched to the new release, so the reload")
        print("was finished: the new release serves; the old one ends its requests")
        return 0
    print("serve: reloaded: the new release serves; the old one ends its requests")
    return 0
