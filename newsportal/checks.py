"""System checks that ask the services a deployment names, for `manage.py check --deploy`.

Deploy-tagged, or asked for the databases (`--database default`, and migrate's own checks):
ordinary commands, the test suite and start-up never wait on the network."""

import contextlib
import contextvars
import os
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.db import connections

# The cache's 1 s socket timeouts do not bound the name lookup before the connection: a
# resolver that never answers (a wrong search domain, a DNS server down) would hold
# `check --deploy`, and `make serve` behind it, for as long as it likes.
NAME_LOOKUP_SECONDS = 5
# Within one command's checks (DatabaseFirst), database_answers' first answer: a database that
# does not answer is waited for once, not once per pass.
_answered: contextvars.ContextVar[list | None] = contextvars.ContextVar("answered", default=None)


def _without_password(url: str) -> str:
    """The URL as a check may print it (to make serve's output, the journal): never its
    password, nor its query (a driver takes ?password= too), nor what follows a "#", which
    ends the address: a "#" typed in a password leaves the rest of it there."""
    if "#" in url:
        return "not shown (it holds a “#”: in a password, write it %23)"
    parts = urlsplit(url)
    if parts.password is None and not parts.query:
        return url  # as given: taken apart and put together, sqlite:////srv/db loses a slash
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rpartition('@')[2]}"
    query = "?…" if parts.query else ""
    return urlunsplit(parts._replace(netloc=netloc, query="", fragment="")) + query


def shared_cache_answers(app_configs, **kwargs):
    """A well-formed REDIS_URL where nothing answers passes every settings check, and the site
    then serves with its rate limits and purged fragments gone: /healthz says "cache": "down"
    only once it runs. A write, as /healthz does, since a Redis refusing writes still answers
    reads; the cache's own 1 s socket timeouts keep this short."""
    if not settings.REDIS_URL:
        return []  # newsportal.W001 says what an unset one costs
    host = urlsplit(settings.REDIS_URL).hostname
    if host and not _resolves_in_time(host):
        return [
            checks.Error(
                f"REDIS_URL is {_without_password(settings.REDIS_URL)}, and its host {host!r} "
                f"was not resolved within {NAME_LOOKUP_SECONDS} s.",
                hint="Check the host's name and this machine's DNS (/etc/resolv.conf), or name "
                "Redis by its address.",
                id="newsportal.E001",
            )
        ]
    try:
        caches["default"].set("check-deploy", "ok", 10)
    except Exception as exc:  # whatever redis-py raises for a server it cannot use
        return [
            checks.Error(
                f"REDIS_URL is {_without_password(settings.REDIS_URL)}, and it cannot be used: "
                f"{exc}",
                hint="Start Redis there, or set REDIS_URL to the Redis that runs "
                '(redis://host:6379/0); /healthz would say "cache": "down".',
                id="newsportal.E001",
            )
        ]
    return []


@checks.register(checks.Tags.database)
def database_answers(app_configs, databases=None, **kwargs):
    """A DATABASE_URL with a wrong host, password or database name passes the settings, and
    migrate then stopped on it with a page of traceback. Run by `check --deploy --database
    default` (make serve and make reload, first) and by migrate itself, never by other
    commands; the connection's own timeout (DATABASE_CONNECT_TIMEOUT) bounds it, and the name
    lookup, which that does not cover, is bounded as for Redis."""
    if "default" not in (databases or ()):
        return []
    known = _answered.get()
    if known:  # an earlier pass of the same command asked
        return known[0]
    issues = _database_issues()
    if known is not None:
        known.append(issues)
    return issues


def _database_issues() -> list:
    connection = connections["default"]
    url = os.environ.get("DATABASE_URL") or f"unset (SQLite, {connection.settings_dict['NAME']})"
    host = connection.settings_dict.get("HOST")
    hint = (
        "Check its host, port, user, password and database name: the database must "
        "exist, and its user may connect (README.md, 'Running in production')."
    )
    directory = _sqlite_directory(connection)
    if directory is not None:
        hint = "Create the directory, writable by the site's user, or name the file where it is."
    if directory is not None and not directory.is_dir():
        problem = f"its directory {directory} does not exist"
    elif host and not host.startswith("/") and not _resolves_in_time(host):
        problem = f"its host {host!r} was not resolved within {NAME_LOOKUP_SECONDS} s"
    else:
        try:
            connection.ensure_connection()
        except Exception as exc:  # whatever the driver raises for a server it cannot use
            problem = "it cannot be used: " + " ".join(str(exc).split())
        else:
            return []
    return [
        checks.Error(
            f"DATABASE_URL is {_without_password(url)}, and {problem}"
            + ("" if problem.endswith((".", "?")) else "."),
            hint=hint,
            id="newsportal.E002",
        )
    ]


def _sqlite_directory(connection) -> Path | None:
    """The directory of an SQLite file (None for another engine, or SQLite in memory)."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name.startswith("file:") or name == ":memory:":
        return None
    return Path(name).absolute().parent


class DatabaseFirst:
    """For check and migrate (newsportal/management/commands): the database's checks, E002,
    before the others. Django runs checks in no set order, and on SQLite a model check (a
    JSONField's) opens the database to ask what it supports: a file it cannot open was a page
    of traceback from there, before E002 could say why. Only when the database's tag is among
    those asked for, and only to stop (an issue at the fail level: printed once, alone);
    otherwise the whole pass says everything, as Django's check does. The database is asked once
    for all the passes (_answered): one that does not answer costs its connect timeout once."""

    def check(self, *args, **kwargs):
        token = _answered.set([])
        try:
            return self._check(*args, **kwargs)
        finally:
            _answered.reset(token)

    def _check(self, app_configs=None, tags=None, *args, databases=None, **kwargs):
        fail_level = kwargs.get("fail_level", checks.ERROR)
        if databases and (not tags or checks.Tags.database in tags):
            deploy = kwargs.get("include_deployment_checks", False)
            first = checks.run_checks(
                app_configs, [checks.Tags.database], deploy, databases=databases
            )
            if any(e.level >= fail_level and not e.is_silenced() for e in first):
                super().check(
                    app_configs, [checks.Tags.database], *args, databases=databases, **kwargs
                )
        return super().check(app_configs, tags, *args, databases=databases, **kwargs)


def _resolves_in_time(host: str) -> bool:
    """Whether the name lookup ends in time, found or not. getaddrinfo() takes no timeout,
    so it runs in a thread, left behind if it hangs."""
    done = threading.Event()

    def look_up():
        # Not found, or a name no lookup takes: the connection below says which.
        with contextlib.suppress(OSError, UnicodeError):
            socket.getaddrinfo(host, None)
        done.set()

    threading.Thread(target=look_up, name="redis-name-lookup", daemon=True).start()
    return done.wait(NAME_LOOKUP_SECONDS)
