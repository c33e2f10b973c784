"""What changed when a commenter edited their comment, for the moderator: the words taken out
and put in (difflib, word by word), on the comment's page for every earlier version and on its
queue card for the last edit."""

import difflib
import re

from django.db.models import OuterRef, Subquery
from django.utils.html import format_html, format_html_join

from comments.models import CommentVersion
from newsportal.formats import newsroom_time

_WORDS = re.compile(r"\S+|\s+")
GAP = "…"
# difflib's matcher does cubic work on a text that repeats a word ("a a a …" edited to
# "a b a b …"): one anonymous edit held the queue's page for minutes. Only the stretch between
# the words both texts start and end with is matched, and only while it is this small (words
# and spaces, old times new: about 40 words each, under 10 ms at worst); a longer one is
# shown taken out and put in whole.
MAX_MATCHED_PAIRS = 80 * 80


def last_earlier_body():
    """For a Comment queryset's annotate(): the text before the last edit (None: never
    edited), in the same query as the comments."""
    earlier = CommentVersion.objects.filter(comment=OuterRef("pk")).order_by("-replaced_at", "-pk")
    return Subquery(earlier.values("body")[:1])


def word_diff(before: str, after: str, *, context: int | None = None) -> str:
    """`after` as HTML, with the words `before` had and it lacks in <del> and its new words
    in <ins>. With `context`, unchanged stretches keep only that many words either side."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if op == "equal":
            parts.append(_same(new[j1:j2], context, first=j1 == 0, last=j2 == len(new)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))


def _opcodes(old: list[str], new: list[str]) -> list[tuple]:
    """difflib's opcodes, with the work bounded (MAX_MATCHED_PAIRS)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_end, new_end = len(old) - end, len(new) - end
    found = [("equal", 0, start, 0, start)] if start else []
    if (old_end - start) * (new_end - start) > MAX_MATCHED_PAIRS:
        found.append(("replace", start, old_end, start, new_end))
    else:
        matcher = difflib.SequenceMatcher(
            a=old[start:old_end], b=new[start:new_end], autojunk=False
        )
        found += [
            (op, i1 + start, i2 + start, j1 + start, j2 + start)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    if end:
        found.append(("equal", old_end, len(old), new_end, len(new)))
    return found


def _same(tokens: list[str], context: int | None, *, first: bool, last: bool) -> str:
    at = [n for n, token in enumerate(tokens) if not token.isspace()]  # where the words are
    if context is None or len(at) <= 2 * context:
        return "".join(tokens)
    # The words nearest the changes, with the spaces that part them from the changes.
    head = "" if first else "".join(tokens[: at[context - 1] + 1]) + " "
    tail = "" if last else " " + "".join(tokens[at[-context] :])
    return f"{head}{GAP}{tail}"


def versions_html(comment) -> str:
    """Every earlier text of the comment, oldest first, each with what the next edit changed."""
    versions = list(comment.versions.all())
    if not versions:
        return "–"
    later = [v.body for v in versions[1:]] + [comment.body]
    rows = (
        (
            newsroom_time(v.replaced_at),
            v.get_status_display().lower(),
            word_diff(v.body, nxt),
        )
        for v, nxt in zip(versions, later, strict=True)
    )
    return format_html(
        '<ol class="comment-versions">{}</ol>',
        format_html_join(
            "",
            "<li><p>Replaced {} (it was {}); the edit:</p><p>{}</p></li>",
            rows,
        ),
    )
