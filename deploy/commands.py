"""What serve.py starts beside Varnish, and with which variables: gunicorn (the committed
gunicorn.conf.py), the mail worker, and `manage.py check --deploy` as gunicorn would run it."""

import os
import subprocess
import sys
from pathlib import Path

from newsportal.env import env_list

BASE_DIR = Path(__file__).resolve().parent.parent


def gunicorn_command(cfg: dict) -> list[str]:
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(BASE_DIR / "gunicorn.conf.py"),
        cfg["wsgi_app"],
    ]


def worker_command() -> list[str]:
    return [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "db_worker",
        "--queue-name",
        "mail,purge",
        "--no-reload",
        "--interval",
        "1",
    ]


def gunicorn_env(cfg: dict) -> dict:
    """The stack's whole environment, and serve.py's own choices over it. Whole, since the site
    is configured from its environment, and not only by README's variables: libpq reads PG*
    (PGSSLROOTCERT), OpenSSL SSL_CERT_FILE, the C library TZ; a list of ours would drop one a
    deployment relies on, without a word. Two that gunicorn reads itself, and that would undo
    the stack, config() refuses (config.UNDOING). Without what serve.py took from the
    variables' file (cfg["environ"], reload_config.stack_config): gunicorn and each command
    read that file themselves, as it reads when they start."""
    env = dict(cfg.get("environ", os.environ))
    # The variables' file names this Varnish too, for commands run by hand: sent once.
    own = cfg["purge_url"].rstrip("/")
    others = [url for url in env_list("FRONT_CACHE_PURGE_URLS", []) if url.rstrip("/") != own]
    purge_urls = [cfg["purge_url"], *others]
    env.update(
        # Only Varnish talks to gunicorn.
        GUNICORN_BIND=f"127.0.0.1:{cfg['backend_port']}",
        SITE_URL=cfg["site_url"],
        FRONT_CACHE_PURGE_URLS=",".join(purge_urls),
        # Varnish overwrites X-Forwarded-For with the reader's address.
        COMMENTS_CLIENT_IP_HEADER="X-Forwarded-For",
        # Mail is queued in the database and sent by the worker started beside gunicorn.
        MAIL_QUEUE="database",
    )
    return env


def check_deploy(cfg: dict) -> int:
    """`manage.py check --deploy` with the variables gunicorn gets: SITE_URL made from HOST and
    PORT when unset, so a warning names the address this stack serves (run alone, the
    settings' default is port 8000's)."""
    # --database: DATABASE_URL is connected to too (newsportal.E002), before migrate needs it.
    check = ["check", "--deploy", "--database", "default"]
    command = [sys.executable, str(BASE_DIR / "manage.py"), *check]
    return subprocess.run(command, cwd=BASE_DIR, env=gunicorn_env(cfg)).returncode
