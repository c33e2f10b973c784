"""`make bench`: seed (or reuse) the bench database, serve the site with the production gunicorn
config, drive it with wrk, run the nothing-lost checks, print the table and targets, and write
everything to bench-results/<timestamp>.json (and latest.json).

Environment: DATABASE_URL (a database whose name contains "bench"; default
postgres://postgres@127.0.0.1:5432/newsportal_bench), BENCH_REDIS_URL (default
redis://127.0.0.1:6379/13, flushed at start), BENCH_QUICK=1 (short runs), BENCH_RESEED=1,
BENCH_SKIP_OUTAGE=1 (no PostgreSQL restart), BENCH_PIN=0 (no taskset), BENCH_CONNECTIONS,
BENCH_SECONDS, BENCH_REPEATS, BENCH_PORT.
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

TARGETS = [
    # (scenario, minimum ratio to the Django "ok" view)
    ("article_cached", 0.85),
    ("article_uncached", 0.25),
    ("home_uncached", 0.30),
    ("section_uncached", 0.30),
    ("search", 0.20),
]


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
        "burst": (200, 20) if quick else (1000, 50),
        "ok_port": port - 1,
        "port": port,
        "second_port": port + 1,
        "reseed": os.environ.get("BENCH_RESEED") == "1",
        "outage": os.environ.get("BENCH_SKIP_OUTAGE") != "1",
    }


def server_env(cfg: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "COMMENTS_", "GUNICORN_"))
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
        # Raised for the run: one client address posts thousands of comments.
        COMMENTS_RATE_LIMIT="1000000000",
        COMMENTS_FLOOD_SECONDS="0",
    )
    return env


def log(message: str) -> None:
    print(message, flush=True)


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


def scenario_rows(results: dict) -> list[tuple]:
    return [(key, value) for key, value in results["scenarios"].items()]


def print_table(results: dict) -> None:
    base = results["scenarios"].get("django_ok", {}).get("rps")
    log("")
    log(
        f"{'scenario':<46} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
        f"{'non-2xx':>7} {'errors':>6}"
    )
    for _key, row in scenario_rows(results):
        ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
        log(
            f"{row['label']:<46} {row['rps']:>8.0f} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {ratio:>6} {row['non_2xx']:>7} {row['socket_errors']:>6}"
        )
    log(
        f"(ratio: to the Django 'ok' view, {base or 0:.0f} req/s; non-2xx: unexpected statuses, "
        "a comment post's 302 being its success; errors: wrk socket errors and timeouts)"
    )
    memory = results.get("memory_kib", {})
    if memory:
        workers = memory["workers"]
        log(
            f"Resident memory per gunicorn worker (VmRSS, after the load): "
            f"{', '.join(f'{kib / 1024:.0f}' for kib in workers.values())} MiB "
            f"(master {memory['master'] / 1024:.0f} MiB)"
        )


def evaluate(results: dict) -> list[tuple[str, bool, str]]:
    lines = []
    scenarios = results["scenarios"]
    for key, minimum in TARGETS:
        row = scenarios.get(key)
        if row is None:
            continue
        ok = row["ratio"] is not None and row["ratio"] >= minimum
        detail = f"{row['ratio']:.2f} of ok (target >= {minimum})"
        if key == "search":
            plan = results["search_plan"]
            ok = ok and plan["uses_gin_index"]
            index = "uses" if plan["uses_gin_index"] else "does NOT use"
            detail += f"; EXPLAIN {index} articles_article_search_gin ({plan['matches']} matches)"
        lines.append((row["label"], ok, detail))
    queue = results.get("moderation_queue")
    if queue:
        p1, p2 = queue["page_1"], queue["page_2"]
        ok = p1["status"] == 200 and p1["ms"] < 300 and p1["queries"] == p2["queries"]
        lines.append(
            (
                "Moderation queue, 20,000 pending: first page",
                ok,
                f"{p1['ms']:.0f} ms server time (target < 300), {p1['queries']} queries "
                f"(page 2: {p2['queries']}), {len(p1['count_queries'])} COUNT queries, "
                f"slowest SQL {p1['slowest_sql_ms']:.1f} ms",
            )
        )
    bad = {
        row["label"]: row["non_2xx"] + row["socket_errors"]
        for row in scenarios.values()
        if row["non_2xx"] + row["socket_errors"]
    }
    lines.append(
        (
            "Zero non-2xx in every scenario",
            not bad,
            "none" if not bad else "; ".join(f"{k}: {v}" for k, v in bad.items()),
        )
    )
    burst = results.get("burst")
    if burst:
        ok = burst["lost"] == 0 and burst["unexpected_rows"] == 0 and burst["duplicated_rows"] == 0
        lines.append(
            (
                f"Burst of {burst['requests']} comments from {burst['clients']} clients",
                ok,
                f"{burst['succeeded']} succeeded, {burst['rows_added']} rows added, "
                f"lost {burst['lost']}, rows without a success {burst['unexpected_rows']}, "
                f"duplicates {burst['duplicated_rows']}; statuses {burst['statuses']}",
            )
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
            lines.append((f"PostgreSQL restart under load: {kind}", ok, detail))
    limit = results.get("shared_rate_limit")
    if limit:
        codes = ", ".join(f":{p['port']}={p['status']}" for p in limit["posts"])
        lines.append(
            (
                f"Rate limit {limit['limit']}/IP shared by two servers",
                limit["holds"],
                codes,
            )
        )
    return lines


def main() -> None:
    cfg = config()
    env = server_env(cfg)
    os.environ.update(env)
    RESULTS.mkdir(exist_ok=True)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (make bench does this)")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench import checks, resilience, seed
    from bench.load import Scenario, Server, measure

    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log(f"Benchmark {stamp}{' (quick)' if cfg['quick'] else ''}: database {cfg['database_name']}")
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
        "load_average_at_start": os.getloadavg(),
        "archive": facts,
        "scenarios": {},
    }
    log("In-process: search plan and moderation queue")
    results["search_plan"] = checks.search_plan(facts["search_word"])
    results["moderation_queue"] = checks.moderation_queue(seed.ADMIN)
    reader_cookie = {"Cookie": f"sessionid={checks.session_cookie(seed.READER)}"}
    connections.close_all()

    timing = {
        "warmup": cfg["warmup"],
        "repeats": cfg["repeats"],
        "seconds": cfg["seconds"],
        "connections": cfg["connections"],
    }
    server_log = RESULTS / f"{stamp}-server.log"

    def run(scenario: Scenario) -> None:
        log(f"  {scenario.label} ...")
        results["scenarios"][scenario.name] = measure(scenario, **timing)

    log(
        f"Load: wrk -c{cfg['connections']}, warm-up {cfg['warmup']} s, "
        f"{cfg['repeats']} x {cfg['seconds']} s"
    )
    ok_server = Server("bench.okapp:application", cfg["ok_port"], env, server_log).start("/")
    try:
        run(Scenario("wsgi_ok", "1 bare WSGI 'ok' app (ceiling)", cfg["ok_port"], "/"))
    finally:
        ok_server.stop()

    server = Server("bench.wsgi", cfg["port"], env, server_log).start()
    try:
        port = cfg["port"]
        article = facts["article_path"]
        search_path = f"/search/?q={facts['search_word']}"
        run(Scenario("django_ok", "2 Django 'ok' view, full middleware", port, "/bench/ok"))
        run(Scenario("article_cached", "3 article, anonymous, page cache warm", port, article))
        run(
            Scenario(
                "article_uncached",
                "4 article, logged-in (200 comments, 10 links)",
                port,
                article,
                reader_cookie,
            )
        )
        run(Scenario("home_uncached", "5a home page, logged-in", port, "/", reader_cookie))
        run(
            Scenario(
                "section_uncached",
                "5b section page, logged-in",
                port,
                facts["section_path"],
                reader_cookie,
            )
        )
        run(
            Scenario(
                "search",
                f"6 search '{facts['search_word']}', logged-in",
                port,
                search_path,
                reader_cookie,
            )
        )
        form = resilience.CommentForm(
            port, article, min_age=settings.COMMENTS_MIN_FORM_SECONDS
        ).wait()
        run(
            Scenario(
                "comment_post",
                "7 comment submission (POST, 302)",
                port,
                f"/comments/post/{facts['article_id']}/",
                {**form.headers, "Content-Type": "application/x-www-form-urlencoded"},
                post=(
                    f"/comments/post/{facts['article_id']}/",
                    form.encoded(),
                    f"{resilience.LOAD_PREFIX}-{stamp}",
                ),
                ok_statuses=(302,),
            )
        )
        results["memory_kib"] = {
            "workers": server.worker_rss_kib(),
            "master": server.master_rss_kib(),
        }
        removed = resilience.delete_bench_comments()
        log(f"  (removed {removed} comments posted by the load)")

        total, clients = cfg["burst"]
        log(f"Nothing lost: burst of {total} comment posts from {clients} clients")
        form = resilience.CommentForm(
            port, article, min_age=settings.COMMENTS_MIN_FORM_SECONDS
        ).wait()
        results["burst"] = resilience.burst(
            port, facts["article_id"], form, total=total, clients=clients
        )
        resilience.delete_bench_comments()

        if cfg["outage"]:
            log("Nothing lost: PostgreSQL restart in the middle of a read load")
            connections.close_all()
            results["outage"] = resilience.outage(
                port,
                {
                    "logged_in_article": (article, reader_cookie),
                    "anonymous_article": (article, {}),
                    # Pages come from the shared cache and may ride out the outage; the health
                    # check asks the database every time, so it must see the outage and the
                    # recovery.
                    "healthz": ("/healthz", {}),
                },
                before=3,
                after=8,
            )
            connections.close_all()
    finally:
        server.stop()

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
        for p in (cfg["port"], cfg["second_port"])
    ]
    try:
        form = resilience.CommentForm(
            cfg["port"], facts["article_path"], min_age=settings.COMMENTS_MIN_FORM_SECONDS
        ).wait()
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
    results["load_average_at_end"] = os.getloadavg()

    print_table(results)
    load = results["load_average_at_start"][0]
    if load > 1.0:
        log(f"NOTE: load average {load:.1f} at the start: other work shared the CPUs")
    q = results["moderation_queue"]["page_1"]
    log(
        f"Search plan: {results['search_plan']['matches']} matches, GIN index "
        f"{'used' if results['search_plan']['uses_gin_index'] else 'NOT used'}; "
        f"moderation queue page 1: {q['ms']:.0f} ms, {q['queries']} queries"
    )
    log("")
    results["targets"] = []
    for name, ok, detail in evaluate(results):
        results["targets"].append({"name": name, "pass": ok, "detail": detail})
        log(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")

    path = RESULTS / f"{stamp}.json"
    text = json.dumps(results, indent=2, default=str)
    path.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    log(
        f"\nWrote {path.relative_to(ROOT)} and bench-results/latest.json ({results['elapsed_s']} s)"
    )


if __name__ == "__main__":
    main()
