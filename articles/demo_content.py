"""Demo articles for `manage.py load_demo_content`, written for this project in our own words.
The text is data (demo_content.json), so an editor can change it without touching code."""

import json
from pathlib import Path

_DATA = json.loads(Path(__file__).with_name("demo_content.json").read_text(encoding="utf-8"))

SECTIONS = [tuple(section) for section in _DATA["sections"]]
AUTHORS = [tuple(author) for author in _DATA["authors"]]
LEAD = _DATA["lead"]
LEAD_SLUG = LEAD["slug"]
MORE = [(*spec[:6], tuple(spec[6])) for spec in _DATA["more"]]
# Curated related links: from slug -> ([to slug or (title, url)], {link index: paragraph}).
RELATED = {
    slug: (
        [tuple(target) if isinstance(target, list) else target for target in targets],
        {int(index): paragraph for index, paragraph in in_body.items()},
    )
    for slug, (targets, in_body) in _DATA["related"].items()
}


def body_for(standfirst: str, paragraphs: tuple[str, ...]) -> str:
    """The standfirst opens the story; each story's own paragraphs follow it (no filler shared
    between stories: it would show in every search snippet)."""
    return "\n\n".join([standfirst, *paragraphs])
