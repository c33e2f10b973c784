"""The site each test stack serves: migrated and loaded with the demo content once per test
process, then copied into each stack's directory. Migrating and loading took 20 s a stack, and
about forty stacks start in a run; a copy takes a fraction of a second and gives every stack
the same site, as a fresh `make serve` has."""

import atexit
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import redis

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
# Where each stack differs from the others, and what the loading does not depend on (pytest
# names the test under way in the environment: a key with it would prepare a site per test).
PER_STACK = {
    "PYTEST_CURRENT_TEST",
    "DATABASE_URL",
    "MEDIA_ROOT",
    "CACHE_KEY_PREFIX",
    "HOST",
    "PORT",
    "BACKEND_PORT",
    "RELOAD_BACKEND_PORT",
    "PROXY_PURGE_PORT",
    "PROXY_WORKDIR",
    "SITE_URL",
    "FRONT_CACHE_PURGE_URLS",
}
DATABASE = "proxy.sqlite3"
_prepared: dict[tuple, Path] = {}


def load_site(tmp: Path, env: dict) -> Path:
    """The demo site in `tmp` (its database, returned, and its media): prepared with `env`, a
    stack's variables, and kept for the next stack whose other variables are the same."""
    key = tuple(sorted((name, value) for name, value in env.items() if name not in PER_STACK))
    if key not in _prepared:
        _prepared[key] = _prepare(env)
    site = _prepared[key]
    database = tmp / DATABASE
    with sqlite3.connect(site / DATABASE) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    shutil.copytree(site / "media", tmp / "media", dirs_exist_ok=True)
    return database


def _prepare(env: dict) -> Path:
    site = Path(tempfile.mkdtemp(prefix="newsportal-proxy-site-"))
    atexit.register(shutil.rmtree, site, ignore_errors=True)
    (site / "media").mkdir()
    prefix = f"newsportal-test-site-{uuid.uuid4().hex[:12]}"
    preparing = {
        **env,
        "DATABASE_URL": f"sqlite:///{site / DATABASE}",
        "MEDIA_ROOT": str(site / "media"),
        "CACHE_KEY_PREFIX": prefix,
        # No proxy runs yet: nothing to purge.
        "FRONT_CACHE_PURGE_URLS": "",
    }
    for args in (["migrate", "--noinput", "-v0"], ["load_demo_content"]):
        subprocess.run(
            [*MANAGE, *args], cwd=BASE_DIR, env=preparing, check=True, capture_output=True
        )
    client = redis.Redis.from_url(env["REDIS_URL"])
    if keys := list(client.scan_iter(f"{prefix}:*", count=1000)):
        client.delete(*keys)
    return site
