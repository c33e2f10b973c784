"""Two editors on one story: what an editor's change form was opened with, and what becomes of
what others changed since.

Why a merge, field by field, and not a lock or a refusal of any stale form: a newsroom edits a
story while it runs. A sub-editor fixing a typo from a form opened before the desk chief pulled
the story must neither put it back online (their form still says "Published") nor lose the fix.
So the form carries a fingerprint of each field as it showed it; on save, a field only someone
else changed keeps their value (the pull, the schedule, comments closed), a field only this
editor changed is written, and a field both changed differently (two editors rewording the
body) is refused, the editor's words kept in the form, to be saved again once they have read
the other's. Nothing another editor decided is undone without the editor being told."""

import hashlib
import json
from datetime import datetime

from django.db.models.fields.files import FieldFile
from django.utils import timezone

# Every field of the story an editor's form writes.
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
)


def _attname(name: str) -> str:
    return "section_id" if name == "section" else name


def fingerprint(value) -> str:
    """A value as the form shows it: text as a browser posts it back (CRLF line ends, surrounding
    blanks trimmed by the form), a time to the second (the admin's time box has no more)."""
    if isinstance(value, FieldFile):
        value = value.name or ""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
    elif isinstance(value, datetime):
        value = int(value.timestamp())
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def stored_values(article) -> dict:
    return {name: getattr(article, _attname(name)) for name in GUARDED}


def opened_state(values: dict) -> str:
    """What a form showing these values (GUARDED, by name) carries: their fingerprints, and when
    it was opened (to name who changed the story since, from the admin's log)."""
    seen = {name: fingerprint(values[name]) for name in GUARDED}
    return json.dumps({"at": timezone.now().isoformat(), "seen": seen})


def read_opened(text: str) -> dict | None:
    """{"at": datetime, "seen": {name: fingerprint}}, or None for a form that carried none."""
    try:
        opened = json.loads(text)
        return {"at": datetime.fromisoformat(opened["at"]), "seen": dict(opened["seen"])}
    except (TypeError, ValueError, KeyError):
        return None


def merge(article, stored: dict, seen: dict) -> tuple[list[str], list[str]]:
    """Take into `article` what others changed since the form was opened (`seen`) where this
    editor left the field as it was. Returns (kept: fields only others changed, now theirs in
    `article`; clashed: fields both changed, to different values)."""
    kept, clashed = [], []
    for name in GUARDED:
        if name not in seen or fingerprint(stored[name]) == seen[name]:
            continue  # nobody else changed it
        mine = fingerprint(getattr(article, _attname(name)))
        if mine == seen[name]:
            setattr(article, _attname(name), stored[name])
            kept.append(name)
        elif mine != fingerprint(stored[name]):
            clashed.append(name)
    return kept, clashed
