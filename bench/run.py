"""`make bench`: seed (or reuse) the bench database, serve the site as `make serve` does (Varnish
in front of gunicorn, deploy/serve.py), drive it with wrk through the proxy and straight to
gunicorn, run the nothing-lost checks, print the table and targets, and write everything to
bench-results/<timestamp>.json (and latest.json).

Environment: DATABASE_URL (a database whose name contains "bench"; default
postgres://postgres@127.0.0.1:5432/newsportal_bench), BENCH_REDIS_URL (default
redis://127.0.0.1:6379/13, flushed at start), BENCH_QUICK=1 (short runs), BENCH_RESEED=1,
BENCH_SKIP_OUTAGE=1 (no PostgreSQL restart), BENCH_PIN=0 (no taskset), BENCH_CONNECTIONS,
BENCH_SECONDS, BENCH_REPEATS, BENCH_SPIKE_CONNECTIONS, BENCH_SPIKE_SECONDS, BENCH_PORT (the
proxy; gunicorn listens on the next port, the bare WSGI app on the one before).
"""

import json
import os
import secrets
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsportal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
RATE_LIMIT_FOR_CHECK = 5
# Every request of the benchmark comes from 127.0.0.1: the proxy's per-address throttles
# (comment posts per minute, requests reaching Django per second) are raised out of the way.
PROXY_LIMIT = "1000000000"
# What the proxy scenarios send, as every browser does: the proxy keeps pages gzipped and
# hands them over as they are kept.
BROWSER = {"Accept-Encoding": "gzip"}
STATIC_COPY = "bench-static/article-size.html"

# Targets: (key, scenario, what it is compared with, minimum ratio).
RATIO_TARGETS = [
    ("article_proxy_vs_static", "article_proxy", "static_proxy", 0.8),
    ("article_proxy_vs_ok", "article_proxy", "django_ok", 5.0),
    ("article_anonymous_origin", "article_anonymous_origin", "django_ok", 0.20),
    ("article_logged_in_origin", "article_logged_in_origin", "django_ok", 0.15),
    ("home_logged_in_origin", "home_logged_in_origin", "django_ok", 0.25),
    ("section_logged_in_origin", "section_logged_in_origin", "django_ok", 0.25),
    ("search_logged_in_origin", "search_logged_in_origin", "django_ok", 0.20),
]
SPIKE_P99_MS = 50
QUEUE_MS = 300


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def config() -> dict:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0", "false")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"The benchmark drops and recreates its database; {name!r} does not look like a "
            "bench database (its name must contain 'bench')."
        )
    port = env_int("BENCH_PORT", 8765)
    return {
        "quick": quick,
        "database_url": database_url,
        "database_name": name,
        "redis_url": os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL,
        "connections": env_int("BENCH_CONNECTIONS", 16),
        "seconds": env_int("BENCH_SECONDS", 3 if quick else 10),
        "repeats": env_int("BENCH_REPEATS", 1 if quick else 3),
        "warmup": 2 if quick else 4,
        "spike_connections": env_int("BENCH_SPIKE_CONNECTIONS", 256),
        "spike_seconds": env_int("BENCH_SPIKE_SECONDS", 3 if quick else 10),
        "burst": (200, 20) if quick else (1000, 50),
        "ok_port": port - 1,
        "port": port,
        "backend_port": port + 1,
        "second_port": port + 2,
        "reseed": os.environ.get("BENCH_RESEED") == "1",
        "outage": os.environ.get("BENCH_SKIP_OUTAGE") != "1",
    }


def server_env(cfg: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "COMMENTS_", "GUNICORN_", "PROXY_", "SERVE_", "FRONT_CACHE_", "EDGE_")
        )
        and key not in ("HOST", "PORT", "BACKEND_PORT", "SITE_URL", "WEB_CONCURRENCY")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsportal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_HTTPS="false",
        DATABASE_URL=cfg["database_url"],
        REDIS_URL=cfg["redis_url"],
        SITE_URL=f"http://127.0.0.1:{cfg['port']}",
        MEDIA_ROOT=str(RESULTS / "media"),
        STATIC_ROOT=str(RESULTS / "static"),
        # Raised for the run: one client address posts thousands of comments, each as soon as
        # it has its form.
        COMMENTS_RATE_LIMIT="1000000000",
        COMMENTS_FLOOD_SECONDS="0",
        COMMENTS_MIN_FORM_SECONDS="0",
        # deploy/serve.py: the bench app (the site plus /bench/ok) behind the proxy.
        SERVE_WSGI_APP="bench.wsgi",
        PROXY_WORKDIR=f"/tmp/newsportal-bench-varnish-{cfg['port']}",  # noqa: S108
        PROXY_POST_LIMIT=PROXY_LIMIT,
        PROXY_MISS_LIMIT=PROXY_LIMIT,
    )
    return env


