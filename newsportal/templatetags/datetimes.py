"""Times for machines (sitemaps, Open Graph): W3C / RFC 3339, to the second, as the JSON-LD's."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def w3c_datetime(value: datetime | None) -> str:
    """2025-05-01T14:03:09+00:00: the time of day as well as the date (Django's stock sitemap
    prints the date only, so a correction made the same day is invisible), the offset with its
    colon (Django's "O" writes +0000), no microseconds (its "c" writes them when there are)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
