"""The comment lists' search box, for what moderators type into it: a sender's e-mail address
or IP address (or network) is looked up in the sender indexes; anything else is words in the
name, address or comment, which PostgreSQL finds through trigram indexes (migration 0012)."""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection

from comments.models.comment import ip_networks

# The first three numbers of an IPv4 address, as read off a log line: its /24.
FIRST_THREE_NUMBERS = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.?")


def by_sender(queryset, term: str):
    """The comments sent from the e-mail address, IP address or network the term is (and
    nothing else), or None when it is none of these."""
    typed = term.strip()
    if "@" in typed:
        try:
            validate_email(typed)
        except ValidationError:
            return None  # part of an address: searched for as words are
        return queryset.filter(email=typed.lower())  # stored lower-cased, as typed in the form
    if FIRST_THREE_NUMBERS.fullmatch(typed):
        typed = typed.rstrip(".") + ".0/24"
    networks = ip_networks([typed]) if "." in typed or ":" in typed else []
    if not networks:
        return None
    return from_network(queryset, networks[0])


def from_network(queryset, network, field: str = "ip_address"):
    """The rows whose address (in `field`) is in the network, through its index."""
    if network.num_addresses == 1:
        return queryset.filter(**{field: str(network.network_address)})
    first, last = str(network.network_address), str(network.broadcast_address)
    if connection.vendor == "postgresql":
        # inet sorts by address within its family: a network is a range of the sender index.
        return queryset.filter(**{f"{field}__gte": first, f"{field}__lte": last})
    # Elsewhere an address is text, which does not sort as addresses do ("…113.9" after
    # "…113.255"): a development database is small enough to read through.
    rows = queryset.filter(**{f"{field}__isnull": False}).values_list("pk", field)
    return queryset.filter(pk__in=[pk for pk, ip in rows if ipaddress.ip_address(ip) in network])
