"""What the stack runs with, read from the environment: its addresses and ports, the work dir,
and the values the VCL is filled in with (deploy/README.md, "Tunables"). A bad value raises
ImproperlyConfigured naming the variable; serve.py prints it and stops."""

import ipaddress
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from deploy import cdn
from deploy.ports import WILDCARDS, env_host, env_port, url_host
from newsportal.env import (
    SCRIPT_NAME_UNDOES,
    env_bool,
    env_image_max_bytes,
    env_int,
    env_list,
    env_str,
)

# Django's session cookie and the flash-message cookie (CookieStorage): a request carrying
# either one gets a personal page, so the proxy passes it (with its cookies) to Django.
PERSONAL_COOKIES = ("sessionid", "messages")
HOSTNAME = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")
# An IPv6 client's /48 gets this many /64s' worth of each throttle (its /64 keeps its own), as
# Django's limits (comments.ratelimit.NETWORK_FACTOR, which says why).
NETWORK_FACTOR = 4
# Gunicorn gets the stack's whole environment (commands.gunicorn_env), but for these, which it
# reads itself and which would undo what the stack is: refused, naming them, before anything.
UNDOING = {
    "GUNICORN_CMD_ARGS": (
        "gunicorn would take its options over gunicorn.conf.py's (a --bind there puts gunicorn "
        "on every address, past Varnish and its limits): set the variables README.md offers "
        "instead (WEB_CONCURRENCY, GUNICORN_TIMEOUT, ...), and unset it"
    ),
    "SCRIPT_NAME": SCRIPT_NAME_UNDOES,
}


def refuse_undoing() -> None:
    for name, why in UNDOING.items():
        if value := os.environ.get(name):
            raise ImproperlyConfigured(f"{name} is set ({value!r}): {why}")


