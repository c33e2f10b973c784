"""Varnish as serve.py starts it: the command line and the parameters (see deploy/README.md,
"Varnish parameters")."""

import shutil
from pathlib import Path


def find_varnishd() -> str:
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise SystemExit(
            "varnishd is missing: `make varnish` installs Debian's varnish and varnish-modules"
        )
    return found


def varnish_command(cfg: dict, vcl_path: Path) -> list[str]:
    def listen(host: str) -> str:
        return f"[{host}]" if ":" in host and not host.startswith("[") else host

    public = f"public={listen(cfg['host'])}:{cfg['port']}" + (
        ",PROXY" if cfg["proxy_protocol"] else ""
    )
    return [
        find_varnishd(),
        "-F",  # in the foreground, as our child
        "-n",
        str(cfg["workdir"] / "varnish"),  # its own work dir: two stacks on one machine
        "-a",
        public,
        "-a",
        f"purge={listen(cfg['purge_host'])}:{cfg['purge_port']}",
        "-T",
        "127.0.0.1:0",  # varnishadm -n <work dir> finds it
        "-f",
        str(vcl_path),
        "-s",
        f"malloc,{cfg['cache_size']}",
    ] + [arg for name, value in _varnish_params(cfg).items() for arg in ("-p", f"{name}={value}")]


def _varnish_params(cfg: dict) -> dict:
    return {
        "thread_pools": 2,
        "thread_pool_min": max(10, cfg["threads"] // 2),
        "thread_pool_max": cfg["threads"],
        "thread_queue_limit": 1000,
        # Slow clients cost a thread of Varnish's, never a gunicorn worker, and not for long:
        # the request headers must arrive within timeout_idle, responses within send_timeout.
        "timeout_idle": 5,
        "send_timeout": 120,
        "idle_send_timeout": 10,
        # Only responses that say how long they may be kept are kept.
        "default_ttl": 0,
        "default_grace": 0,
        # Room for long Surrogate-Key headers (a list names every article on it).
        "workspace_backend": "256k",
        "http_resp_size": "160k",
        "http_resp_hdr_len": "64k",
        "syslog_cli_traffic": "off",
    }
