"""What `make bench` sets up before it measures: its settings from the environment, the
servers' environment, the seeded database, a clean Redis db and the static copy of the article."""

import os
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.report import log

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


def server_sql(database_url: str, sql: str, params: list | None = None) -> tuple | None:
    """One statement on the maintenance database of DATABASE_URL's server, in autocommit (CREATE
    and DROP DATABASE refuse a transaction); its first row, if it returns rows."""
    import psycopg

    admin_url = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def prepare_database(cfg: dict) -> dict:
    from django.core.management import call_command
    from django.db import connections

    from bench import seed

    url, name = cfg["database_url"], cfg["database_name"]
    exists = server_sql(url, "SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if exists and not cfg["reseed"]:
        pending = seed.migrations_pending()
        if not pending and seed.stored_signature() == seed.signature():
            log(f"Reusing the seeded database {name}")
            return seed.facts()
        connections.close_all()
    if exists:
        server_sql(url, f'DROP DATABASE "{name}" WITH (FORCE)')
    server_sql(url, f'CREATE DATABASE "{name}"')
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
