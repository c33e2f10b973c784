from datetime import timedelta

from django import template

from comments import stats

register = template.Library()


@register.simple_tag
def moderation_summary() -> dict:
    # The numbers behind "we will review it in the next few hours": editors see them first.
    return stats.moderation_summary()


@register.filter
def duration_text(value: timedelta | None) -> str:
    """A wait as a person says it: "2 h 5 min", "12 min", "40 s"."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"
