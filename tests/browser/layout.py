"""What the layout tests share: a newsroom's worth of stories with pictures, a discussion, and
how a page is measured at 1280 and 390 px (header height, stories in the first screen, sideways
scroll, screenshots). Loaded as a pytest plugin (tests/conftest.py)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, Author
from articles.picture_services import HERO_MADE_FIELDS, refresh_hero_renditions
from comments.models import Comment
from tests.browser.conftest import DESKTOP, PHONE

MAX_PHONE_HEADER = 120
MIN_PHONE_STORIES = 5

TITLES = [
    "Xiaomi aims to mass-produce its electric car as early as 2024",
    "Xiaomi may outsource its electric car production",
    "Battery pack prices fall for a third year",
    "Fast-charging network doubles along motorways",
    "Smartphone sales recover in the third quarter",
    "Self-driving taxis begin a trial in the city centre",
    "New chip plant promises 2,000 jobs",
    "Mars sample return mission faces new delay",
    "Summer heat sets a record across southern Europe",
    "Coral reef shows surprising signs of recovery",
    "Protected cycle lanes reach the suburbs",
    "New rules make phones easier to repair",
    "Wind farms deliver a record share of power",
]
COLOURS = [(23, 63, 122), (120, 40, 30), (30, 100, 70), (90, 90, 100), (140, 100, 20)]


def picture(n: int, size: tuple[int, int] = (1200, 675)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, COLOURS[n % len(COLOURS)]).save(buffer, "JPEG")
    return SimpleUploadedFile(f"hero-{n}.jpg", buffer.getvalue())


# (upload name, picture, size) -> (the story's picture fields, {file under MEDIA_ROOT: bytes}),
# per test process.
_MADE_PICTURES: dict[tuple[str, int, tuple], tuple[dict, dict[str, bytes]]] = {}
PICTURE_FIELDS = ("hero_image", *HERO_MADE_FIELDS)


def give_picture(
    article: Article, n: int, name: str = "", size: tuple[int, int] = (1200, 675)
) -> None:
    """The story gets picture(n, size) as its hero with every rendition and crop, as an
    editor's upload does. Made once per test process, then written again into each test's own
    MEDIA_ROOT: the encoding (AVIF, WebP and JPEG at each width, the crops) took about a second
    a story, and the newsroom's 13 stories are drawn in dozens of tests on each database."""
    name = name or f"hero-{n}.jpg"
    media = Path(settings.MEDIA_ROOT)
    key = (name, n, size)
    if key not in _MADE_PICTURES:
        before = _files_under(media)
        article.hero_image.save(name, picture(n, size), save=True)
        refresh_hero_renditions(article=article)
        article.refresh_from_db()
        made = {path: (media / path).read_bytes() for path in _files_under(media) - before}
        _MADE_PICTURES[key] = ({f: getattr(article, f) for f in PICTURE_FIELDS}, made)
        return
    fields, made = _MADE_PICTURES[key]
    for path, data in made.items():
        (media / path).parent.mkdir(parents=True, exist_ok=True)
        (media / path).write_bytes(data)
    fields = {**fields, "hero_image": str(fields["hero_image"])}
    Article.objects.filter(pk=article.pk).update(**fields)
    article.refresh_from_db()


def _files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def newsroom(make_article, add_related, tag):
    """A front page's worth of stories with pictures, the lead first; curated related links."""
    articles = []
    for n, title in enumerate(TITLES):
        article = make_article(
            title=title,
            slug=f"story-{n}",
            tags=[tag],
            standfirst="Readers get the gist of the story from this sentence before they click.",
            hero_alt=f"Photograph for story {n}",
        )
        give_picture(article, n)
        articles.append(article)
    add_related(articles[0], articles[1])
    add_related(articles[0], articles[2])
    return articles


@pytest.fixture
def bylined_newsroom(newsroom):
    """The newsroom's stories each by two people with long names, each with 14 comments: meta
    lines long enough to wrap at many widths."""
    long_names = [
        Author.objects.create(name="Maria Fernanda Albuquerque-Villanueva", slug="maria"),
        Author.objects.create(name="Jonathan Whitfield-Henderson", slug="jonathan"),
    ]
    for article in newsroom:
        article.authors.set(long_names)
    Article.objects.update(approved_comment_count=14)
    return newsroom


