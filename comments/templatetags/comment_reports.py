from django import template

from comments.models import Report

register = template.Library()


@register.simple_tag
def report_reasons() -> list[tuple[str, str]]:
    """The reasons a reader may give, for the Report control under every published comment."""
    return Report.Reason.choices
