"""The vendored Bootstrap is only the part of it the pages use (frontend/bootstrap-subset.scss,
compiled by `make css`). Every class that looks like one of Bootstrap's and that our CSS does not
style itself, named by a public template, by static/js or by the Python that writes markup, or
drawn by crispy-forms and the messages on a page, must be in the compiled file: a template that
starts using `.badge` or `.mt-md-3` fails here until the subset keeps it."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.urls import reverse

from articles.rendering import ALLOWED_CLASSES
from newsportal.context_processors import HEAD_ASSETS

BASE_DIR = Path(__file__).resolve().parents[1]
SUBSET = BASE_DIR / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
# The public pages' own stylesheets (site.css, article.css, ...), not the vendored one.
SITE_CSS = [
    BASE_DIR / "static" / path
    for path in HEAD_ASSETS.values()
    if path.startswith("css/") and path.endswith(".css")
]

# Bootstrap 5's class names: its components and helpers, and its utilities' prefixes. A class the
# site names that matches none of these (a hook for a script, a test) is not Bootstrap's concern.
BOOTSTRAP_NAME = re.compile(
    r"(?:accordion|active|alert|badge|blockquote|breadcrumb|btn|btn-group|caption-top|card"
    r"|carousel|clearfix|col|collapse|collapsed|collapsing|container|disabled|display-\d"
    r"|dropdown|dropend|dropstart|dropup|fade|figure|focus-ring|form|h[1-6]|has-validation"
    r"|hiding|hstack|icon-link|img|initialism|input-group|invalid-feedback|invalid-tooltip"
    r"|is-invalid|is-valid|lead|link|list-group|list-inline|list-unstyled|mark|modal|nav|navbar"
    r"|offcanvas|offset|page-item|page-link|pagination|placeholder|pointer-event|popover"
    r"|progress|ratio|row|show|showing|small|spinner|stretched-link|tab-content|tab-pane|table"
    r"|text-truncate|toast|tooltip|valid-feedback|valid-tooltip|visually-hidden|vr|vstack"
    r"|was-validated"
    # utilities
    r"|align|bg|border|bottom|column-gap|d|end|fixed|flex|float|font|fs|fst|fw|g|gap|gx|gy|h"
    r"|invisible|justify|lh|m|mb|me|mh|min-vh|min-vw|ms|mt|mw|mx|my|object-fit|opacity|order"
    r"|overflow|p|pb|pe|ps|pt|px|py|position|rounded|row-gap|shadow|start|sticky|text|top"
    r"|translate-middle|user-select|visible|vh|vw|w|z)"
    r"(?:-[a-z0-9-]+)?"
)
CLASS_ATTRIBUTE = re.compile(r"""class(?:Name)?\s*=\s*(["'])(.*?)\1""", re.S)
CLASS_LIST_CALL = re.compile(r"""classList\.(?:add|toggle)\(\s*(["'])([\w-]+)\1""")
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _defined(stylesheet: Path) -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(encoding="utf-8-sig"), flags=re.S)
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css))


def _classes(text: str) -> set[str]:
    found = set()
    for match in CLASS_ATTRIBUTE.finditer(text):
        # A class built in the template ("alert-{{ level }}") is checked as the page draws it.
        found |= set(TEMPLATE_CODE.sub(" ", match.group(2)).split())
    found |= {match.group(2) for match in CLASS_LIST_CALL.finditer(text)}
    return {name for name in found if not name.endswith("-")}


def _public_sources() -> list[Path]:
    templates = [
        path
        for path in (BASE_DIR / "templates").rglob("*.html")
        if not {"admin", "email"} & set(path.relative_to(BASE_DIR / "templates").parts)
    ]
    scripts = [BASE_DIR / "static" / path for path in HEAD_ASSETS.values() if path.endswith(".js")]
    python = [
        path
        for app in ("articles", "comments", "newsportal")
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts and not path.name.startswith("admin")
    ]
    return templates + scripts + python


def _missing(used: set[str]) -> list[str]:
    site, subset = set().union(*map(_defined, SITE_CSS)), _defined(SUBSET)
    return sorted(
        name
        for name in used
        if BOOTSTRAP_NAME.fullmatch(name) and name not in site and name not in subset
    )


def test_bootstrap_classes_the_sources_name_are_in_the_subset():
    used = set().union(*(_classes(path.read_text()) for path in _public_sources()))
    # Markdown tables' column alignment: classes the sanitiser lets through.
    used |= set().union(*ALLOWED_CLASSES.values())
    # Every level of message a page may show (includes/messages.html builds the alert's class);
    # those under MESSAGE_LEVEL (debug) are never stored.
    shown = getattr(settings, "MESSAGE_LEVEL", constants.INFO)
    levels = [Message(level, "A message") for level in constants.DEFAULT_TAGS if level >= shown]
    used |= _classes(render_to_string("includes/messages.html", {"messages": levels}))

    # The scan sees what it should (a pattern that matched nothing would pass anything).
    assert {"btn", "btn-primary", "form-control", "alert-danger", "text-end", "mb-3"} <= used
    assert _missing(used) == [], "add them to frontend/bootstrap-subset.scss and run `make css`"


def test_bootstrap_classes_crispy_forms_draws_with_errors_are_in_the_subset(
    reader, article, comment_form_data, client
):
    comment = reader.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, name="", email="not-an-email", body=""),
    )
    privacy = client.post(reverse("comments:privacy"), {"email": ""})
    used = _classes(comment.content.decode()) | _classes(privacy.content.decode())

    assert {"is-invalid", "invalid-feedback", "form-check-input", "form-text"} <= used
    assert _missing(used) == [], "add them to frontend/bootstrap-subset.scss and run `make css`"


def test_the_subset_keeps_bootstraps_licence_banner():
    head = SUBSET.read_text(encoding="utf-8-sig")[:400]
    assert "Bootstrap" in head and "Licensed under MIT" in head