@pytest.fixture
def discussion(make_article, make_comment):
    """An article with three approved threads, the first with a reply."""
    article = make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")
    approved = {"status": Comment.Status.APPROVED}
    threads = [
        make_comment(article, name="Ana", body="First thoughts on the car.", **approved),
        make_comment(article, name="Ben", body="I would wait for reviews.", **approved),
        make_comment(article, name="Chloe", body="Prices will decide it.", **approved),
    ]
    make_comment(article, name="Dev", body="Agreed.", parent=threads[0], **approved)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=4)
    return article, threads


# --- Measuring --------------------------------------------------------------------------------
def phone(page):
    page.set_viewport_size(PHONE)
    page.evaluate("() => window.scrollTo(0, 0)")


def desktop(page):
    page.set_viewport_size(DESKTOP)
    page.evaluate("() => window.scrollTo(0, 0)")


def rect(page, selector: str) -> dict:
    return page.evaluate(
        """(selector) => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    width: r.width, height: r.height};
        }""",
        selector,
    )


def assert_compact_phone_header(page, name: str) -> None:
    """The page's header element, measured at the top of the page on a 390x844 phone."""
    assert page.evaluate("() => window.scrollY") == 0
    header = page.evaluate(
        """() => {
            const h = document.querySelector("header, [role=banner]");
            const r = h.getBoundingClientRect();
            return {top: r.top, height: r.height, banner: h.closest("main, article") === null};
        }"""
    )
    assert header["banner"], f"{name}: the first header is not the page's banner"
    assert header["top"] == 0, f"{name}: the header is not at the top of the page"
    assert header["height"] <= MAX_PHONE_HEADER, (
        f"{name}: the phone header is {header['height']:.0f} px tall "
        f"(at most {MAX_PHONE_HEADER} px)"
    )


def assert_no_sideways_scroll(page, name: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name}: scrolls sideways ({widths[0]} > {widths[1]})"


def stories_in_first_screen(page) -> list[str]:
    """Headline links (links inside h1-h6 to an article) wholly inside the first screen."""
    return page.evaluate(
        """() => {
            const seen = new Set();
            for (const a of document.querySelectorAll(
                    "main :is(h1, h2, h3, h4, h5, h6) a[href*='/articles/']")) {
                const r = a.getBoundingClientRect();
                const shown = r.width > 0 && r.height > 0;
                if (shown && r.top >= 0 && r.bottom <= window.innerHeight) seen.add(a.pathname);
            }
            return [...seen];
        }"""
    )


def screens(page, artifacts, name: str) -> None:
    """The first screen at both widths, and the whole page at both: for a person to look at."""
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.evaluate("() => window.scrollTo(0, 0)")
        artifacts.screenshot(page, f"{name}-{label}-first-screen.png")
        artifacts.screenshot(page, f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def check_both_widths(page, artifacts, assert_accessible, name: str) -> None:
    screens(page, artifacts, name)
    desktop(page)
    assert_accessible(f"{name} at 1280")
    phone(page)
    assert_compact_phone_header(page, name)
    assert_no_sideways_scroll(page, name)
    assert_accessible(f"{name} at 390")
    desktop(page)


TAP_TARGET = 24  # CSS px, each way: WCAG 2.2's minimum target size (2.5.8)


def assert_usable_on_a_phone(control, name: str) -> None:
    """A box a finger can use on a PHONE-wide screen: shown, wholly within the screen's width, at
    least TAP_TARGET px each way, and what a tap at its middle reaches (not covered)."""
    control.scroll_into_view_if_needed()
    shown = control.bounding_box()
    assert shown is not None, f"{name}: not shown"
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"], (name, shown)
    assert shown["width"] >= TAP_TARGET and shown["height"] >= TAP_TARGET, (name, shown)
    reached = control.evaluate(
        """(box) => {
            const r = box.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit !== null && (box === hit || box.contains(hit) || hit.control === box);
        }"""
    )
    assert reached, f"{name}: covered by something else where a finger would tap it"
