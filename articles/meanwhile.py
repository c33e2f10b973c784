"""Two editors on one story: what an editor's change form was opened with, and what becomes of
what others changed since.

Why a merge, field by field, and not a lock or a refusal of any stale form: a newsroom edits a
story while it runs. A sub-editor fixing a typo from a form opened before the desk chief pulled
the story must neither put it back online (their form still says "Published") nor lose the fix.
So the form carries a fingerprint of each field as it showed it; on save, a field only someone
else changed keeps their value (the pull, the schedule, comments closed), a field only this
editor changed is written, and a field both changed differently (two editors rewording the
body) is refused, the editor's words kept in the form, to be saved again once they have read
the other's. Nothing another editor decided is undone without the editor being told.

The tags are guarded the same way, as the set the form showed (a colleague's tag added meanwhile
is not dropped by a form that still lists the old ones); the byline as the authors in the order
the form showed them (a colleague putting the lead reporter first is a change too: its inline's
rows come back numbered for the bylines as they are now, bylines_now); and the related links as
one whole, the inline's rows as the form showed them: a link is often added or fixed by
the desk while a sub-editor has the story open, and the rows the sub's browser posts back
unchanged would put the old links back.

The short rows the newsroom mends beside the story (a live update, a correction) are guarded
with the same fingerprints and merge, field by field (articles.admin_mends)."""

import hashlib
import json
import re
from datetime import datetime
from functools import partial

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.forms import CheckboxInput
from django.forms.formsets import DEFAULT_MAX_NUM
from django.utils import timezone

from articles.models import RelatedLink
from articles.querysets import LINE_ORDER
from newsportal.text import as_a_form_posts

# Every field of the story's own row an editor's form writes.
GUARDED = (
    "title",
    "slug",
    "standfirst",
    "body",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "section",
    "status",
    "published_at",
    "comments_enabled",
    "readers_question",
)
# Written in a text box of several lines (admin_forms.TextBoxField): its leading spaces count.
TEXT_BOXES = ("standfirst", "body")
# What the same save writes beside the row: the form's many-to-many fields, and the related
# links (the article admin's inline, whose default prefix is this name too).
ALONGSIDE = ("authors", "tags", "related_links")
# A related link as the inline shows it (articles.admin.RelatedLinkInline shows these).
LINK_FIELDS = ("order", "target_article", "url", "title", "in_body_after_paragraph")
LINK_ROW = ("id", *LINK_FIELDS)
# What an opened form's fingerprints of text follow (opened_state): as_a_form_posts, a text box's
# leading indentation counting. Forms opened before (a deploy while editors had forms open) carry
# none: their text was trimmed at both ends (trimmed_fingerprint), and merge reads them so.
TEXT_RULE = "as posted"


def attname(name: str) -> str:
    return "section_id" if name == "section" else name


def fingerprint(value, *, text_box: bool = False) -> str:
    """A value as the form shows it: text as a browser posts it back and the form takes it
    (as_a_form_posts: a text box's leading indentation counts, a one-line box is trimmed), a
    time to the second (the admin's time box has no more)."""
    if isinstance(value, str | FieldFile):
        value = as_a_form_posts(_named(value), text_box=text_box)
    return _hashed(value)


def trimmed_fingerprint(value) -> str:
    """fingerprint as forms opened before TEXT_RULE carry it: text trimmed at both ends, so an
    indentation added or taken away at the start of the lead or body went unseen."""
    if isinstance(value, str | FieldFile):
        value = _named(value).replace("\r\n", "\n").strip()
    return _hashed(value)


def _named(value) -> str:
    return (value.name or "") if isinstance(value, FieldFile) else value


def _hashed(value) -> str:
    if isinstance(value, datetime):
        value = int(value.timestamp())
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def _leading_blanks(value) -> str:
    text = as_a_form_posts(value or "", text_box=True)
    return text[: len(text) - len(text.lstrip())]


def ids(objs) -> tuple:
    """Tags as a set (the form's order of them is not the editor's choice)."""
    return tuple(sorted(obj.pk for obj in objs))


def byline(article) -> tuple:
    """The story's authors (their ids) in its byline's order, as stored."""
    bylines = article.bylines.order_by(*LINE_ORDER)
    return tuple(bylines.values_list("author_id", flat=True))


def _byline_rows(data, prefix: str) -> list[dict]:
    """The byline inline's rows as posted, but those ticked for deletion or left blank."""
    return [
        row
        for row in posted_rows(data, prefix)
        if _last(row, "author") and not ticked_for_deletion(row)
    ]


