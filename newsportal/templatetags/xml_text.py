"""For templates that write XML (the news sitemap): text it can carry (newsportal.text)."""

from django import template

from newsportal.text import xml_safe as _xml_safe

register = template.Library()


@register.filter
def xml_safe(value) -> str:
    return _xml_safe(str(value))
