"""Typed readers for environment variables.

Every reader raises ImproperlyConfigured naming the variable, so a typo in a deployment fails
at start-up with a message that says what to fix, not somewhere deep in a request.
"""

import ipaddress
import os
import re
import sys
import zoneinfo
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values, load_dotenv

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")
# Gunicorn reads SCRIPT_NAME from its environment at each request (deploy/serve.py refuses it).
SCRIPT_NAME_UNDOES = (
    "gunicorn would mount the site under it, moving every link in the pages the proxy keeps for "
    "everyone: the site is served from its root, so unset it"
)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_file(name: str, default: str) -> str:
    """A file of variables to read: the default when unset, none when set empty. One named that
    is not there is a typo (or a missing mount) that would start the site on other settings."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value and (not os.path.exists(value) or os.path.isdir(value)):
        raise ImproperlyConfigured(f"{name} names no file: {value!r} (set it empty for none)")
    return value


def load_env_file(path: str) -> None:
    """The variables' file (none when empty), loaded under the environment: real variables win.
    SCRIPT_NAME, set in either, is refused: the settings are loaded in gunicorn's master
    (preload_app), so the file's would reach the environment gunicorn reads it from, past
    serve.py's refusal; and a gunicorn run on an app machine, not by serve.py, reads it too."""
    if path:
        try:
            load_dotenv(path, override=False)
        except (OSError, ValueError) as exc:  # unreadable, or not UTF-8 (UnicodeDecodeError)
            # Said as any other fault in the variables: serve.py refuses a reload on it, with
            # the old release serving, instead of stopping the stack on a traceback.
            raise ImproperlyConfigured(
                f"the variables' file {path} (NEWSPORTAL_ENV_FILE) cannot be read: {exc}"
            ) from None
    if value := os.environ.get("SCRIPT_NAME"):
        # Read again (Django loads the settings twice after an error): the file, if it says so.
        in_file = path and dotenv_values(path).get("SCRIPT_NAME") == value
        where = f"in {path} (NEWSPORTAL_ENV_FILE)" if in_file else "in the environment"
        raise ImproperlyConfigured(f"SCRIPT_NAME is set ({value!r}) {where}: {SCRIPT_NAME_UNDOES}")


def load_variables_file() -> str:
    """The file NEWSPORTAL_ENV_FILE names (the checkout's .env when unset, none when empty),
    loaded under the environment, and its path. Read first, alike, by everything that reads
    the variables: the settings, gunicorn.conf.py (loaded before the settings, in gunicorn's
    master), deploy/serve.py (before its own), and the Makefile through `python -m
    newsportal.env` (REDIS_URL, and make run's HOST and PORT): a value set only there was taken
    by the settings and not by gunicorn's workers, bind and timeouts, nor by serve.py's ports
    and VCL."""
    path = env_file("NEWSPORTAL_ENV_FILE", str(Path(__file__).resolve().parent.parent / ".env"))
    load_env_file(path)
    return path


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str = "", *, schemes: tuple[str, ...]) -> str:
    """A URL with one of these schemes and a host (or a socket path); the default when unset
    or set empty (as env_bool and env_int do)."""
    value = os.environ.get(name, "").strip() or default
    return _checked_url(name, value, schemes) if value else ""


def env_url_list(name: str, *, schemes: tuple[str, ...]) -> list[str]:
    """Comma-separated URLs, each checked as env_url checks one."""
    return [_checked_url(name, item, schemes) for item in env_list(name, [])]


def _checked_url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.netloc or parts.scheme == "unix"):
        raise ImproperlyConfigured(
            f"{name} must be a URL like {schemes[0]}://host..., not {value!r}"
        )
    return value


def env_time_zone(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as Europe/Lisbon, not {value!r}"
        ) from None
    return value


def canonical_ip(text: str) -> str | None:
    """An address as we compare and keep it: canonical, and an IPv4 address reaching a
    dual-stack socket (::ffff:192.0.2.1) as itself. None for anything else."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return str(getattr(address, "ipv4_mapped", None) or address)


def env_ips(name: str, default: list[str]) -> list[str]:
    """IP addresses, canonical, as comments.ratelimit compares a request's address."""
    addresses = env_list(name, default)
    bad = [item for item in addresses if canonical_ip(item) is None]
    if bad:
        raise ImproperlyConfigured(f"{name} must be IP addresses separated by commas: {bad[0]!r}")
    return [canonical_ip(item) for item in addresses]


def env_email(name: str, default: str) -> str:
    """One address, bare or as `Name <address>` (none, for an optional one whose default is "")."""
    value = os.environ.get(name, "").strip() or default
    if value:
        _check_email(name, value)
    return value


def env_emails(name: str, default: list[str]) -> list[str]:
    """Addresses (bare or `Name <address>`) separated by commas."""
    values = env_list(name, default)
    for value in values:
        _check_email(name, value)
    return values


