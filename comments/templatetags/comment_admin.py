from datetime import timedelta

from django import template

from comments import stats
from comments.moderator_mail import moderator_addresses

register = template.Library()


# The numbers behind "we will review it in the next few hours": editors see them first.
register.simple_tag(stats.moderation_summary)


@register.simple_tag
def moderator_mail_goes_nowhere() -> bool:
    """Nobody would be mailed that comments wait (notify_moderators logs it too)."""
    return not moderator_addresses()


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


CHART_W, CHART_H, CHART_TOP = 600, 150, 14


@register.inclusion_tag("admin/comments/chart.html")
def moderation_chart(days: int = 30) -> dict:
    """30 days as an inline SVG (no script, no library): bars for comments received and
    decided, a line for the oldest wait, each on its own scale, with the numbers as a table."""
    rows = stats.daily(days)
    slot = CHART_W / len(rows)
    most = max([1, *(max(r["received"], r["decided"]) for r in rows)])
    waits = [r["oldest_wait"].total_seconds() / 3600 if r["oldest_wait"] else 0 for r in rows]
    longest = max([1.0, *waits])
    bottom = CHART_TOP + CHART_H

    def height(value, top):
        return value / top * CHART_H

    for n, row in enumerate(rows):
        x = n * slot
        row["received_bar"] = _bar(x + slot * 0.1, height(row["received"], most), bottom, slot)
        row["decided_bar"] = _bar(x + slot * 0.5, height(row["decided"], most), bottom, slot)
        row["wait_point"] = f"{x + slot / 2:.1f},{bottom - height(waits[n], longest):.1f}"
        last = n == len(rows) - 1
        row["tick"] = (n % 7 == 0 and n < len(rows) - 4) or last
        row["tick_x"] = f"{x + slot / 2:.1f}"
        # The first and last labels stay inside the picture.
        row["tick_anchor"] = "start" if n == 0 else "end" if last else "middle"
    return {
        "rows": rows,
        "days": days,
        "most": most,
        "longest_hours": round(longest, 1),
        "width": CHART_W,
        "height": bottom + 30,
        "bottom": bottom,
        "label_y": bottom + 16,
        "top_label_y": CHART_TOP - 1,
        "line": " ".join(row["wait_point"] for row in rows),
    }


def _bar(x: float, h: float, bottom: float, slot: float) -> dict:
    return {"x": f"{x:.1f}", "y": f"{bottom - h:.1f}", "w": f"{slot * 0.4:.1f}", "h": f"{h:.1f}"}
