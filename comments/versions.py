"""What changed when a commenter edited their comment, for the moderator: the words taken out
and put in (difflib, word by word), on the comment's page for every earlier version and on its
queue card for the last edit."""

import difflib
import re

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from comments.models import CommentVersion

_WORDS = re.compile(r"\S+|\s+")
GAP = "…"


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
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_same(new[j1:j2], context, first=j1 == 0, last=j2 == len(new)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))


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
            f"{timezone.localtime(v.replaced_at):%d %b %Y, %H:%M}",
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
