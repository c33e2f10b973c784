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


# Three ways a reporter might lay out a short story, so the demo's articles do not all read alike.
_LAYOUTS = (
    "{First}, people involved in the plans said this week.\n\n{Second}. That, observers say, "
    "will shape what happens next.\n\nNewsportal will update this article as the story develops.",
    "The details emerged this week: {first}.\n\nThose who follow the subject closely add that "
    "{second}.\n\nMore reporting on this story will follow.",
    "{First}. It is the clearest sign yet of where things are heading.\n\n{Second}, according "
    "to people familiar with the matter.\n\nWe will keep following the story.",
)


def body_for(title: str, standfirst: str, facts: tuple[str, str]) -> str:
    first, second = facts
    layout = _LAYOUTS[sum(map(ord, title)) % len(_LAYOUTS)]
    return f"{standfirst}\n\n" + layout.format(
        first=first, second=second, First=_capital(first), Second=_capital(second)
    )


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
