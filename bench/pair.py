"""`make bench-pair`: one origin ratio measured without drift. This machine's speed moves over
the minutes a full `make bench` takes, and with it the Django "ok" view every origin ratio is
divided by; here "ok" and one page take turns on the same gunicorn (pinned as `make bench` pins
it), and each turn's ratio is printed with their median.

Environment: as `make bench` (DATABASE_URL, BENCH_REDIS_URL, BENCH_PORT, BENCH_PIN), plus
PAIR_PATH (default: the article under test), PAIR_LOGGED_IN=1 (as the benchmark's reader),
PAIR_ROUNDS (default 4) and PAIR_SECONDS (default 4).
"""

import os
import statistics

from bench.report import log
from bench.setup import RESULTS, config, env_int, prepare_database, server_env


def main() -> None:
    cfg = config()
    env = server_env(cfg)
    os.environ.update(env)
    RESULTS.mkdir(exist_ok=True)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench import checks, seed
    from bench.load import Scenario, Server, wrk

    facts = prepare_database(cfg)
    call_command("collectstatic", "--noinput", verbosity=0)
    path = os.environ.get("PAIR_PATH") or facts["article_path"]
    headers = {}
    if os.environ.get("PAIR_LOGGED_IN") == "1":
        cookie = checks.session_cookie(seed.READER)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    connections.close_all()
    rounds, seconds = env_int("PAIR_ROUNDS", 4), env_int("PAIR_SECONDS", 4)
    port = cfg["backend_port"]
    ok = Scenario("django_ok", "Django 'ok' view", port, "/bench/ok")
    page = Scenario("page", path, port, path, headers)
    server = Server("bench.wsgi", port, env, RESULTS / "pair-server.log").start()
    try:
        for scenario in (ok, page):  # every worker warm before the first turn
            wrk(scenario, seconds=2, connections=cfg["connections"])
        ratios = []
        for turn in range(1, rounds + 1):
            ok_rps = wrk(ok, seconds=seconds, connections=cfg["connections"])["rps"]
            page_rps = wrk(page, seconds=seconds, connections=cfg["connections"])["rps"]
            ratios.append(page_rps / ok_rps)
            log(
                f"turn {turn}: ok {ok_rps:.0f} req/s, {path} {page_rps:.0f} req/s: {ratios[-1]:.3f}"
            )
    finally:
        server.stop()
    who = "logged-in" if headers else "anonymous"
    log(f"{path} ({who}) / 'ok', median of {rounds} turns: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
