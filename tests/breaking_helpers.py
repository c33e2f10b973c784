"""What readers see of the breaking-news strip on a page."""

import re


def strip_of(html: str) -> str:
    """The strip as drawn on the page, or "" where there is none."""
    found = re.search(r'<div class="breaking-news[^"]*".*?</div>\s*</div>', html, re.S)
    return found.group(0) if found else ""
