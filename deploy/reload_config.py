"""The stack's config as serve.py reads it at its start and again at each reload, and which of
its values a reload cannot take (RESTART_ONLY, CHILDREN_FIXED): config_for_reload refuses those
in the stack, at the reload; refused_reload in make reload's first step (`serve.py --running`),
from what the stack remembered (stack_files.remember), before anything is installed."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values

from deploy import ports, stack_files, stacks
from deploy.config import config, refuse_undoing
from newsportal.env import env_str, load_variables_file


def stack_config() -> dict:
    """config(), from the environment and, under it, the variables' file NEWSPORTAL_ENV_FILE
    names, read as the settings read it (they load it again in gunicorn and each command): a
    PORT, GUNICORN_TIMEOUT or REDIS_URL set only there is this stack's too, and a
    GUNICORN_CMD_ARGS there is refused. Its children get the environment serve.py started with
    (cfg["environ"], under serve.py's own choices) and read the file themselves: a release
    `make reload` starts reads it as it is then, as its check --deploy did, and as serve.py
    reads it again for that reload's VCL and checks (config_for_reload); but for what
    serve.py gives them itself, fixed at their start (CHILDREN_FIXED)."""
    refuse_undoing()  # in the environment, said as such; the file's then say where
    started_with = dict(os.environ)
    path = load_variables_file()
    try:
        in_file = dotenv_values(path) if path and os.path.isfile(path) else {}
    except (OSError, ValueError) as exc:  # saved again, badly, since it was loaded
        raise ImproperlyConfigured(f"the variables' file {path} cannot be read: {exc}") from None
    fixed = {name: os.environ.get(name) for name in RESTART_ONLY_VARIABLES}
    # The file's own value too: `make serve` exports its REDIS_URL, which then wins over it.
    fixed.update({name: (os.environ.get(name), in_file.get(name)) for name in CHILDREN_FIXED})
    return {**config(), "environ": started_with, "fixed": fixed}


# What Varnish was started with (its listeners, work dir, cache, threads), the ports its VCLs
# point gunicorn at, and the address pages are drawn for: fixed until the stack is restarted.
RESTART_ONLY = (
    "host",
    "port",
    "backend_port",
    "reload_port",
    "site_url",
    "purge_host",
    "purge_port",
    "proxy_protocol",
    "workdir",
    "cache_size",
    "threads",
    "wsgi_app",
)
# The variables they are read from (config.config).
RESTART_ONLY_VARIABLES = (
    "HOST",
    "PORT",
    "BACKEND_PORT",
    "RELOAD_BACKEND_PORT",
    "SITE_URL",
    "PROXY_PURGE_HOST",
    "PROXY_PURGE_PORT",
    "PROXY_PROTOCOL",
    "PROXY_WORKDIR",
    "PROXY_CACHE_SIZE",
    "PROXY_THREADS",
    "SERVE_WSGI_APP",
)

# What serve.py hands gunicorn and the mail worker itself, once, at their start (gunicorn_env:
# FRONT_CACHE_PURGE_URLS with this Varnish's listener; REDIS_URL, which `make serve` exports):
# over the file, so a reload's new release would still get the old values. Fixed too.
CHILDREN_FIXED = ("REDIS_URL", "FRONT_CACHE_PURGE_URLS")


def _running(pair) -> str | None:
    """The value serve.py's children run with: the environment's, over the file's."""
    in_environment, in_file = pair
    return in_environment if in_environment is not None else in_file


def _meant(pair) -> str | None:
    """The value the operator means now: the file's, where it names one (`make serve` exports
    what the file said at the start, which would hide a change), else the environment's."""
    in_environment, in_file = pair
    return in_file if in_file is not None else in_environment


def config_for_reload(cfg: dict) -> dict:
    """The stack's config as a reload takes it: from the environment it started with and the
    variables' file as it reads now, as the new gunicorn and make reload's steps read them, so
    the new VCL (GUNICORN_TIMEOUT + 5 s, ...) and this file's checks agree with the release.
    Raises ImproperlyConfigured, saying why, for a value the reload cannot take (RESTART_ONLY),
    one a start would refuse, or a file it cannot read (not UTF-8, not readable), the
    environment then left as it was: serve.py's loop takes that as the reload's refusal."""
    before = dict(os.environ)
    os.environ.clear()
    os.environ.update(cfg["environ"])
    try:
        new = stack_config()
        # What cfg lacks (an older release's running.json: refused_reload) is not compared.
        was = cfg["fixed"]
        changed = [name for name, value in new["fixed"].items() if value != was.get(name, value)]
        moved = [field for field in RESTART_ONLY if new[field] != cfg.get(field, new[field])]
        # A variable is named for what it moved (set to the value the stack runs with, nothing);
        # what none moved, a default did (another release's: refused_reload).
        named = [RESTART_ONLY_VARIABLES[RESTART_ONLY.index(field)] for field in moved]
        named = [name for name in named if name in changed]
        children = [
            name
            for name in CHILDREN_FIXED
            if name in was and _meant(new["fixed"][name]) != _running(was[name])
        ]
        since = "changed since the stack started"
        moves = "a reload cannot move Varnish or its ports"
        said = [f"{', '.join(named)} {since} (the variables' file): {moves}"] if named else []
        if children:  # beside those: every variable changed is named, for what it changes
            said.append(
                f"{', '.join(children)} {since} (the variables' file): serve.py gives gunicorn "
                "and the mail worker the values they started with, and a reload would keep those"
            )
        if said or moved:
            raise (ImproperlyConfigured if said else Unnamed)(
                "; ".join(said or [f"{', '.join(moved)} {since} (no variable did): {moves}"])
                + f"; {stacks.how_to_restart(cfg['workdir'])}"
            )
        refuse_workers_without_redis()
    except ImproperlyConfigured:
        # The old release goes on serving: so do the values it was started with (what
        # graceful_seconds() and the next reload read), not the refused file's.
        os.environ.clear()
        os.environ.update(before)
        raise
    return new


def remembered(cfg: dict) -> dict:
    """What refused_reload compares, as JSON keeps it (stack_files.remember)."""
    return {
        **{field: cfg[field] for field in RESTART_ONLY},
        "workdir": str(cfg["workdir"]),
        "fixed": cfg["fixed"],
    }


def refused_reload(workdir: Path, pid: int) -> str:
    """Why the stack with this pid would refuse a reload now (config_for_reload, from what it
    remembered and its variables; a port its new release cannot take: ports.reload_ports_held),
    or "": `serve.py --running`, make reload's first step, says it before anything is
    installed, collected or migrated. This is the new release's code,
    the file the running one's: what it did not remember (a stack started before serve.py
    remembered, a name a release added since), or a difference no variable explains (a default
    changed since), is left to the stack to refuse itself, at the end."""
    saved = stack_files.remembered(workdir, pid)
    try:
        variables = stacks.variables_of(pid, workdir)
    except (OSError, stack_files.Refused):
        return ""  # the steps that need them say why
    if saved is None:
        return ""
    # As the stack reads them: its variables and TMPDIR (the default work dir), not the shell's.
    with stacks.environment(variables):
        try:
            config_for_reload({"workdir": workdir, **_as_kept(saved), "environ": variables})
        except Unnamed:
            return ""
        except ImproperlyConfigured as exc:
            return str(exc)
    return ports.reload_ports_held(workdir, pid)


def _as_kept(saved: dict) -> dict:
    """What the stack remembered, as config_for_reload compares it: what is not in the shape
    this release keeps it in (a release changed it since) is left out, as if not remembered."""
    fixed = saved.get("fixed") if isinstance(saved.get("fixed"), dict) else {}
    kept = {field: saved[field] for field in RESTART_ONLY if field in saved}
    if "workdir" in kept:
        workdir = kept.pop("workdir")
        kept.update({"workdir": Path(workdir)} if isinstance(workdir, str) else {})
    kept["fixed"] = {
        name: tuple(value) if name in CHILDREN_FIXED else value
        for name, value in fixed.items()
        if (
            isinstance(value, list) and len(value) == 2
            if name in CHILDREN_FIXED
            else value is None or isinstance(value, str)
        )
    }
    return kept


class Unnamed(ImproperlyConfigured):
    """A refusal no variable explains (config_for_reload): not for make reload to say."""


def refuse_workers_without_redis() -> None:
    if not env_str("REDIS_URL") and env_str("WEB_CONCURRENCY") != "1":
        # Each worker would count the rate limits on its own (and purge only its own copy of
        # a fragment): a flood limit of one comment per 15 s would let one through per worker.
        raise ImproperlyConfigured(
            "REDIS_URL must be set when gunicorn runs more than one worker (rate limits live "
            "in Django's cache); `make serve` sets a local one, or set WEB_CONCURRENCY=1"
        )
