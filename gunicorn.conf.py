"""Gunicorn settings for `make serve` (see "Running in production" in README.md).

Everything a deployment tunes comes from the environment (and the variables' file
NEWSPORTAL_ENV_FILE names), read with the same helpers as settings.py, so a typo fails at
start-up naming the variable.
"""

import os
import traceback

from gunicorn.glogging import Logger

from newsportal.env import env_int, env_str, load_variables_file
from newsportal.redaction import redact_links

# The variables' file NEWSPORTAL_ENV_FILE names, read as the settings read it: this file runs
# before them, and a WEB_CONCURRENCY, PORT or GUNICORN_TIMEOUT set only there was not seen here.
load_variables_file()


def default_workers(cpu_count: int | None) -> int:
    # Gunicorn's usual 2 x CPUs + 1 for sync workers, capped so a large machine does not open
    # more database connections than a stock PostgreSQL allows (max_connections = 100).
    return min(2 * (cpu_count or 1) + 1, 12)


def usable_cpus() -> int | None:
    # The CPUs this server may run on (taskset, cpusets), not all the machine has: workers
    # sized for cores they cannot use only take turns on the ones they can, each pushing the
    # others' working memory out of the CPU caches.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no CPU affinity on this platform
        return os.cpu_count()


bind = env_str("GUNICORN_BIND") or f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"
workers = env_int("WEB_CONCURRENCY", default_workers(usable_cpus()), minimum=1)
worker_class = "sync"

# A request that takes longer than this is killed (the worker is replaced); SIGTERM gives
# running requests this long to finish before a restart or deploy cuts them off.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0)


def worker_abort(worker):
    """A request past `timeout` (a database holding a lock, a hung call): gunicorn would answer
    it with a bare "Internal Server Error" page of its own, which the proxy passes on as it
    comes, so a reader whose comment was being saved read only that. A worker gone without an
    answer is one the proxy answers for: "Not sent" (their words are still in the form they
    go back to) to a post, "Back in a moment" or a stale copy to a reader of a page. Where it
    hung goes to the log first, on one line (what gunicorn's own traceback said)."""
    stack = "".join(traceback.format_stack()[:-1]).rstrip().replace("\n", "\\n")
    worker.log.critical(
        "worker %s timed out; its request left unanswered, at: %s", worker.pid, stack
    )
    os._exit(1)


# Load Django once in the master and fork workers from it: a recycled worker starts in
# milliseconds instead of re-importing everything, and workers share the loaded code's memory.
preload_app = True

# Recycle workers now and then, staggered so they do not all restart at once. Not too often:
# at a few hundred requests a second per worker, 1,000 would mean a restart every few seconds.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 20000, minimum=0)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 2000, minimum=0)

# Only these addresses may set X-Forwarded-* (the TLS proxy in front); Django additionally
# needs DJANGO_BEHIND_PROXY=true to trust X-Forwarded-Proto.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# ...and none of them may set the WSGI path (by default a SCRIPT_NAME or PATH_INFO header from
# those addresses would): a reader's header passed on would move every link Django draws, in a
# page shared caches keep for everyone. The site is never mounted under a prefix.
forwarder_headers = ""


# One access line per request on stdout, with the id that Django's own log lines carry. The
# path only: a query string or a referrer can hold what a reader typed (a search for someone's
# e-mail address), and nothing a reader typed goes into the logs.
class AccessLogWithoutSecretLinks(Logger):
    """The access log, with the signed tokens of commenters' status and privacy links cut out of
    the paths it writes (newsportal.redaction), and what a client sent written so that it can
    never start a line or close a quoted field of its own."""

    def access(self, resp, req, environ, request_time):
        # Varnish asks /healthz every 5 s (deploy/newsportal.vcl.in): 17,000 lines a day that
        # say nothing. A probe that is answered with anything but 200 is still written. Any
        # client can send the probe's request id: on another path it hides nothing.
        probe = (
            environ.get("HTTP_X_REQUEST_ID") == "varnish-health-probe"
            and environ.get("PATH_INFO") == "/healthz"
        )
        if not (probe and str(resp.status).startswith("200")):
            super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("U", "r", "f", "a"):  # the path, the request line, the referer, the browser
            if isinstance(atoms.get(name), str):
                atoms[name] = escape_for_log(redact_links(atoms[name]))
        return atoms


def escape_for_log(text: str) -> str:
    # The path is decoded: /x%0a127.0.0.1%20"GET... would write a forged line, %00 a NUL that
    # makes grep call the log binary. As nginx does, such bytes are written as \xHH.
    return "".join(
        f"\\x{ord(char):02X}" if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F else char
        for char in text
    )


logger_class = AccessLogWithoutSecretLinks
accesslog = "-"
errorlog = "-"
loglevel = (env_str("LOG_LEVEL") or "info").lower()  # empty, as unset (as the settings)
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s" [%({x-request-id}o)s]'
# Gunicorn counts no byte it sends with sendfile(): every static file and picture was logged as
# 0 bytes. Written from Python instead; they reach gunicorn only when Varnish lacks a copy.
sendfile = False

# Gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), so two
# servers on one machine (a deploy next to a test run) would fight over it; nothing here uses it.
control_socket_disable = True
