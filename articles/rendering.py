"""Markdown to safe HTML, and the body split into blocks so related links can stand inside it."""

import json
import re
from html import unescape
from html.parser import HTMLParser
from xml.etree import ElementTree

import markdown
import nh3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown.treeprocessors import Treeprocessor

from articles.picture_sizes import picture_size
from newsportal.text import pasted_breaks_as

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "hr", "figure", "figcaption", "table", "thead",
    "tbody", "tr", "th", "td", "img", "sup", "sub", "abbr", "dl", "dt", "dd", "div",
}  # fmt: skip
# What a table's scrolling frame carries (_NewsroomTreeprocessor._table_frames).
_TABLE_FRAME = {"tabindex": "0", "role": "region", "aria-label": "Table"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "div": set(_TABLE_FRAME),  # only as a table's frame has them (_safe_attribute)
    "th": {"scope"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    # Only the ids the footnotes need, in a namespace of their own (see _safe_attribute).
    "sup": {"id"},
    "li": {"id"},
}
# A table column's alignment ("|:-:|", "|--:|") as the stylesheet's classes: the page's CSP
# allows no style attribute.
_ALIGNED = {"left": "text-start", "center": "text-center", "right": "text-end"}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote", "table-scroll"},
    "th": set(_ALIGNED.values()),
    "td": set(_ALIGNED.values()),
}
# The page's headline is its only <h1>; the body's headings live between these levels.
TOP_HEADING, BOTTOM_HEADING = 2, 4
_UNSAFE_IN_SRC = re.compile(r"[\\\x00-\x20\x7f]")
_FOOTNOTE_ID = re.compile(r"^fn(?:ref)?-\d+(?:-\d+)?$")
# An <img> as the sanitiser writes it: every attribute name="value", any '"' in it escaped.
_IMG = re.compile(r'<img((?:\s[^\s="/>]+="[^"]*")*)\s*/?>')
# The void elements the sanitiser lets through (ALLOWED_TAGS): they have no end tag.
_VOID = {"br", "hr", "img"}


