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
import shutil
import sys
import time
from datetime import UTC, datetime

from bench.report import evaluate, figures, log, print_table
from bench.setup import (
    BROWSER,
    RATE_LIMIT_FOR_CHECK,
    RESULTS,
    ROOT,
    config,
    flush_redis,
    load_average,
    prepare_database,
    server_env,
    write_static_copy,
)


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
    from bench.load import Scenario, Server, Stack, measure, measure_beside

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

    def run(scenario: Scenario, beside: Scenario | None = None, **overrides) -> dict:
        log(f"  {scenario.label} ..." + (f" (in turns with {beside.label})" if beside else ""))
        before = stack.varnish_counters() if stack and scenario.via == "proxy" else {}
        if beside:
            row = measure_beside(scenario, beside, **{**timing, **overrides})
        else:
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
        # Every origin page is compared with it measured in turns with that page (beside=).
        ok = Scenario("django_ok", "2 Django 'ok' view, full middleware", origin, "/bench/ok")
        run(ok)
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
            ),
            beside=ok,
        )
        run(
            Scenario(
                "article_logged_in_origin",
                "4b article, logged-in (200 comments, 10 links)",
                origin,
                article,
                reader_cookie,
            ),
            beside=ok,
        )
        run(
            Scenario(
                "home_logged_in_origin", "5a home page, logged-in", origin, "/", reader_cookie
            ),
            beside=ok,
        )
        run(
            Scenario(
                "section_logged_in_origin",
                "5b section page, logged-in",
                origin,
                facts["section_path"],
                reader_cookie,
            ),
            beside=ok,
        )
        run(
            Scenario(
                "search_logged_in_origin",
                f"6 search '{facts['search_word']}', logged-in",
                origin,
                f"/search/?q={facts['search_word']}",
                reader_cookie,
            ),
            beside=ok,
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
        ok_rps = row.get("beside", {}).get("rps", base)
        row["ratio"] = None if key in ("wsgi_ok", "django_ok") else row["rps"] / ok_rps
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