def _in_byline_order(rows: list[dict]) -> list[dict]:
    # As the formset saves them (articles.admin_bylines): by order, one left empty last.
    def key(numbered):
        position = str(_last(numbered[1], "position") or "").strip()
        return (int(position) if position.isdecimal() else float("inf"), numbered[0])

    return [row for _, row in sorted(enumerate(rows), key=key)]


def _author_id(value):
    value = _as_posted(value)
    return int(value) if value.isdecimal() else value


def posted_byline(data, prefix: str = "bylines") -> tuple | None:
    """The byline as a form posts it (byline): None, posted without it (a script)."""
    if _count(data, f"{prefix}-TOTAL_FORMS") is None:
        return None
    return tuple(
        _author_id(_last(row, "author")) for row in _in_byline_order(_byline_rows(data, prefix))
    )


def bylines_now(data, article, *, theirs: bool, prefix: str = "bylines"):
    """`data`, a form's post, with its byline's rows numbered afresh for the bylines as they are
    now (another editor's save may have removed, added or replaced some since): theirs, as they
    are, or this editor's, over them (a byline left out of it shown ticked for deletion, a new
    author as a new row). Left numbered for the bylines as they were, a row of one gone is
    refused ("Select a valid choice"), and others' rows are shown beside other authors."""
    now = list(article.bylines.order_by(*LINE_ORDER))
    posted = {_author_id(_last(row, "author")): row for row in _byline_rows(data, prefix)}
    rows = []
    for line in now:
        row = {"id": [str(line.pk)], "article": [str(article.pk)], "author": [str(line.author_id)]}
        mine = posted.pop(line.author_id, None)
        if theirs:
            row["position"] = [str(line.position)]
        elif mine is None:
            row |= {"position": [str(line.position)], "DELETE": ["on"]}
        else:
            row["position"] = mine.get("position") or [""]
        rows.append(row)
    if not theirs:
        rows += [row | {"id": [""], "DELETE": []} for row in posted.values()]
    return renumbered(data, prefix, rows, saved=len(now))


