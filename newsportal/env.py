"""Typed readers for environment variables.

Every reader raises ImproperlyConfigured naming the variable, so a typo in a deployment fails
at start-up with a message that says what to fix, not somewhere deep in a request.
"""

import os
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


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


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
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
