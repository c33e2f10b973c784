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


def body_for(title: str, standfirst: str, facts: tuple[str, str]) -> str:
    first, second = facts
    return (
        f"{standfirst}\n\n"
        f"Our reporters followed the story this week. According to the people involved, "
        f"{first}.\n\n"
        f"There is more to it than the headline. Those who follow the subject closely point out "
        f"that {second}.\n\n"
        f"We will keep following “{title}” and update this article as the story develops.\n\n"
        "What do you think? Share this article with your friends and tell us in the comments."
    )