def config() -> dict:
    refuse_undoing()
    host = env_host("HOST", "127.0.0.1")
    port = env_port("PORT", 8000)
    backend_port = env_port("BACKEND_PORT", port + 1)
    if backend_port == port:
        raise ImproperlyConfigured("BACKEND_PORT must differ from PORT")
    if host in WILDCARDS and not env_str("SITE_URL"):
        # Made from HOST it would be the loopback: links, feeds and mail would point there, and
        # logins and comment tokens would be refused to readers who type the site's name.
        raise ImproperlyConfigured(
            f"SITE_URL must be set when HOST is {host!r} (every address): the address readers "
            "type, e.g. SITE_URL=https://news.example.com (other names they use go in "
            "DJANGO_ALLOWED_HOSTS)"
        )
    site_url = env_str("SITE_URL") or f"http://{url_host(host)}:{port}"
    try:
        canonical_host = urlsplit(site_url).netloc
    except ValueError:  # an unclosed "[": refused below, by name
        canonical_host = ""
    # It goes into the VCL as a string: a plain host[:port], nothing else.
    if not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", canonical_host):
        # SITE_URL, when unset, is made from HOST: name the variable that was given.
        name, value = ("SITE_URL", site_url) if env_str("SITE_URL") else ("HOST", host)
        raise ImproperlyConfigured(f"{name} must name a plain host, not {value!r}")

    forwarded_proto = env_str(
        "PROXY_FORWARDED_PROTO", "https" if env_bool("DJANGO_BEHIND_PROXY", False) else ""
    )
    if forwarded_proto not in ("", "http", "https"):
        raise ImproperlyConfigured(
            f"PROXY_FORWARDED_PROTO must be http, https or empty, not {forwarded_proto!r}"
        )

    # Purges arrive on a listener of their own, on the loopback unless other app servers purge
    # too: never on PORT, where readers (or a TLS terminator relaying them) come in.
    purge_host = env_str("PROXY_PURGE_HOST", "127.0.0.1")
    purge_port = env_port("PROXY_PURGE_PORT", port + 2)
    if purge_port in (port, backend_port):
        raise ImproperlyConfigured("PROXY_PURGE_PORT must differ from PORT and BACKEND_PORT")
    # A reload starts the new release here, beside the old one, then Varnish switches to it;
    # the next reload comes back to BACKEND_PORT (deploy/origin.py).
    reload_port = env_port("RELOAD_BACKEND_PORT", port + 3)
    if reload_port in (port, backend_port, purge_port):
        raise ImproperlyConfigured(
            "RELOAD_BACKEND_PORT must differ from PORT, BACKEND_PORT and PROXY_PURGE_PORT"
        )
    purgers = []
    # The app reaches the purge listener from its own address there when it is not loopback.
    for item in dict.fromkeys([host, purge_host, *env_list("PROXY_PURGERS", [])]):
        if item in WILDCARDS or item in ("localhost", "127.0.0.1", "::1"):
            continue
        try:
            network = ipaddress.ip_network(item.strip("[]"), strict=False)
        except ValueError:
            if not HOSTNAME.match(item):
                raise ImproperlyConfigured(
                    f"PROXY_PURGERS must list addresses or networks, not {item!r}"
                ) from None
            purgers.append(f'    "{item}";')
            continue
        purgers.append(f'    "{network.network_address}"/{network.prefixlen};')

    cache_size = env_str("PROXY_CACHE_SIZE", "256m")
    if not re.fullmatch(r"[0-9]+[kmgKMG]?", cache_size):
        raise ImproperlyConfigured(f"PROXY_CACHE_SIZE must be a size like 256m, not {cache_size!r}")

    gunicorn_timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
    post_limit = env_int("PROXY_POST_LIMIT", 10, minimum=1)
    # Worker threads per pool (two pools). Varnish's default lets a spike start hundreds of
    # threads that fight over a few cores (p99 of half a second on 2 cores); a bounded pool
    # queues the surplus instead (p99 in single-digit ms). Each slow download holds a thread:
    # raise it on a machine with more cores or many slow readers.
    threads = env_int("PROXY_THREADS", 32, minimum=10)
    body_limit = env_int("PROXY_BODY_LIMIT", 60, minimum=1)
    miss_limit = env_int("PROXY_MISS_LIMIT", 20, minimum=1)
    # The picture limit Django's form names: a picture up to twice it reaches Django, whose form
    # refuses it with all the editor typed kept; a larger one gets the 413 page (naming it).
    image_max = env_image_max_bytes()
    least = image_max + 1024 * 1024  # and the form's text (DATA_UPLOAD_MAX_MEMORY_SIZE), framing
    admin_body_max = env_int("PROXY_ADMIN_BODY_MAX", least + image_max, minimum=least)
    return {
        # Each varnishadm command of a reload (vcl.load compiles the VCL), and the purge of the
        # old release's pages after it: bounded, so that a hung Varnish manager or a front cache
        # answering a byte at a time never keeps a reload from its outcome (deploy/origin.py).
        "varnishadm_seconds": env_int("PROXY_VARNISHADM_TIMEOUT", 60, minimum=1),
        "purge_seconds": env_int("RELOAD_PURGE_TIMEOUT", 60, minimum=1),
        "host": host,
        "port": port,
        "backend_port": backend_port,
        "reload_port": reload_port,
        "canonical_host": canonical_host,
        "site_url": site_url,
        "purge_host": purge_host,
        "purge_port": purge_port,
        "purge_url": f"http://{url_host(purge_host)}:{purge_port}/",
        # The reader's address comes in the PROXY protocol header of a TLS terminator in front
        # (hitch, HAProxy, nginx's stream module, Caddy), not from the connection.
        "proxy_protocol": env_bool("PROXY_PROTOCOL", False),
        "workdir": Path(
            env_str("PROXY_WORKDIR") or Path(tempfile.gettempdir()) / f"newsportal-varnish-{port}"
        ),
        "cache_size": cache_size,
        "threads": threads,
        "wsgi_app": env_str("SERVE_WSGI_APP", "newsportal.wsgi"),
        "vcl": {
            "BACKEND_PORT": str(backend_port),
            "CANONICAL_HOST": canonical_host,
            "FIRST_BYTE_TIMEOUT": str(gunicorn_timeout + 5),
            "PURGERS": "\n".join(purgers),
            **cdn.vcl_values(),
            "FORWARDED_PROTO": (
                f'    set req.http.X-Forwarded-Proto = "{forwarded_proto}";'
                if forwarded_proto
                else "    unset req.http.X-Forwarded-Proto;"
            ),
            "PERSONAL_COOKIES": "|".join(PERSONAL_COOKIES),
            # Comment posts per client address per minute (Django has its own, finer limit).
            "POST_LIMIT": str(post_limit),
            "POST_RETRY_AFTER": str(max(1, -(-60 // post_limit))),
            # Other requests with a body (admin forms, one-click unsubscribes), per minute.
            "BODY_LIMIT": str(body_limit),
            "BODY_RETRY_AFTER": str(max(1, -(-60 // body_limit))),
            "UNSUBSCRIBE_LIMIT": str(env_int("PROXY_UNSUBSCRIBE_LIMIT", 600, minimum=1)),
            # Requests per client address per second that reach Django (misses and passes).
            "MISS_LIMIT": str(miss_limit),
            # Static files and media not cached yet: a burst of five seconds' worth (summed here:
            # VCL's compiler multiplies in C ints, which a huge limit, as the benchmark's,
            # overflows).
            "ASSET_BURST": str(min(miss_limit * 5, 2**31 - 1)),
            # An IPv6 client's /48, NETWORK_FACTOR /64s' worth (vcl/request.vcl.in).
            **{
                f"NETWORK_{name}": str(min(limit * NETWORK_FACTOR, 2**31 - 1))
                for name, limit in {
                    "POST_LIMIT": post_limit,
                    "BODY_LIMIT": body_limit,
                    "MISS_LIMIT": miss_limit,
                    "ASSET_BURST": miss_limit * 5,
                }.items()
            },
            "BODY_MAX": str(env_int("PROXY_BODY_MAX", 64 * 1024, minimum=1024)),
            "ADMIN_BODY_MAX": str(admin_body_max),
            "IMAGE_MAX": str(image_max),
            "STALE_IF_ERROR": str(env_int("PROXY_STALE_IF_ERROR", 86400, minimum=0)),
        },
    }
