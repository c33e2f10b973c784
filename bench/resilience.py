"""Nothing lost under load: a burst of comment posts, a database restart in the middle of a read
load, and the per-IP rate limit held by two server processes sharing Redis."""

import json
import re
import secrets
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

from bench.load import get, post
from comments.models import Comment

BURST_PREFIX = "bench-burst"
LOAD_PREFIX = "bench-load"
LIMIT_PREFIX = "bench-limit"


class CommentForm:
    """What a reader's browser holds once site.js has asked for the comment form's missing
    parts: the CSRF cookie, its token and the signed start time, from
    /comments/form-token/<article_id>/ (shared pages carry none of them)."""

    def __init__(self, port: int, article_id: int, *, min_age: float):
        path = f"/comments/form-token/{article_id}/"
        status, headers, body = get(port, path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        data = json.loads(body)
        cookie = next(
            (
                m.group(1)
                for name, value in headers
                if name.lower() == "set-cookie"
                for m in [re.match(rf"{re.escape(settings.CSRF_COOKIE_NAME)}=([^;]+)", value)]
                if m
            ),
            None,
        )
        if cookie is None:
            raise RuntimeError(f"GET {path} set no {settings.CSRF_COOKIE_NAME} cookie")
        self.headers = {"Cookie": f"{settings.CSRF_COOKIE_NAME}={cookie}"}
        self.fields = {
            "csrfmiddlewaretoken": data["csrfmiddlewaretoken"],
            "started": data["started"],
            "name": "Bench Reader",
            "email": "bench-load@example.com",
            "parent": "",
            "website": "",
        }
        # The form refuses a post sooner than COMMENTS_MIN_FORM_SECONDS after it was shown.
        self.ready_at = time.monotonic() + min_age + (0.5 if min_age else 0.0)

    def wait(self) -> "CommentForm":
        time.sleep(max(0.0, self.ready_at - time.monotonic()))
        return self

    def encoded(self) -> str:
        return urlencode(self.fields)

    def with_body(self, body: str) -> str:
        return urlencode({**self.fields, "body": body})


def delete_bench_comments() -> int:
    deleted = 0
    for prefix in (BURST_PREFIX, LOAD_PREFIX, LIMIT_PREFIX):
        deleted += Comment.objects.filter(body__startswith=prefix).delete()[0]
    return deleted


def burst(port: int, article_id: int, *, total: int, clients: int, min_age: float) -> dict:
    """`total` posts from `clients` concurrent readers, each with its own cookie, token and
    start time; every 302 must be exactly one row."""
    run = secrets.token_hex(4)
    path = f"/comments/post/{article_id}/"
    before = Comment.objects.filter(article_id=article_id).count()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        forms = list(
            pool.map(lambda _: CommentForm(port, article_id, min_age=min_age), range(clients))
        )
    for form in forms:
        form.wait()

    def client(n: int) -> list[tuple[str, int | str]]:
        form, results = forms[n], []
        for i in range(n, total, clients):
            marker = f"{BURST_PREFIX}-{run}-{i}"
            try:
                status, _ = post(port, path, form.with_body(marker), form.headers)
            except OSError as exc:
                status = type(exc).__name__
            results.append((marker, status))
        return results

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [r for rs in pool.map(client, range(clients)) for r in rs]
    elapsed = time.monotonic() - started
    after = Comment.objects.filter(article_id=article_id).count()
    rows = Counter(
        Comment.objects.filter(
            article_id=article_id, body__startswith=f"{BURST_PREFIX}-{run}-"
        ).values_list("body", flat=True)
    )
    succeeded = {marker for marker, status in results if status == 302}
    return {
        "port": port,
        "requests": total,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "statuses": dict(Counter(str(status) for _, status in results)),
        "succeeded": len(succeeded),
        "rows_added": after - before,
        "lost": len(succeeded - set(rows)),
        "unexpected_rows": len(set(rows) - succeeded),
        "duplicated_rows": sum(n - 1 for n in rows.values() if n > 1),
    }


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def ensure_postgres_up(version: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _pg_ready():
            return
        time.sleep(0.2)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
    )


def postgres_version() -> str:
    versions = sorted(Path("/etc/postgresql").iterdir(), key=lambda p: int(p.name))
    return versions[-1].name


def outage(targets: dict[str, tuple[int, str, dict]], *, before: float, after: float) -> dict:
    """Read load from a few threads per target (port, path, headers); PostgreSQL restarts in
    the middle."""
    records: list[tuple[str, float, float, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def reader(kind: str, port: int, path: str, headers: dict):
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                status = str(get(port, path, headers, timeout=15)[0])
            except OSError as exc:
                status = type(exc).__name__
            with lock:
                records.append((kind, t0, time.monotonic(), status))

    threads = [
        threading.Thread(target=reader, args=(kind, *target), daemon=True)
        for kind, target in targets.items()
        for _ in range(3)
    ]
    origin = time.monotonic()
    for thread in threads:
        thread.start()
    version = postgres_version()
    try:
        time.sleep(before)
        restart_at = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=False,
            capture_output=True,
        )
        ensure_postgres_up(version)
        db_up_at = time.monotonic()
        time.sleep(after)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        ensure_postgres_up(version)

    by_kind = {}
    for kind in targets:
        mine = [r for r in records if r[0] == kind]
        failed = [r for r in mine if r[3] != "200"]
        port, path, _ = targets[kind]
        report = {
            "port": port,
            "path": path,
            "requests": len(mine),
            "failed": len(failed),
            "failed_by_status": dict(Counter(r[3] for r in failed)),
        }
        if failed:
            first, last = min(r[1] for r in failed), max(r[2] for r in failed)
            report.update(
                first_failure_s=round(first - origin, 2),
                failing_for_s=round(last - first, 2),
                recovered_s_after_db_up=round(max(0.0, last - db_up_at), 2),
            )
        by_kind[kind] = report
    return {
        "postgres_version": version,
        "restart_at_s": round(restart_at - origin, 2),
        "restart_took_s": round(db_up_at - restart_at, 2),
        "targets": by_kind,
    }


def shared_rate_limit(ports: list[int], article_id: int, form: CommentForm, *, limit: int) -> dict:
    """Alternate posts between the servers: the (limit+1)th must be refused with 429."""
    run = secrets.token_hex(4)
    path = f"/comments/post/{article_id}/"
    statuses = []
    for i in range(limit + 2):
        port = ports[i % len(ports)]
        status, _ = post(port, path, form.with_body(f"{LIMIT_PREFIX}-{run}-{i}"), form.headers)
        statuses.append({"port": port, "status": status})
    codes = [s["status"] for s in statuses]
    return {
        "limit": limit,
        "posts": statuses,
        "holds": codes[:limit] == [302] * limit and all(c == 429 for c in codes[limit:]),
    }
