"""serve.py's listeners: where this machine reaches them, whether something holds their ports
already (a second `make serve`), and whether the proxy answers on them yet."""

import http.client
import ipaddress
import re
import socket
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from deploy.stack_files import remembered
from deploy.stacks import gunicorn_ports, running_stack
from newsportal.env import env_int, env_str
from newsportal.first_run import answers

WILDCARDS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 (names, not a bind)


def url_host(host: str) -> str:
    """HOST as it is written in a URL (IPv6 in brackets); a wildcard bind as the loopback."""
    if host in WILDCARDS:
        return "127.0.0.1"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def probe_host(host: str) -> str:
    """Where this machine reaches a listener bound to `host`: a wildcard on its loopback."""
    if host in ("::", "[::]"):
        return "::1"
    return url_host(host).strip("[]")


def answering(cfg: dict) -> bool:
    """Whether readers would be answered now: Varnish's port takes connections, and the child
    behind both listeners answers a request on the purge one (the readers' one may expect the
    PROXY protocol). A port taken is not yet a server that serves: Varnish binds before its
    child runs the VCL. One quick try, for serve.py's loop to make while it does its rounds."""
    try:
        socket.create_connection((probe_host(cfg["host"]), cfg["port"]), timeout=0.5).close()
    except OSError:
        return False
    connection = http.client.HTTPConnection(
        probe_host(cfg["purge_host"]), cfg["purge_port"], timeout=0.5
    )
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True


def already_taken(cfg: dict) -> str:
    """Why this stack cannot start beside what runs (a second `make serve`, by hand beside the
    unit's), or "". Found before anything starts: otherwise the second one's gunicorn, worker
    and purge_pages run, its Varnish fails on the port, and on its way out it would take the
    running stack's serve.pid with it (`make reload` then finds no stack)."""
    workdir = cfg["workdir"]
    if pid := running_stack(workdir, say=False):
        return (
            f"a stack is running already in {workdir} (serve.py, pid {pid}): `make reload` "
            "puts a new release into it; stop it first to start it again"
        )
    ports = [
        ("PORT", probe_host(cfg["host"]), cfg["port"]),
        ("PROXY_PURGE_PORT", probe_host(cfg["purge_host"]), cfg["purge_port"]),
        ("BACKEND_PORT", "127.0.0.1", cfg["backend_port"]),
    ]
    for name, host, port in ports:
        if not answers(host, port):
            continue
        return (
            f"something already answers on {host}:{port} ({name}): another stack or program "
            "holds it. Stop it, or give this stack other ports (PORT, and PROXY_WORKDIR if set)"
        )
    return ""


def reload_port_taken(cfg: dict) -> str:
    """What the operator should hear at the start when something answers on
    RELOAD_BACKEND_PORT already (a second stack whose PORT it is), or "". Said, not refused:
    only a reload needs that port, and a stack refused at its start (systemd's restart, a
    boot) would take the site down over it; unsaid, it was found at the first deploy, which
    Origin.reload refuses then."""
    port = cfg["reload_port"]
    if not answers("127.0.0.1", port):
        return ""
    return (
        f"something already answers on 127.0.0.1:{port} (RELOAD_BACKEND_PORT), where make "
        "reload starts the new release: every reload will be refused until it is free (the "
        "site is served meanwhile). Stop it, or set RELOAD_BACKEND_PORT to a free port and "
        "start the stack again"
    )


def held_by_another(port: int, name: str) -> str:
    """Why a reload's new release cannot start on `port` (BACKEND_PORT or RELOAD_BACKEND_PORT,
    `name`): something answers there already (a second stack whose PORT is this one), whose 200
    on /healthz would be taken for the new release's, and Varnish switched to it. "" when free."""
    if not answers("127.0.0.1", port):
        return ""
    return (
        f"something already answers on 127.0.0.1:{port} ({name}), where the new release would "
        f"start: another program or stack holds it. Stop it, or set {name} to a free port (that "
        "takes a restart)"
    )


def reload_ports_held(workdir: Path, pid: int) -> str:
    """make reload's first step (reload_config.refused_reload): held_by_another for the port the
    stack's next reload starts on, said before anything is installed or migrated. Of its two
    ports, the one its gunicorn serves on is its own, and so is the other while the gunicorn
    the last reload stopped finishes its requests there (the stack waits for it): only a port
    none of its gunicorns binds is another's. What it did not remember (running.json), or
    gunicorns closed to this user, are left to the stack."""
    saved = remembered(workdir, pid) or {}
    try:
        own = gunicorn_ports(pid)
    except PermissionError:
        return ""
    for name, field in (("BACKEND_PORT", "backend_port"), ("RELOAD_BACKEND_PORT", "reload_port")):
        port = saved.get(field)
        if type(port) is int and port not in own and (held := held_by_another(port, name)):
            return held
    return ""


def env_host(name: str, default: str) -> str:
    """An address to listen on: a name, an IP address (IPv6 bare or in brackets) or a wildcard,
    checked here, since urllib and Varnish would only stop on it with a traceback."""
    value = env_str(name, default)
    try:
        ipaddress.ip_address(value[1:-1] if value[:1] + value[-1:] == "[]" else value)
    except ValueError:
        if value not in WILDCARDS and not re.fullmatch(r"[A-Za-z0-9.-]+", value):
            raise ImproperlyConfigured(
                f"{name} must name a plain host, not {value!r}: an address or a name to listen "
                "on, without a port (PORT sets that)"
            ) from None
    return value


def env_port(name: str, default: int) -> int:
    number = env_int(name, default, minimum=1)
    if number > 65535:
        raise ImproperlyConfigured(f"{name} must be a port number up to 65535, not {number}")
    return number
