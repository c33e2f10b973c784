"""Markdown to safe HTML, and the body split into blocks so related links can stand inside it."""

import json
import re

import markdown
import nh3
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "hr", "figure", "figcaption", "table", "thead",
    "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
# Top-level blocks as python-markdown writes them: one per line group, starting with a tag.
_BLOCK_SPLIT = re.compile(r"\n+(?=<(?:p|h[1-6]|ul|ol|blockquote|pre|hr|table|figure)\b)")


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def body_with_inline_links(body_html: str, links) -> SafeString:
    """The rendered body, with each link that asks for it as a heading after paragraph N."""
    blocks = _BLOCK_SPLIT.split(body_html.strip())
    inline: dict[int, list] = {}
    for link in links:
        if link.in_body_after_paragraph is not None:
            inline.setdefault(link.in_body_after_paragraph, []).append(link)
    if not inline:
        return mark_safe("\n".join(blocks))
    out: list[str] = []
    paragraphs_seen = 0
    last = max(inline)
    for block in blocks:
        out.append(block)
        if block.startswith("<p"):
            paragraphs_seen += 1
            for link in inline.pop(paragraphs_seen, []):
                out.append(_inline_heading(link))
    # A link placed after a paragraph the body does not have goes at the end rather than vanish.
    for position in sorted(inline):
        if position <= last:
            out.extend(_inline_heading(link) for link in inline[position])
    return mark_safe("\n".join(out))


def _inline_heading(link) -> str:
    rel = ' rel="noopener"' if link.is_external else ""
    return format_html(
        '<h2 class="inline-related h4"><a href="{}"{}>{}</a></h2>',
        link.href,
        mark_safe(rel),
        link.display_title,
    )


# As Django's json_script escapes: the data can never close the <script> element it sits in.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """Structured data for search engines, which read only type="application/ld+json" (a data
    block: never executed, so the Content-Security-Policy has nothing to allow)."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
