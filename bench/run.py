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

from bench.report import evaluate, figures, log, print_table

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
