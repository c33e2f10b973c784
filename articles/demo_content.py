"""Demo articles for `manage.py load_demo_content`, written for this project in our own words.
The text is data (demo_content.json), so an editor can change it without touching code."""

import json
from pathlib import Path

_DATA = json.loads(Path(__file__).with_name("demo_content.json").read_text(encoding="utf-8"))

SECTIONS: dict[str, dict] = _DATA["sections"]
AUTHORS: dict[str, dict] = _DATA["authors"]
# The lead story first: the newest, the one the demo comments are on.
ARTICLES: list[dict] = _DATA["articles"]
LEAD_SLUG = ARTICLES[0]["slug"]
# The strip across every page while the lead story develops (articles.BreakingNews).
BREAKING_NEWS: dict = _DATA["breaking_news"]
