"""Filters for the plain-text part of our mail, where HTML's <bdi> is not to be had."""

import unicodedata

from django import template

register = template.Library()
RIGHT_TO_LEFT = {"R", "AL"}  # Hebrew, Arabic, Syriac, Thaana... letters


@register.filter
def isolated(value) -> str:
    """A reader's name set apart from the line around it (Unicode's first strong isolate and
    pop directional isolate, which <bdi> stands for): a name in Hebrew or Arabic at the start
    of "… replied to your comment on …" otherwise made the whole line right-to-left in the mail
    clients that take a paragraph's direction from its first letter, the sentence reordered
    around it. Only such a name: the marks show nothing where they are understood, but an old
    client may draw them as boxes, and a left-to-right name needs none."""
    text = str(value)
    if not any(unicodedata.bidirectional(char) in RIGHT_TO_LEFT for char in text):
        return text
    return f"\u2068{text}\u2069"