def render_markdown(text: str) -> str:
    # mdx_truly_sane_lists: a list nested by two spaces is nested (Python-Markdown wants four);
    # magiclink: an address typed bare (https://..., www...) is a link.
    extensions = ["extra", "mdx_truly_sane_lists", "pymdownx.magiclink"]
    md = markdown.Markdown(extensions=extensions, output_format="html")
    # After every other tree step (attr_list, footnotes' duplicates), before the unescaping.
    md.treeprocessors.register(_NewsroomTreeprocessor(md), "newsroom", 1)
    html = nh3.clean(
        # A body saved through the services is rendered before its fields are cleaned: its
        # pasted breaks are read here as the clean makes them (line breaks), not left in the page.
        md.convert(pasted_breaks_as(text, "\n")),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_safe_attribute,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    # "mailto:desk@example.org" typed bare: magiclink links the address and leaves "mailto:"
    # before the link as words. (In code, nothing is linked, and "<a" is written "&lt;a".)
    html = html.replace('mailto:<a href="mailto:', '<a href="mailto:')
    sizes: dict[str, tuple[int, int] | None] = {}  # each file read once a body
    return _IMG.sub(lambda img: _picture(img, sizes), html)


def _picture(img: re.Match, sizes: dict) -> str:
    """A picture as the page shows it: lazily loaded, with its file's width and height when they
    can be read, so the text below it does not jump as it loads (the stylesheet's `height: auto`
    keeps it within the column). Written here, after the sanitiser, which lets no width or
    height through: an author's own, typed as HTML, never reaches the page. (Here rather than
    by nh3's set_tag_attribute_values, which wrote the two in either order: the same body came
    out different from one save to the next.)"""
    src = re.search(r' src="([^"]*)"', img.group(1))
    if src is None:
        # An <img> the author typed as HTML keeps no address of ours: no picture, so no element.
        return ""
    path = unescape(src.group(1))
    if path not in sizes:
        sizes[path] = picture_size(path)
    size = ' width="{}" height="{}"'.format(*sizes[path]) if sizes[path] else ""
    return f'<img{img.group(1)} loading="lazy" decoding="async"{size}>'


def _safe_attribute(tag: str, attr: str, value: str) -> str | None:
    """A last word on what the tree step wrote, and on any raw HTML the author typed."""
    if attr == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    if tag == "div" and attr in _TABLE_FRAME:
        # Only as the table's frame has them: an author's div jumps no focus order and plays
        # no alert, dialog or navigation.
        return value if value == _TABLE_FRAME[attr] else None
    if tag == "img" and attr == "src":
        return value if _is_same_site(value) else None
    return value


def _is_same_site(src: str) -> bool:
    # A path on this site: not "//host/..." (another site) nor "/\host" (browsers read it so),
    # nor one with a tab or line break ("/\t/host": browsers drop them), a space or a control.
    return src.startswith("/") and not src.startswith("//") and not _UNSAFE_IN_SRC.search(src)


class _NewsroomTreeprocessor(Treeprocessor):
    """Turn what python-markdown writes into what the article page can show:

    - headings: the page's <h1> is the headline, so the body's outline starts at <h2>, skips no
      level, and stops at <h4> (the site styles no further): "# A / ## B" is h2/h3;
    - images: ours (a path on this site) stay, lazily loaded and sized (_picture); a
      picture from elsewhere becomes a link with its alt text, since the page's
      Content-Security-Policy would block it anyway and a hot-linked picture tracks readers
      and can change after we publish. A paragraph that is only a picture becomes a <figure>,
      its title the caption;
    - footnotes: their ids move to a namespace of their own ("fn-1", "fnref-1"), so they can
      work without letting an author's {: #id } clash with the page's own ids;
    - a table column's alignment becomes a class (_ALIGNED);
    - a bare "www." address is linked over https;
    - a table sits in a frame that scrolls sideways when it is wider than the column.
    """

    def run(self, root):
        self._headings(root)
        self._images(root)
        self._footnote_ids(root)
        self._table_alignment(root)
        self._bare_www_links(root)
        self._table_frames(root)
        return None

    def _table_frames(self, root):
        # A table wider than the column scrolls sideways in a frame of its own (the table
        # itself keeps its table semantics for screen readers), which the keyboard can scroll.
        for parent in list(root.iter()):
            for index, table in enumerate(list(parent)):
                if table.tag == "table":
                    frame = ElementTree.Element("div", {"class": "table-scroll", **_TABLE_FRAME})
                    frame.tail, table.tail = table.tail, None
                    frame.append(table)
                    parent[index] = frame

    def _bare_www_links(self, root):
        # "www.example.org" typed bare is linked over https, not the http magiclink assumes.
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith("http://www.") and link.text == href.removeprefix("http://"):
                link.set("href", "https://" + link.text)

    def _table_alignment(self, root):
        for cell in root.iter():
            if cell.tag in ("th", "td"):
                align = re.search(r"text-align:\s*(\w+)", cell.attrib.pop("style", ""))
                if align and align.group(1) in _ALIGNED:
                    cell.set("class", _ALIGNED[align.group(1)])

    def _headings(self, root):
        # The author's outline, redrawn from <h2> (under the headline) and never skipping a level
        # (so "# A", "### B" is h2, h3): each heading sits one below the nearest one before it
        # of a higher source level, or at the top.
        stack: list[tuple[int, int]] = []  # (source level, level shown) of the open headings
        for el in root.iter():
            if not re.fullmatch(r"h[1-6]", el.tag):
                continue
            source = int(el.tag[1])
            while stack and stack[-1][0] >= source:
                stack.pop()
            level = min(stack[-1][1] + 1 if stack else TOP_HEADING, BOTTOM_HEADING)
            stack.append((source, level))
            el.tag = f"h{level}"

    def _images(self, root):
        for parent in list(root.iter()):
            for img in [child for child in parent if child.tag == "img"]:
                # Its place now: a picture dropped before it in this parent moved it up one.
                self._image(parent, list(parent).index(img), img)

    def _image(self, parent, index, img):
        src, alt = img.get("src", "").strip(), img.get("alt", "")
        if src.startswith(settings.SITE_URL + "/"):
            src = src[len(settings.SITE_URL) :]
        if _is_same_site(src):
            title, tail = img.get("title"), img.tail
            img.attrib = {"src": src, "alt": alt}
            only_child = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
            if only_child and not (tail or "").strip():
                parent.tag, parent.text, img.tail = "figure", None, None
                if title:
                    ElementTree.SubElement(parent, "figcaption").text = title
            elif title:
                img.set("title", title)
            return
        if src.lower().startswith(("http://", "https://")):
            link = ElementTree.Element("a", {"href": src})
            link.text, link.tail = alt or src, img.tail
            parent[index] = link
            return
        # Nowhere safe to point: the words stay, the picture goes.
        parent.remove(img)
        words = (alt or "") + (img.tail or "")
        if index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + words
        else:
            parent.text = (parent.text or "") + words

    def _footnote_ids(self, root):
        new_ids: dict[str, str] = {}
        for div in root.iter("div"):
            if div.get("class") == "footnote":
                for number, li in enumerate(div.iter("li"), start=1):
                    if li.get("id"):
                        new_ids[li.get("id")] = f"fn-{number}"
        for sup in root.iter("sup"):
            ref = sup.find("a")
            old = sup.get("id", "")
            if ref is not None and old.startswith("fnref") and ref.get("href", "")[1:] in new_ids:
                target = new_ids[ref.get("href")[1:]]
                count = old[5 : old.index(":")] if ":" in old else ""
                new_ids[old] = f"fnref-{target[3:]}" + (f"-{count}" if count else "")
        for el in root.iter():
            old = el.attrib.pop("id", None)
            if old in new_ids and el.tag in ("li", "sup"):
                el.set("id", new_ids[old])
            href = el.get("href", "") if el.tag == "a" else ""
            if href.startswith("#") and href[1:] in new_ids:
                el.set("href", "#" + new_ids[href[1:]])


class _TopLevelBlocks(HTMLParser):
    """Where each top-level element of the (sanitised, so well-formed) body ends."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.depth = 0
        self.blocks: list[tuple[str, int, int]] = []  # (tag, start, end) of each top-level one
        self._open: tuple[str, int] | None = None
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            start = self._offset()
            if tag in _VOID:  # its end is not needed: only paragraphs have links after them
                self.blocks.append((tag, start, start))
                return
            self._open = (
                tag if tag != "div" or ("class", "footnote") not in attrs else "fn",
                start,
            )
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0 and self._open:
            end = self.html.index(">", self._offset()) + 1
            self.blocks.append((self._open[0], self._open[1], end))
            self._open = None


def body_with_inline_links(body_html: str, links) -> SafeString:
    """The rendered body, with each link that asks for it as a heading after paragraph N.

    Only top-level paragraphs count, and headings go only between top-level blocks: never into
    a quotation, a list item or a table, and a code block is not a paragraph."""
    html = body_html.strip()
    inline: dict[int, list] = {}
    for link in links:
        if link.in_body_after_paragraph is not None:
            inline.setdefault(link.in_body_after_paragraph, []).append(link)
    if not inline:
        return mark_safe(html)
    blocks = _TopLevelBlocks(html).blocks
    insertions: dict[int, list] = {}
    paragraphs_seen = 0
    for tag, _start, end in blocks:
        if tag == "p":
            paragraphs_seen += 1
            if paragraphs_seen in inline:
                insertions[end] = inline.pop(paragraphs_seen)
    # A link placed after a paragraph the body does not have goes at the end rather than vanish
    # (before the footnotes, which close the article).
    footnotes = [start for tag, start, _end in blocks if tag == "fn"]
    end = footnotes[0] if footnotes else len(html)
    for position in sorted(inline):
        insertions.setdefault(end, []).extend(inline[position])
    out, done = [], 0
    for offset in sorted(insertions):
        headings = "\n".join(_inline_heading(link) for link in insertions[offset])
        out += [html[done:offset].rstrip("\n"), "\n", headings, "\n"]
        done = offset
    out.append(html[done:].lstrip("\n"))
    return mark_safe("".join(out).strip())


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
