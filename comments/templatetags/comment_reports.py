from django import template

from comments.models import Report

register = template.Library()


@register.simple_tag
def report_reasons() -> list[tuple[str, str]]:
    """The reasons a reader may give, for the report form of a comment section."""
    return Report.Reason.choices