def log(message: str) -> None:
    print(message, flush=True)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def prepare_database(cfg: dict) -> dict:
    import psycopg
    from django.core.management import call_command
    from django.db import connections

    from bench import seed

    parts = urlsplit(cfg["database_url"])
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    name = cfg["database_name"]

    def admin(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and not cfg["reseed"]:
        pending = seed.migrations_pending()
        if not pending and seed.stored_signature() == seed.signature():
            log(f"Reusing the seeded database {name}")
            return seed.facts()
        connections.close_all()
    if exists:
        admin(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    log(f"Created database {name}; migrating and seeding")
    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    facts = seed.seed(log=log)
    log(f"  seeded in {time.monotonic() - started:.0f} s")
    return facts


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def write_static_copy(port: int, article_path: str) -> dict:
    """A file of the article page's very bytes, served by the same proxy from the media root
    (a cache hit too, kept and gzipped like the page): what the proxy does at best with a
    response of that size."""
    from django.conf import settings

    from bench.load import get

    status, _, body = get(port, article_path)
    if status != 200:
        raise RuntimeError(f"GET {article_path} through the proxy answered {status}")
    path = Path(settings.MEDIA_ROOT) / STATIC_COPY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    url = settings.MEDIA_URL.rstrip("/") + "/" + STATIC_COPY
    status, _, copy = get(port, url)
    if status != 200 or copy != body:
        raise RuntimeError(f"GET {url} through the proxy answered {status}, {len(copy)} bytes")
    return {"path": url, "bytes": len(body)}


def print_table(results: dict) -> None:
    base = results["scenarios"].get("django_ok", {}).get("rps")
    log("")
    log(
        f"{'scenario':<52} {'via':<8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} "
        f"{'non-2xx':>7} {'errors':>6}"
    )
    for row in results["scenarios"].values():
        ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
        log(
            f"{row['label']:<52} {row['via']:<8} {row['rps']:>8.0f} {row['p50_ms']:>7.1f} "
            f"{row['p99_ms']:>7.1f} {ratio:>6} {row['non_2xx']:>7} {row['socket_errors']:>6}"
        )
    log(
        f"(ratio: to the Django 'ok' view straight to gunicorn, {base or 0:.0f} req/s; non-2xx: "
        "unexpected statuses, a comment post's 302 being its success; errors: wrk socket errors "
        "and timeouts)"
    )
    memory = results.get("memory_kib", {})
    if memory:
        workers = memory["workers"]
        log(
            f"Resident memory per gunicorn worker (VmRSS, after the load): "
            f"{', '.join(f'{kib / 1024:.0f}' for kib in workers.values())} MiB "
            f"(master {memory['master'] / 1024:.0f} MiB; Varnish {memory['varnish'] / 1024:.0f} "
            "MiB)"
        )


def evaluate(results: dict) -> list[dict]:
    targets = []

    def add(key: str, name: str, ok: bool, detail: str) -> None:
        targets.append({"key": key, "name": name, "pass": bool(ok), "detail": detail})

    scenarios = results["scenarios"]
    for key, name, versus, minimum in RATIO_TARGETS:
        row, base = scenarios.get(name), scenarios.get(versus)
        if row is None or base is None:
            continue
        ratio = row["rps"] / base["rps"] if base["rps"] else 0.0
        ok = ratio >= minimum
        detail = (
            f"{row['rps']:.0f} req/s = {ratio:.2f} of '{base['label']}' ({base['rps']:.0f} "
            f"req/s; target >= {minimum})"
        )
        if key == "article_proxy_vs_static":
            detail += (
                f"; {row['bytes_per_response']:.0f} vs {base['bytes_per_response']:.0f} B/response"
            )
        if key == "article_logged_in_origin":
            q = results["article_queries"]
            ok = ok and q["constant"]
            detail += (
                f"; queries with 200 comments and 10 links / 3 comments and 1 link: "
                f"{q['many']['comments_drawn']}/{q['few']['comments_drawn']} with the comment "
                f"list drawn, {q['many']['comments_from_fragment_cache']}/"
                f"{q['few']['comments_from_fragment_cache']} from its fragment cache "
                f"({'constant' if q['constant'] else 'NOT constant'})"
            )
        if key == "search_logged_in_origin":
            plan = results["search_plan"]
            ok = ok and plan["uses_gin_index"]
            index = "uses" if plan["uses_gin_index"] else "does NOT use"
            detail += f"; EXPLAIN {index} articles_article_search_gin ({plan['matches']} matches)"
        add(key, row["label"], ok, detail)

    spike = scenarios.get("article_proxy_spike")
    if spike:
        errors = spike["non_2xx"] + spike["socket_errors"]
        add(
            "article_proxy_spike",
            spike["label"],
            errors == 0 and spike["p99_ms"] < SPIKE_P99_MS,
            f"{errors} errors (target 0), p99 {spike['p99_ms']:.1f} ms (target < {SPIKE_P99_MS}), "
            f"{spike['rps']:.0f} req/s, {spike['connections']} connections for "
            f"{spike['seconds']} s",
        )

    queue = results.get("moderation_queue")
    if queue:
        p1, p2 = queue["page_1"], queue["page_2"]
        add(
            "moderation_queue",
            "Moderation queue, 20,000 pending: first page",
            p1["status"] == 200 and p1["ms"] < QUEUE_MS and p1["queries"] == p2["queries"],
            f"{p1['ms']:.0f} ms server time (target < {QUEUE_MS}), {p1['queries']} queries "
            f"(page 2: {p2['queries']}), {len(p1['count_queries'])} COUNT queries, "
            f"slowest SQL {p1['slowest_sql_ms']:.1f} ms",
        )
    bad = {
        row["label"]: row["non_2xx"] + row["socket_errors"]
        for row in scenarios.values()
        if row["non_2xx"] + row["socket_errors"]
    }
    add(
        "zero_non_2xx",
        "Zero non-2xx and socket errors in every scenario",
        not bad,
        "none" if not bad else "; ".join(f"{k}: {v}" for k, v in bad.items()),
    )
    burst = results.get("burst")
    if burst:
        add(
            "burst",
            f"Burst of {burst['requests']} comments from {burst['clients']} clients, "
            "through the proxy",
            burst["lost"] == 0
            and burst["unexpected_rows"] == 0
            and burst["duplicated_rows"] == 0
            and burst["succeeded"] == burst["requests"],
            f"{burst['succeeded']} succeeded in {burst['seconds']} s, {burst['rows_added']} rows "
            f"added, lost {burst['lost']}, rows without a success {burst['unexpected_rows']}, "
            f"duplicates {burst['duplicated_rows']}; statuses {burst['statuses']}",
        )
    outage = results.get("outage")
    if outage:
        for kind, report in outage["targets"].items():
            statuses = set(report["failed_by_status"])
            recovered = report.get("recovered_s_after_db_up", 0.0)
            ok = statuses <= {"503"} and recovered <= 5
            detail = (
                f"{report['failed']} of {report['requests']} failed {report['failed_by_status']}"
            )
            if kind == "healthz":
                # Proof the restart really took the database away from the server.
                ok = ok and report["failed"] > 0
                detail += " (must see the outage)"
            if report["failed"]:
                detail += (
                    f" for {report['failing_for_s']} s; recovered {recovered} s after the "
                    "database was back (target <= 5 s, only 503s)"
                )
            add(f"outage_{kind}", f"PostgreSQL restart under load: {kind}", ok, detail)
    limit = results.get("shared_rate_limit")
    if limit:
        codes = ", ".join(f":{p['port']}={p['status']}" for p in limit["posts"])
        add(
            "shared_rate_limit",
            f"Rate limit {limit['limit']}/IP shared by two servers",
            limit["holds"],
            codes,
        )
    return targets


def figures(results: dict) -> dict:
    """Every figure under a stable, flat key, for comparing runs."""
    out = {
        "load_average_at_start": results["load_average_at_start"],
        "load_average_at_end": results["load_average_at_end"],
        "cpu_count": results["cpu_count"],
    }
    scenarios = results["scenarios"]
    for key, row in scenarios.items():
        out[f"{key}.rps"] = round(row["rps"], 1)
        out[f"{key}.p50_ms"] = round(row["p50_ms"], 2)
        out[f"{key}.p99_ms"] = round(row["p99_ms"], 2)
        out[f"{key}.errors"] = row["non_2xx"] + row["socket_errors"]
        out[f"{key}.bytes_per_response"] = round(row["bytes_per_response"])
        if row.get("ratio") is not None:
            out[f"{key}.ratio_to_django_ok"] = round(row["ratio"], 3)
    for key, name, versus, _ in RATIO_TARGETS:
        if name in scenarios and versus in scenarios and versus != "django_ok":
            out[f"{key}.ratio"] = round(scenarios[name]["rps"] / scenarios[versus]["rps"], 3)
    static = results.get("static_copy")
    if static:
        out["article_page.bytes"] = static["bytes"]
        out["static_copy.bytes"] = static["bytes"]
    queries = results.get("article_queries")
    if queries:
        for label in ("many", "few"):
            for mode in ("comments_drawn", "comments_from_fragment_cache"):
                out[f"article_logged_in_queries.{label}.{mode}"] = queries[label][mode]
        out["article_logged_in_queries.constant"] = queries["constant"]
    plan = results.get("search_plan")
    if plan:
        out["search.uses_gin_index"] = plan["uses_gin_index"]
        out["search.matches"] = plan["matches"]
    queue = results.get("moderation_queue")
    if queue:
        out["moderation_queue.page_1.ms"] = round(queue["page_1"]["ms"], 1)
        out["moderation_queue.page_1.queries"] = queue["page_1"]["queries"]
        out["moderation_queue.page_2.queries"] = queue["page_2"]["queries"]
    burst = results.get("burst")
    if burst:
        for name in ("requests", "succeeded", "lost", "unexpected_rows", "duplicated_rows"):
            out[f"burst.{name}"] = burst[name]
        out["burst.seconds"] = burst["seconds"]
    outage = results.get("outage")
    if outage:
        out["outage.restart_took_s"] = outage["restart_took_s"]
        for kind, report in outage["targets"].items():
            out[f"outage.{kind}.requests"] = report["requests"]
            out[f"outage.{kind}.failed"] = report["failed"]
            out[f"outage.{kind}.recovered_s_after_db_up"] = report.get(
                "recovered_s_after_db_up", 0.0
            )
    limit = results.get("shared_rate_limit")
    if limit:
        out["shared_rate_limit.holds"] = limit["holds"]
    for target in results.get("targets", []):
        out[f"target.{target['key']}.pass"] = target["pass"]
    return out


def main() -> None:
    cfg = config()
    env = server_env(cfg)
    os.environ.update(env)
    RESULTS.mkdir(exist_ok=True)
    for tool in ("wrk", "varnishd"):
        if (
            shutil.which(tool) is None
            and shutil.which(tool, path="/usr/sbin:/usr/local/sbin") is None
        ):
            sys.exit(
                f"{tool} is not installed: apt-get install -y wrk varnish varnish-modules "
                "(make bench installs wrk)"
            )

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench import checks, resilience, seed
    from bench.load import Scenario, Server, Stack, measure

    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    load_at_start = load_average()
    log(f"Benchmark {stamp}{' (quick)' if cfg['quick'] else ''}: database {cfg['database_name']}")
    log(f"Load average at the start: {' '.join(map(str, load_at_start))} ({os.cpu_count()} CPUs)")
    facts = prepare_database(cfg)
    call_command("collectstatic", "--noinput", verbosity=0)
    flush_redis(cfg["redis_url"])
    resilience.delete_bench_comments()
    log(
        f"Archive: {facts['articles_published']} published articles ({facts['articles_with_hero']} "
        f"with hero images), {facts['comments']} comments {facts['comments_by_status']}; "
        f"article under test {facts['article_path']}: {facts['article_approved_comments']} "
        f"approved comments, {facts['article_related_links']} related links"
    )

    results = {
        "timestamp": stamp,
        "git_commit": os.popen("git rev-parse --short HEAD").read().strip(),  # noqa: S605
        "config": {k: v for k, v in cfg.items() if k != "database_url"},
        "cpu_count": os.cpu_count(),
        # Other work on the machine skews every figure: keep the load average with them.
        "load_average_at_start": load_at_start,
        "archive": facts,
        "scenarios": {},
    }
    log("In-process: search plan, article page queries, moderation queue")
    results["search_plan"] = checks.search_plan(facts["search_word"])
    results["article_queries"] = checks.article_queries(seed.READER, seed.UNDER_TEST_SLUG)
    results["moderation_queue"] = checks.moderation_queue(seed.ADMIN)
    reader_cookie = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={checks.session_cookie(seed.READER)}"
    }
    connections.close_all()

    timing = {
        "warmup": cfg["warmup"],
        "repeats": cfg["repeats"],
        "seconds": cfg["seconds"],
        "connections": cfg["connections"],
    }
    server_log = RESULTS / f"{stamp}-server.log"
    stack: Stack | None = None

    def run(scenario: Scenario, **overrides) -> dict:
        log(f"  {scenario.label} ...")
        before = stack.varnish_counters() if stack and scenario.via == "proxy" else {}
        row = measure(scenario, **{**timing, **overrides})
        if before:
            time.sleep(1)  # Varnish's threads add up their counters when they go idle
            after = stack.varnish_counters()
            row["varnish"] = {k: after[k] - before[k] for k in after if k in before}
        results["scenarios"][scenario.name] = row
        return row

    log(
        f"Load: wrk -c{cfg['connections']}, warm-up {cfg['warmup']} s, "
        f"{cfg['repeats']} x {cfg['seconds']} s; spike -c{cfg['spike_connections']} for "
        f"{cfg['spike_seconds']} s"
    )
    ok_server = Server("bench.okapp:application", cfg["ok_port"], env, server_log).start("/")
    try:
        run(Scenario("wsgi_ok", "1 bare WSGI 'ok' app (ceiling)", cfg["ok_port"], "/"))
    finally:
        ok_server.stop()

    proxy, origin = cfg["port"], cfg["backend_port"]
    article = facts["article_path"]
    min_age = float(os.environ["COMMENTS_MIN_FORM_SECONDS"])
    stack = Stack(proxy, origin, env, server_log).start()
    log(f"  (deploy/serve.py: Varnish on :{proxy}, gunicorn on :{origin}; log {server_log.name})")
    try:
        results["static_copy"] = write_static_copy(proxy, article)
        run(Scenario("django_ok", "2 Django 'ok' view, full middleware", origin, "/bench/ok"))
        run(
            Scenario(
                "static_proxy",
                f"3a static file of the article's size ({results['static_copy']['bytes']} B)",
                proxy,
                results["static_copy"]["path"],
                BROWSER,
                via="proxy",
            )
        )
        run(
            Scenario(
                "article_proxy",
                "3b article, anonymous, front cache",
                proxy,
                article,
                BROWSER,
                via="proxy",
            )
        )
        run(
            Scenario(
                "article_proxy_spike",
                f"3c spike: {cfg['spike_connections']} connections, article, anonymous",
                proxy,
                article,
                BROWSER,
                via="proxy",
            ),
            warmup=0,
            repeats=1,
            seconds=cfg["spike_seconds"],
            connections=cfg["spike_connections"],
            prime=False,
        )
        run(
            Scenario(
                "article_anonymous_origin",
                "4a article, anonymous, cache miss (200 comments)",
                origin,
                article,
            )
        )
        run(
            Scenario(
                "article_logged_in_origin",
                "4b article, logged-in (200 comments, 10 links)",
                origin,
                article,
                reader_cookie,
            )
        )
        run(
            Scenario("home_logged_in_origin", "5a home page, logged-in", origin, "/", reader_cookie)
        )
        run(
            Scenario(
                "section_logged_in_origin",
                "5b section page, logged-in",
                origin,
                facts["section_path"],
                reader_cookie,
            )
        )
        run(
            Scenario(
                "search_logged_in_origin",
                f"6 search '{facts['search_word']}', logged-in",
                origin,
                f"/search/?q={facts['search_word']}",
                reader_cookie,
            )
        )
        form = resilience.CommentForm(proxy, facts["article_id"], min_age=min_age).wait()
        post_path = f"/comments/post/{facts['article_id']}/"
        run(
            Scenario(
                "comment_post_proxy",
                "7 comment submission (POST, 302)",
                proxy,
                post_path,
                {**form.headers, "Content-Type": "application/x-www-form-urlencoded"},
                post=(post_path, form.encoded(), f"{resilience.LOAD_PREFIX}-{stamp}"),
                ok_statuses=(302,),
                via="proxy",
            )
        )
        results["memory_kib"] = stack.memory_kib()
        removed = resilience.delete_bench_comments()
        log(f"  (removed {removed} comments posted by the load)")

        total, clients = cfg["burst"]
        log(f"Nothing lost: burst of {total} comment posts from {clients} clients (proxy)")
        results["burst"] = resilience.burst(
            proxy, facts["article_id"], total=total, clients=clients, min_age=min_age
        )
        resilience.delete_bench_comments()

        if cfg["outage"]:
            log("Nothing lost: PostgreSQL restart in the middle of a read load, through the proxy")
            connections.close_all()
            results["outage"] = resilience.outage(
                {
                    # Passed to Django: it must answer 503 while the database is away.
                    "logged_in_article": (proxy, article, reader_cookie),
                    # From the front cache, which may serve it through the outage.
                    "anonymous_article": (proxy, article, BROWSER),
                    # Asks the database every time: it must see the outage and the recovery.
                    "healthz": (proxy, "/healthz", {}),
                },
                before=3,
                after=8,
            )
            connections.close_all()
    finally:
        stack.stop()

    log(f"Nothing lost: rate limit {RATE_LIMIT_FOR_CHECK}/IP across two servers sharing Redis")
    limited_env = {
        **env,
        "COMMENTS_RATE_LIMIT": str(RATE_LIMIT_FOR_CHECK),
        "COMMENTS_RATE_WINDOW_SECONDS": "3600",
        "WEB_CONCURRENCY": "2",
    }
    # A fixed window: do not start just before it rolls over.
    if time.time() % 3600 > 3540:
        time.sleep(3600 - time.time() % 3600 + 1)
    flush_redis(cfg["redis_url"])
    servers = [
        Server("bench.wsgi", p, limited_env, server_log).start()
        for p in (cfg["backend_port"], cfg["second_port"])
    ]
    try:
        form = resilience.CommentForm(servers[0].port, facts["article_id"], min_age=min_age).wait()
        results["shared_rate_limit"] = resilience.shared_rate_limit(
            [s.port for s in servers], facts["article_id"], form, limit=RATE_LIMIT_FOR_CHECK
        )
    finally:
        for s in servers:
            s.stop()
    resilience.delete_bench_comments()

    base = results["scenarios"]["django_ok"]["rps"]
    for key, row in results["scenarios"].items():
        row["ratio"] = None if key in ("wsgi_ok", "django_ok") else row["rps"] / base
    results["elapsed_s"] = round(time.monotonic() - started)
    results["load_average_at_end"] = load_average()

    print_table(results)
    q = results["moderation_queue"]["page_1"]
    log(
        f"Search plan: {results['search_plan']['matches']} matches, GIN index "
        f"{'used' if results['search_plan']['uses_gin_index'] else 'NOT used'}; "
        f"moderation queue page 1: {q['ms']:.0f} ms, {q['queries']} queries"
    )
    log(
        f"Load average: {' '.join(map(str, results['load_average_at_start']))} at the start, "
        f"{' '.join(map(str, results['load_average_at_end']))} at the end "
        f"({results['cpu_count']} CPUs)"
    )
    if results["load_average_at_start"][0] > 1.0:
        log(
            f"NOTE: load average {results['load_average_at_start'][0]:.1f} at the start: other "
            "work shared the CPUs"
        )
    log("")
    results["targets"] = evaluate(results)
    for target in results["targets"]:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['detail']}")
    results["figures"] = figures(results)

    path = RESULTS / f"{stamp}.json"
    text = json.dumps(results, indent=2, default=str)
    path.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    log(
        f"\nWrote {path.relative_to(ROOT)} and bench-results/latest.json ({results['elapsed_s']} s)"
    )


if __name__ == "__main__":
    main()