def _check_email(name: str, value: str) -> None:
    # What a mail server takes, not a web form's rules: "noreply@mailhost" is an address. And
    # all of the value: parseaddr reads "a@b.c;d@e.f" as a@b.c, but Django's send refuses what
    # is left over (ValueError), so every mail to it was dropped.
    address = parseaddr(value)[1]
    whole = value.strip() == address or value.strip().endswith(f"<{address}>")
    if not (whole and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", address)):
        several = " (separate addresses with commas)" if value.count("@") > 1 else ""
        raise ImproperlyConfigured(f"{name} must hold e-mail addresses, not {value!r}{several}")


def env_hosts(name: str, default: list[str]) -> list[str]:
    """Host names as ALLOWED_HOSTS takes them: no scheme, path or port."""
    values = env_list(name, default)
    for value in values:
        if "/" in value or (":" in value and not value.startswith("[")):
            raise ImproperlyConfigured(
                f"{name} must hold host names such as news.example.com (no scheme, path or "
                f"port), not {value!r}"
            )
    return values


def env_url_path(name: str, default: str) -> str:
    """Where files are served: a path such as /media/, or a whole URL (another host serves
    them); ends with a slash."""
    value = os.environ.get(name, "").strip() or default
    whole = urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc
    if not ((value.startswith("/") or whole) and value.endswith("/")):
        raise ImproperlyConfigured(
            f"{name} must be a path like /media/ or a URL like https://media.example.com/ "
            f"(ending with a slash), not {value!r}"
        )
    return value


def env_database(name: str, default: str, *, conn_max_age: int) -> dict:
    """Django's DATABASES["default"] from a URL. Set empty is refused, not taken for the default:
    a placeholder left blank would start the site on an empty SQLite file in the checkout. The
    error shows the scheme at most, never the URL: it holds the password."""
    import dj_database_url

    value = os.environ.get(name)
    if value is not None and not value.strip():
        raise ImproperlyConfigured(
            f"{name} is set empty: give the database's URL, like {_DATABASE_EXAMPLE}, or leave "
            "it unset for the SQLite file db.sqlite3"
        )
    url = default if value is None else value.strip()
    scheme = urlsplit(url).scheme if "://" in url else ""
    try:
        if not scheme:
            raise ValueError("no scheme")
        # Re-check a persistent connection before each request, so the site recovers by itself
        # after the database restarts.
        return dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError:
        said = f"no database is known by {scheme}://" if scheme else "it has no scheme"
        raise ImproperlyConfigured(
            f"{name} is not a valid database URL ({said}): give one like {_DATABASE_EXAMPLE} "
            "or sqlite:////srv/newsportal/db.sqlite3"
        ) from None


_DATABASE_EXAMPLE = "postgres://user:password@host:5432/name"


def env_redis_url(name: str) -> str:
    """A Redis URL whose database is a number. redis-py reads any other path (/O for /0, /cache)
    as database 0, silently: perhaps another site's, whose keys share our default prefix."""
    value = env_url(name, schemes=("redis", "rediss", "unix"))
    if not value:  # none: each process keeps a cache of its own
        return value
    from redis.connection import parse_url

    database = "" if value.startswith("unix:") else urlsplit(value).path.strip("/")
    if database and not database.isdigit():
        raise ImproperlyConfigured(
            f"{name} must name its database by number, like redis://host:6379/0, not {database!r}"
        )
    try:
        parse_url(value)  # a query value it cannot read (?db=one, ?socket_timeout=soon)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None
    return value


def env_log_level(name: str) -> str:
    value = (env_str(name) or "INFO").upper()  # empty, as unset
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ImproperlyConfigured(
            f"{name} must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {value!r}"
        )
    return value


def env_image_max_bytes() -> int:
    """IMAGE_MAX_BYTES, the largest picture an editor may upload, read alike by Django's settings
    and by deploy/serve.py, whose proxy must let a form holding one through. 30 MB by default:
    a 48-megapixel phone JPEG is often over 10 MB, and a camera's 25-30 MB."""
    return env_int("IMAGE_MAX_BYTES", 30 * 1024 * 1024, minimum=1024)


# The headers CDNs read a page's purge keys from, and how each separates them.
SURROGATE_KEY_HEADERS = {
    "surrogate-key": ("Surrogate-Key", " "),  # Fastly (and our Varnish, which reads it anyway)
    "cache-tag": ("Cache-Tag", ","),  # Cloudflare
    "edge-cache-tag": ("Edge-Cache-Tag", ","),  # Akamai
}


def env_surrogate_key_header() -> str:
    """EDGE_SURROGATE_KEY_HEADER, the header a CDN in front reads a page's keys from, read alike
    by Django's settings (which write it) and by deploy/serve.py (whose Varnish then passes it
    on instead of keeping the keys to itself); "" for none (no CDN, or one that cannot purge)."""
    name = "EDGE_SURROGATE_KEY_HEADER"
    value = env_str(name).strip()
    if not value:
        return ""
    if value.lower() not in SURROGATE_KEY_HEADERS:
        spellings = ", ".join(header for header, _ in SURROGATE_KEY_HEADERS.values())
        raise ImproperlyConfigured(
            f"{name} must be one of {spellings} (the header your CDN reads purge keys from), "
            f"or empty, not {value!r}"
        )
    return SURROGATE_KEY_HEADERS[value.lower()][0]


if __name__ == "__main__":
    # The Makefile's reading (make serve's REDIS_URL, make run's HOST and PORT): NAME=value for
    # each name asked for that the environment or the variables' file sets; nothing when the
    # file cannot be read (the settings then stop the start, naming the fault).
    try:
        load_variables_file()
    except ImproperlyConfigured:
        sys.exit(1)
    for name in sys.argv[1:]:
        if value := os.environ.get(name):
            print(f"{name}={value}")
