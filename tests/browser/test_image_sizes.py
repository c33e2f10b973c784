"""The `sizes` of the pictures (the article's hero, the home page's lead, the cards' thumbnails)
say how wide the layout really draws them, from phone to wide desktop: the browser then fetches the
rendition that fits, neither a blurry one nor one twice too big, and in the first format it
shows (AVIF: 25-45% fewer bytes than the JPEG). Measured in Chromium."""

import io

import pytest
from PIL import Image

from articles.images import rendition_urls
from tests.browser.conftest import PHONE
from tests.browser.layout import give_picture

pytestmark = pytest.mark.browser

WIDTHS = (390, 640, 800, 1000, 1280, 1440)
# The slot may round up a little (a scrollbar); never be smaller than the picture (but a subpixel).
SLACK = 20

# Evaluates the sizes attribute as the browser does: the first media condition that matches
# (or the last, bare length), measured by laying out a box that wide.
DECLARED_AND_DRAWN = """(selector) => {
  const img = document.querySelector(selector);
  let length = null;
  for (const part of img.getAttribute("sizes").split(/,(?![^(]*\\))/)) {
    const match = part.trim().match(/^(\\(.*\\))\\s+(.+)$/);
    if (!match) { length = part.trim(); break; }
    if (window.matchMedia(match[1]).matches) { length = match[2]; break; }
  }
  const probe = document.createElement("div");
  probe.style.width = length;
  probe.style.position = "absolute";
  document.body.append(probe);
  const declared = probe.getBoundingClientRect().width;
  probe.remove();
  return {declared, drawn: img.getBoundingClientRect().width, length};
}"""


def rendition_kinds(stories) -> dict[str, tuple[str, int]]:
    """Every rendition's address: (its MIME type, its width)."""
    found = {}
    for story in stories:
        by_type = {"image/jpeg": story.hero_renditions, **story.hero_modern_renditions}
        for mime_type, renditions in by_type.items():
            found.update({url: (mime_type, width) for width, url in rendition_urls(renditions)})
    return found


@pytest.fixture
def pictured(make_article):
    articles = []
    for n in range(6):
        article = make_article(title=f"Pictured story {n}", slug=f"pictured-{n}", hero_alt="A road")
        give_picture(article, n, f"p{n}.jpg", size=(1600, 900))
        articles.append(article)
    return articles


@pytest.mark.parametrize(
    ("where", "selector"),
    [
        ("article", ".hero img"),
        ("home", ".lead-image"),
        ("home", ".article-card:nth-child(1) .card-image"),  # a wide card
        ("home", ".article-card:nth-child(3) .card-image"),
    ],
)
def test_the_largest_picture_declares_the_width_it_is_drawn_at(page, pictured, where, selector):
    page.goto(pictured[0].get_absolute_url() if where == "article" else "/")
    wrong = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found = page.evaluate(DECLARED_AND_DRAWN, selector)
        if not found["drawn"] - 1 <= found["declared"] <= found["drawn"] + SLACK:
            wrong.append(f"{width} px wide: drawn {found['drawn']:.0f}, sizes says {found}")
        if "card" not in selector:
            assert page.locator(selector).get_attribute("fetchpriority") == "high"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("where", "selector"), [("article", ".hero img"), ("home", ".lead-image")])
def test_a_phone_with_a_dense_screen_fetches_the_picture_twice_its_width_not_the_widest(
    browser, live_server, pictured, where, selector
):
    # A 3x phone took the 1200 px rendition: three times the bytes of the 800 px one (130 KB
    # against 43 KB on the demo pictures) and its largest paint past 2.5 s on slow 4G.
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(pictured[0].get_absolute_url() if where == "article" else "/")
        page.wait_for_function("(s) => document.querySelector(s).complete", arg=selector)
        fetched = page.eval_on_selector(selector, "img => img.currentSrc")
        drawn = page.eval_on_selector(selector, "img => img.getBoundingClientRect().width")
    finally:
        context.close()
    kind = rendition_kinds(pictured).get(fetched.removeprefix(live_server.url))
    assert kind == ("image/avif", 800), fetched
    assert drawn >= PHONE["width"] - 1  # still drawn across the screen


@pytest.mark.parametrize(
    ("where", "selector", "width"),
    [
        ("article", ".hero img", 800),  # the slot is 760 px wide on this 1280 px screen
        ("home", ".lead-image", 800),  # 778 px
        ("home", ".article-card:nth-child(3) .card-image", 400),  # a card, 280 px
    ],
)
def test_the_browser_fetches_and_draws_the_avif_rendition_not_the_jpeg(
    page, live_server, pictured, where, selector, width
):
    fetched = {}
    page.on("response", lambda response: fetched.setdefault(response.url, response))
    page.goto(pictured[0].get_absolute_url() if where == "article" else "/")
    # Drawn: a file the browser could not decode would leave it complete but 0 pixels wide.
    page.wait_for_function(
        "(s) => document.querySelector(s).complete && document.querySelector(s).naturalWidth",
        arg=selector,
    )

    current = page.eval_on_selector(selector, "img => img.currentSrc")
    kinds = rendition_kinds(pictured)
    assert kinds.get(current.removeprefix(live_server.url)) == ("image/avif", width)
    response = fetched[current]
    assert response.headers["content-type"] == "image/avif"
    with Image.open(io.BytesIO(response.body())) as served:
        assert (served.format, served.width) == ("AVIF", width)
    jpegs = {live_server.url + url for url, (kind, _) in kinds.items() if kind == "image/jpeg"}
    assert not jpegs & set(fetched)  # no JPEG as well, of this picture or any other
