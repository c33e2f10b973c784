"""Settings made of several variables, or of one variable and what follows from it: the secret
keys, the site's address, the database, the cache, the mail queue and the mail server's TLS.
newsportal/settings.py calls these; like env.py's typed readers, each raises
ImproperlyConfigured naming the variable at fault."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from newsportal.env import env_bool, env_database, env_int, env_list, env_str, env_url


def env_secret_keys(*, debug: bool) -> tuple[str, list[str], list[str]]:
    """DJANGO_SECRET_KEY, DJANGO_SECRET_KEY_FALLBACKS and DJANGO_SECRET_KEYS_HASH_ONLY."""
    key = env_str("DJANGO_SECRET_KEY")
    if not key:
        if not debug:
            raise ImproperlyConfigured(
                "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
                "(generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )
        # Only reachable with DEBUG on, which is never a production configuration.
        key = "django-insecure-local-development-only"
    # The keys before a rotation: what was signed (mailed links) or hashed (erased addresses)
    # with them still checks out. Leave a leaked key out: what its holder signs would still be
    # believed.
    fallbacks = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])
    # A leaked key, left out of the fallbacks: only to recognise what was hashed under it (an
    # erased address's blocks and stop of all mail), never to believe what it signed.
    hash_only = env_list("DJANGO_SECRET_KEYS_HASH_ONLY", [])
    for name, keys in (
        ("DJANGO_SECRET_KEY_FALLBACKS", fallbacks),
        ("DJANGO_SECRET_KEYS_HASH_ONLY", hash_only),
    ):
        if key in keys:
            raise ImproperlyConfigured(
                f"{name} must hold the keys used before DJANGO_SECRET_KEY (the old key goes "
                "there), not DJANGO_SECRET_KEY itself"
            )
    return key, fallbacks, hash_only


def env_site_url() -> str:
    """SITE_URL, the absolute base of feeds, sitemaps, share links and e-mails, without the
    final slash."""
    site_url = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("https", "http")).rstrip("/")
    if any(urlsplit(site_url)[2:]):
        # Every page is served from the root: a path here would be glued onto each link.
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's address without a path, like https://news.example.com, "
            f"not {site_url!r}"
        )
    return site_url


def env_databases(base_dir: Path) -> dict:
    """DATABASES, from DATABASE_URL (the SQLite file db.sqlite3 when unset),
    DATABASE_CONN_MAX_AGE and DATABASE_CONNECT_TIMEOUT."""
    database = env_database(
        "DATABASE_URL",
        f"sqlite:///{base_dir / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
    # Read whatever the engine, so a bad value stops start-up before the day it moves to
    # PostgreSQL.
    connect_timeout = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})
        database["OPTIONS"].setdefault("connect_timeout", connect_timeout)
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite cannot share persistent connections between threads safely under runserver.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return {"default": database}


def env_caches(redis_url: str) -> dict:
    """CACHES: Redis when shared between processes (REDIS_URL, CACHE_KEY_PREFIX), otherwise
    one per process."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsportal"),
                "TIMEOUT": 600,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsportal",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }


def env_mail_queue(*, debug: bool) -> tuple[str, dict]:
    """MAIL_QUEUE, and the TASKS setting it chooses. Every mail is a task row written in the
    transaction of the change that causes it, sent by `manage.py db_worker` (beside gunicorn
    under `make serve`) and retried while the mail server is away; "immediate" sends after
    commit in the process (`make run`'s console), DEBUG's default."""
    queue = env_str("MAIL_QUEUE", "immediate" if debug else "database")
    if queue not in ("database", "immediate"):
        raise ImproperlyConfigured(f"MAIL_QUEUE must be database or immediate, not {queue!r}")
    backend = (
        "django_tasks_db.DatabaseBackend"
        if queue == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    )
    return queue, {"default": {"BACKEND": backend, "QUEUES": ["mail", "purge"]}}


def env_email_tls() -> tuple[bool, bool]:
    """EMAIL_USE_TLS and EMAIL_USE_SSL, which exclude each other."""
    use_tls = env_bool("EMAIL_USE_TLS", False)
    use_ssl = env_bool("EMAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: STARTTLS (usually port 587) or "
            "implicit TLS (usually port 465), not both"
        )
    return use_tls, use_ssl