def renumbered(data, prefix: str, rows: list[dict], saved: int):
    """`data` with an inline's rows replaced by these (each its values by name), the first
    `saved` of them its saved objects'."""
    rebased = data.copy()
    for key in [key for key in data if re.match(rf"{re.escape(prefix)}-\d+-", key)]:
        del rebased[key]
    rebased[f"{prefix}-INITIAL_FORMS"] = str(saved)
    rebased[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    for i, row in enumerate(rows):
        for name, values in row.items():
            rebased.setlist(f"{prefix}-{i}-{name}", values)
    return rebased


def _as_posted(value) -> str:
    return "" if value is None else str(value).strip()


def link_row(link: RelatedLink) -> tuple[str, ...]:
    """A related link as its row in the form shows it, as a browser posts it back: its id, then
    its fields (a new row, not saved yet, has no id)."""
    fields = (getattr(link, link._meta.get_field(name).attname) for name in LINK_FIELDS)
    return (_as_posted(link.pk), *map(_as_posted, fields))


def link_rows(links) -> tuple:
    return tuple(sorted(map(link_row, links)))


def stored_alongside(article, names=ALONGSIDE) -> dict:
    # order_by: from the database, not from what a prefetch read earlier.
    return {
        name: byline(article)
        if name == "authors"
        else (link_rows if name == "related_links" else ids)(getattr(article, name).order_by())
        for name in names
    }


def stored_values(article, alongside=ALONGSIDE) -> dict:
    """Everything of the story an editor's form writes (GUARDED and ALONGSIDE), as stored."""
    row = {name: getattr(article, attname(name)) for name in GUARDED}
    return row | stored_alongside(article, alongside)


def _count(data, key: str) -> int | None:
    # More than this, and the formset refuses the post itself.
    value = str(data.get(key, ""))
    return min(int(value), DEFAULT_MAX_NUM) if value.isdecimal() else None


def posted_rows(data, prefix: str) -> list[dict]:
    """An inline's rows a form posts (the related links', the policy's preset reasons'), each
    its values by name (a list, as posted)."""
    return [
        {key.removeprefix(row): data.getlist(key) for key in data if key.startswith(row)}
        for row in (f"{prefix}-{i}-" for i in range(_count(data, f"{prefix}-TOTAL_FORMS") or 0))
    ]


def _last(row: dict, name: str):
    return (row.get(name) or [None])[-1]


def _as_row(posted: dict) -> tuple[str, ...]:
    return tuple(_as_posted(_last(posted, name)) for name in LINK_ROW)


def ticked_for_deletion(row: dict) -> bool:
    return CheckboxInput().value_from_datadict({"DELETE": _last(row, "DELETE")}, {}, "DELETE")


def posted_links(data, prefix: str = "related_links") -> tuple | None:
    """The related links as a form posts them (link_rows): a row ticked for deletion is left out,
    and so is a blank row for a new link left blank. None: posted without them (a script)."""
    if _count(data, f"{prefix}-TOTAL_FORMS") is None:
        return None
    blank = link_row(RelatedLink())
    rows = (_as_row(row) for row in posted_rows(data, prefix) if not ticked_for_deletion(row))
    return tuple(sorted(row for row in rows if row != blank))


def links_now(data, now: tuple, shown: dict, prefix: str = "related_links"):
    """`data`, a form's post, with its related links' rows numbered afresh for the links as they
    are now (`now`, link_rows), as the inline shows them (its rows of saved links are those
    links, in their order): the form's row of a link where this editor changed it, else the link
    as it is now; a row of a link gone since, only where this editor changed it (as a new
    link's, unless ticked for deletion); then the new rows posted. `shown`: each row as the
    form showed it (opened_state), by link id. Left numbered for the links as they were, a row
    of a link gone would be refused, and rows shown beside other links."""
    posted = posted_rows(data, prefix)
    initial = min(_count(data, f"{prefix}-INITIAL_FORMS") or 0, len(posted))
    changed = {}
    for row in posted[:initial]:
        link_id = _as_row(row)[0]
        if ticked_for_deletion(row) or fingerprint(_as_row(row)) != shown.get(link_id):
            changed[link_id] = row
    rows = [
        changed.pop(link[0], None) or dict(zip(LINK_ROW, ([value] for value in link), strict=True))
        for link in sorted(now, key=lambda link: (int(link[1]), int(link[0])))  # order, then id
    ]
    saved = len(rows)
    gone = [row | {"id": [""]} for row in changed.values() if not ticked_for_deletion(row)]
    rows += gone + posted[initial:]
    return renumbered(data, prefix, rows, saved)


def opened_state(values: dict) -> str:
    """What a form showing these values (stored_values, by name) carries: their fingerprints, each
    related link's too (to show it again as it is now where this editor left it, links_now), and
    when it was opened (to name who changed the story since, from the admin's log)."""
    seen = {name: fingerprint(value, text_box=name in TEXT_BOXES) for name, value in values.items()}
    if "related_links" in values:
        seen["related_link_rows"] = {row[0]: fingerprint(row) for row in values["related_links"]}
    return json.dumps({"at": timezone.now().isoformat(), "seen": seen, "text": TEXT_RULE})


def read_opened(text: str) -> dict | None:
    """{"at": datetime, "seen": {name: fingerprint}, "trimmed": bool}, or None for a form that
    carried none. trimmed: opened before TEXT_RULE (its text's fingerprints are trimmed ones)."""
    try:
        opened = json.loads(text)
        return {
            "at": datetime.fromisoformat(opened["at"]),
            "seen": dict(opened["seen"]),
            "trimmed": opened.get("text") != TEXT_RULE,
        }
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def merge(
    mine: dict, stored: dict, seen: dict, *, trimmed: bool = False
) -> tuple[list[str], list[str]]:
    """Take into `mine`, what this editor's form writes (by name), what others changed since the
    form was opened (`seen`) where this editor left it as it was. Returns (kept: what only
    others changed, now theirs in `mine`; clashed: what both changed, to different values).
    trimmed: `seen` from a form opened before TEXT_RULE (read_opened)."""
    kept, clashed = [], []
    for name, value in mine.items():
        if name not in seen:
            continue
        text_box = name in TEXT_BOXES
        shown = trimmed_fingerprint if trimmed else partial(fingerprint, text_box=text_box)
        if shown(stored[name]) == seen[name]:
            # Such a form cannot tell who changed the lead's or body's opening indentation,
            # this editor or another since (its fingerprint never had it): where this save would
            # change it, it is refused, the editor shown both, rather than undo another's unseen.
            if trimmed and text_box and _leading_blanks(value) != _leading_blanks(stored[name]):
                clashed.append(name)
            continue  # nobody else changed it
        if shown(value) == seen[name]:
            mine[name] = stored[name]
            kept.append(name)
        elif fingerprint(value, text_box=text_box) != fingerprint(stored[name], text_box=text_box):
            clashed.append(name)
    return kept, clashed


def saved_since(obj, at: datetime) -> str:
    """Everyone who saved `obj` in the admin since `at`, each at their last save (the log cannot
    say which of them made which change), as " by Dana at 10:02 and Sam at 10:04"; "" if none
    did (a script's write)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action_time__gt=at,
    ).order_by("action_time")
    last_saves = {entry.user: entry.action_time for entry in entries.select_related("user")}
    by = " and ".join(
        f"{user.get_full_name() or user.get_username()} at {timezone.localtime(when):%H:%M}"
        for user, when in last_saves.items()
    )
    return f" by {by}" if by else ""
