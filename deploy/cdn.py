"""A CDN in front of Varnish: the header it names each reader in, and the addresses it is
believed from (PROXY_CLIENT_IP_HEADER, PROXY_CLIENT_IP_FROM; see deploy/README.md).

Without them every reader has one of the CDN's addresses: one reader's flood throttles all the
readers of that CDN node, comments are limited per node, and five bad passwords lock every
editor behind it out. CDNs name the reader in a header (CF-Connecting-IP, Fastly-Client-IP,
True-Client-IP), not in the PROXY protocol a TLS terminator speaks."""

import ipaddress
import re

from django.core.exceptions import ImproperlyConfigured

from newsportal.env import env_list, env_str, env_surrogate_key_header

# Varnish adds the connection's address to X-Forwarded-For before the VCL reads it, and
# Forwarded holds more than an address: neither is one address the CDN alone wrote.
NOT_ONE_ADDRESS = {"x-forwarded-for", "forwarded"}


def vcl_values() -> dict[str, str]:
    return {**_client_ip_values(), **_surrogate_key_values()}


def _surrogate_key_values() -> dict[str, str]:
    """The keys stay Varnish's own, unless the CDN in front reads them from Surrogate-Key too
    (Fastly, EDGE_SURROGATE_KEY_HEADER): then they go on to it, which keeps them from readers.
    Other CDNs' headers (Cache-Tag) pass as any header does."""
    if env_surrogate_key_header() == "Surrogate-Key":
        kept = "# Passed on: the CDN in front reads it (EDGE_SURROGATE_KEY_HEADER)."
        return {"STORE_SURROGATE_KEY": f"        {kept}", "DELIVER_SURROGATE_KEY": f"    {kept}"}
    return {
        "STORE_SURROGATE_KEY": "        unset beresp.http.Surrogate-Key;",
        "DELIVER_SURROGATE_KEY": "    unset resp.http.Surrogate-Key;",
    }


def _client_ip_values() -> dict[str, str]:
    header = env_str("PROXY_CLIENT_IP_HEADER")
    networks = env_list("PROXY_CLIENT_IP_FROM", [])
    if not header and not networks:
        return {"CDN_ACL": "", "CLIENT_IP_FROM_CDN": ""}
    if not header or not networks:
        raise ImproperlyConfigured(
            "PROXY_CLIENT_IP_HEADER and PROXY_CLIENT_IP_FROM go together: the header the CDN "
            "names each reader in, and the CDN's addresses (only requests from those are "
            "believed)"
        )
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", header) or header.lower() in NOT_ONE_ADDRESS:
        raise ImproperlyConfigured(
            "PROXY_CLIENT_IP_HEADER must name a header holding the reader's address alone, "
            f"like CF-Connecting-IP, Fastly-Client-IP or True-Client-IP, not {header!r}"
        )
    entries = []
    for item in networks:
        try:
            network = ipaddress.ip_network(item.strip("[]"), strict=False)
        except ValueError:
            network = None
        if network is None or network.prefixlen == 0:
            raise ImproperlyConfigured(
                f"PROXY_CLIENT_IP_FROM must list the CDN's addresses or networks, not {item!r}"
            )
        entries.append(f'    "{network.network_address}"/{network.prefixlen};')
    return {
        "CDN_ACL": "# The CDN in front (PROXY_CLIENT_IP_FROM).\nacl cdn {\n"
        + "\n".join(entries)
        + "\n}\n",
        # An address only (resolve = false: a name would be looked up); anything else, or a
        # request from elsewhere, leaves the address the connection came from.
        "CLIENT_IP_FROM_CDN": (
            "        if (client.ip ~ cdn) {\n"
            f"            set req.http.X-Forwarded-For = std.ip(req.http.{header}, client.ip,\n"
            "                resolve = false);\n"
            "        }\n"
            f"        unset req.http.{header};"
        ),
    }
