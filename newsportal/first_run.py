"""The first five minutes on a laptop, as `make run` drives them (no Django needed here).

    python -m newsportal.first_run env .env            .env: debug on, a secret key, a password
    python -m newsportal.first_run port-free HOST PORT  fail early, with a hint, if PORT is taken
    python -m newsportal.first_run announce HOST PORT   once the server answers: URL and login
    python -m newsportal.first_run settings             `make serve`'s first step (see below)

The login is printed last, after the development server's banner, so it is the one thing a new
user reads on the screen, and it stays the same on every run (read from .env).
"""

import os
import secrets
import socket
import sys
import time
from pathlib import Path

DEMO_USER = "editor"
HEADER = """\
# This laptop's settings, written by `make run` on first use and read by newsportal/settings.py
# (variables set in the real environment win). Git ignores this file: keep it to yourself.
"""


def fresh_values() -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DEMO_ADMIN_USER": DEMO_USER,
        # Letters and digits only: copied by a double-click, whatever the terminal.
        "DEMO_ADMIN_PASSWORD": "".join(
            secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(16)
        ),
    }


def write_env_file(path: Path) -> list[str]:
    """Write the file on first use; later, only add what it lacks (a second run keeps the key,
    so sessions survive, the password, and whatever the developer changed). Returns the names
    written."""
    from dotenv import dotenv_values

    present = dotenv_values(path) if path.exists() else None
    missing = {k: v for k, v in fresh_values().items() if k not in (present or {})}
    if not missing:
        return []
    lines = "".join(f"{name}={value}\n" for name, value in missing.items())
    if present is None:
        # Created readable by its owner only: it holds a secret key and a password.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(HEADER + lines)
    else:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("" if text.endswith("\n") or not text else "\n") + lines)
    return list(missing)


def demo_login(env_file: Path) -> tuple[str, str]:
    """The staff login load_demo_content sets: the real environment first, then .env."""
    from dotenv import dotenv_values

    values = dotenv_values(env_file) if env_file.exists() else {}
    user = os.environ.get("DEMO_ADMIN_USER") or values.get("DEMO_ADMIN_USER") or DEMO_USER
    password = os.environ.get("DEMO_ADMIN_PASSWORD") or values.get("DEMO_ADMIN_PASSWORD") or ""
    return user, password


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def announcement(host: str, port: int, user: str, password: str) -> list[str]:
    # Listening on every address (HOST=0.0.0.0): this machine's own is the one to open.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host  # noqa: S104
    site = f"http://{shown}:{port}/"
    return [
        "",
        f"Newsportal is running at {site}  (Ctrl-C stops it; PORT=8001 make run for another port)",
        f"Admin and moderation queue: {site}admin/  user {user}  password {password}",
    ]


def announce(host: str, port: int, env_file: Path, *, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while not answers(host, port):
        if time.monotonic() > deadline:
            return 1
        time.sleep(0.2)
    # The server prints its banner just after it starts listening: come after it.
    time.sleep(0.5)
    print("\n".join(announcement(host, port, *demo_login(env_file))), flush=True)
    return 0


def settings_load() -> int:
    """`make serve` and `make reload` run on the environment alone: a variable missing or wrong
    stops them here with the one line naming it, not at the end of a traceback that starts with
    KeyError: 'collectstatic' (manage.py's, when the settings fail to load)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        import newsportal.settings  # noqa: F401
    except ImproperlyConfigured as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    match argv:
        case ["env", path]:
            write_env_file(Path(path))
            return 0
        case ["port-free", host, port]:
            if answers(host, int(port)):
                print(
                    f"Something already answers on {host}:{port}. Stop it, or pick another "
                    f"port: PORT={int(port) + 1} make run",
                    file=sys.stderr,
                )
                return 1
            return 0
        case ["announce", host, port]:
            return announce(host, int(port), Path(".env"))
        case ["settings"]:
            return settings_load()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
