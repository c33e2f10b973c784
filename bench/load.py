"""Servers under test and the load tool (wrk) that drives them, pinned to separate cores when the
machine has more than one: the production stack (deploy/serve.py: Varnish in front of gunicorn
with the committed config), or gunicorn alone."""

import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_DIR = Path(__file__).resolve().parent / "wrk"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SERVE = ROOT / "deploy" / "serve.py"
PRIME_REQUESTS = 12
VARNISH_COUNTERS = (
    "client_req",
    "cache_hit",
    "cache_hit_grace",
    "cache_miss",
    "s_pass",
    "backend_req",
)


def cores() -> tuple[list[str], list[str]]:
    """taskset prefixes for (server, load tool): core 0 serves, core 1 loads."""
    if os.environ.get("BENCH_PIN", "1") == "0" or (os.cpu_count() or 1) < 2:
        return [], []
    return ["taskset", "-c", "0"], ["taskset", "-c", "1"]


def _launch(command: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    server_cpu, _ = cores()
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [*server_cpu, *command],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_ready(process, ports: list[int], path: str, timeout: float, what: str) -> None:
    """Until every port answers path with 200; raises if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited")
        try:
            if all(get(port, path)[0] == 200 for port in ports):
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer {path}")


class _Supervised:
    """A server process of the benchmark's, started in its own session on the server core."""

    process: subprocess.Popen | None
    log_path: Path

    def _start(self, command, env, ports, ready_path, timeout, what):
        env.pop("GUNICORN_BIND", None)
        self.process = _launch(command, env, self.log_path)
        try:
            _wait_ready(self.process, ports, ready_path, timeout, f"{what} (see {self.log_path})")
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # gunicorn, and serve.py (which stops Varnish and gunicorn), stop gracefully on SIGTERM.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Server(_Supervised):
    app: str
    port: int
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self, ready_path: str = "/healthz", timeout: float = 60) -> "Server":
        env = {**self.env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        command = [str(GUNICORN), "-c", "gunicorn.conf.py", self.app]
        return self._start(
            command, env, [self.port], ready_path, timeout, f"{self.app} :{self.port}"
        )

    def worker_rss_kib(self) -> dict[int, int]:
        """VmRSS of each worker (the master's children), in KiB."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {int(child): _vm_rss(int(child)) for child in children}

    def master_rss_kib(self) -> int:
        return _vm_rss(self.process.pid)


@dataclass
class Stack(_Supervised):
    """deploy/serve.py as `make serve` runs it: Varnish on `port` in front of gunicorn on
    `backend_port` (both children of serve.py, pinned with it to the server core)."""

    port: int
    backend_port: int
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> "Stack":
        env = {
            **self.env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "BACKEND_PORT": str(self.backend_port),
        }
        # The venv's Python: serve.py starts the gunicorn next to it.
        command = [sys.executable, str(SERVE)]
        ports = [self.backend_port, self.port]
        return self._start(command, env, ports, "/healthz", timeout, f"serve.py :{self.port}")

    def _children(self, pid: int) -> list[int]:
        try:
            return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def _named(self, name: str) -> list[int]:
        return [
            pid
            for pid in self._children(self.process.pid)
            if name in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        ]

    def memory_kib(self) -> dict:
        """VmRSS of gunicorn's master and each worker, and of Varnish (manager and child)."""
        masters = self._named("gunicorn")
        varnish = self._named("varnishd")
        workers = {pid: _vm_rss(pid) for m in masters for pid in self._children(m)}
        varnish_pids = varnish + [c for v in varnish for c in self._children(v)]
        return {
            "workers": workers,
            "master": sum(_vm_rss(pid) for pid in masters),
            "varnish": sum(_vm_rss(pid) for pid in varnish_pids),
        }

    def varnish_counters(self) -> dict[str, int]:
        """Varnish's own counters (hits, misses, passes, backend requests), for telling how a
        scenario was answered; empty when varnishstat cannot read them."""
        workdir = self.env.get("PROXY_WORKDIR")
        if not workdir:
            return {}
        fields = [arg for name in VARNISH_COUNTERS for arg in ("-f", f"MAIN.{name}")]
        try:
            completed = subprocess.run(
                ["varnishstat", "-n", str(Path(workdir) / "varnish"), "-1", "-j", *fields],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            data = json.loads(completed.stdout)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return {}
        counters = data.get("counters", data)
        return {
            name: counters[f"MAIN.{name}"]["value"]
            for name in VARNISH_COUNTERS
            if f"MAIN.{name}" in counters
        }


def _vm_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def get(port: int, path: str, headers: dict | None = None, timeout: float = 10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def post(port: int, path: str, body: str, headers: dict, timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            "POST",
            path,
            body=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


@dataclass
class Scenario:
    name: str
    label: str
    port: int
    path: str
    headers: dict = field(default_factory=dict)
    # For a POST scenario: (path, url-encoded fields, body marker) handed to post.lua.
    post: tuple[str, str, str] | None = None
    ok_statuses: tuple[int, ...] = (200,)
    # Through the front proxy, or straight to gunicorn.
    via: str = "gunicorn"


def wrk(scenario: Scenario, *, seconds: float, connections: int) -> dict:
    """One wrk run: requests/s, latency percentiles (ms) and responses by status."""
    _, load_cpu = cores()
    script = (WRK_DIR / "stats.lua").read_text()
    args = []
    if scenario.post:
        script += "\n" + (WRK_DIR / "post.lua").read_text()
        # A fresh marker per wrk run: a body posted again (warm-up, repeats) is a duplicate.
        path, fields, marker = scenario.post
        args = ["--", path, fields, f"{marker}-{secrets.token_hex(3)}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        script_path = handle.name
    header_args = [
        arg for name, value in scenario.headers.items() for arg in ("-H", f"{name}: {value}")
    ]
    command = [
        *load_cpu,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        script_path,
        *header_args,
        f"http://127.0.0.1:{scenario.port}{scenario.path}",
        *args,
    ]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        os.unlink(script_path)
    line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed for {scenario.name}: {completed.stdout}{completed.stderr}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    statuses = {int(code): n for code, n in data["statuses"].items()}
    socket_errors = sum(v for k, v in data["errors"].items() if k != "status")
    unexpected = sum(n for code, n in statuses.items() if code not in scenario.ok_statuses)
    return {
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "p50_ms": data["latency_us"]["p50"] / 1000,
        "p90_ms": data["latency_us"]["p90"] / 1000,
        "p99_ms": data["latency_us"]["p99"] / 1000,
        "requests": data["requests"],
        "bytes_per_response": data["bytes"] / max(1, data["requests"]),
        "statuses": statuses,
        "unexpected": unexpected,
        "socket_errors": socket_errors,
    }


def measure(
    scenario: Scenario,
    *,
    warmup: float,
    repeats: int,
    seconds: float,
    connections: int,
    prime: bool = True,
) -> dict:
    """Warm up, then `repeats` runs; the median run (by requests/s) stands for the scenario."""
    _warm(scenario, warmup, connections, prime)
    runs = [wrk(scenario, seconds=seconds, connections=connections) for _ in range(repeats)]
    return _row(scenario, runs, seconds, connections)


def measure_beside(
    scenario: Scenario,
    base: Scenario,
    *,
    warmup: float,
    repeats: int,
    seconds: float,
    connections: int,
) -> dict:
    """`base` and `scenario` take turns, `repeats` runs each, so a ratio between them compares
    figures taken at the same machine speed: a VM's speed drifts over the minutes a benchmark
    takes. The scenario's row, with the base's median beside it."""
    _warm(base, warmup, connections, prime=True)
    _warm(scenario, warmup, connections, prime=True)
    runs, base_runs = [], []
    for _ in range(repeats):
        base_runs.append(wrk(base, seconds=seconds, connections=connections))
        runs.append(wrk(scenario, seconds=seconds, connections=connections))
    row = _row(scenario, runs, seconds, connections)
    row["beside"] = {
        "name": base.name,
        "label": base.label,
        "rps": statistics.median(run["rps"] for run in base_runs),
        "runs": base_runs,
    }
    return row


def _warm(scenario: Scenario, warmup: float, connections: int, prime: bool) -> None:
    if prime and scenario.post is None:
        # Every worker renders a page cold once (templates, caches): do that one request at a
        # time, so no wrk run starts behind a queue of cold renders.
        for _ in range(PRIME_REQUESTS):
            get(scenario.port, scenario.path, scenario.headers, timeout=120)
    if warmup:
        wrk(scenario, seconds=warmup, connections=connections)


def _row(scenario: Scenario, runs: list[dict], seconds: float, connections: int) -> dict:
    statuses: dict[int, int] = {}
    for run in runs:
        for code, n in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    return {
        "label": scenario.label,
        "via": scenario.via,
        "port": scenario.port,
        "path": scenario.path,
        "connections": connections,
        "seconds": seconds,
        "rps": statistics.median(run["rps"] for run in runs),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
        "bytes_per_response": statistics.median(run["bytes_per_response"] for run in runs),
        "statuses": statuses,
        "non_2xx": sum(run["unexpected"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "runs": runs,
    }
