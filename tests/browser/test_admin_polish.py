"""The admin index's moderation chart as a moderator sees it, in the light and the dark theme:
each series (received, decided, the oldest wait) stands out from the page at 3:1 or more as
bars and line, and its key's words read at 4.5:1. The comment queues' headings, as a screen
reader lists them: the page, the list, then each card, no level skipped."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Report
from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = pytest.mark.browser

# The colour of each part against the first opaque background behind the chart, by WCAG's
# relative luminance.
CONTRASTS = """() => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const luminance = ([r, g, b]) => [r, g, b]
    .map((c) => c / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  let behind = document.querySelector(".moderation-chart");
  while (behind && (rgb(getComputedStyle(behind).backgroundColor)[3] ?? 1) === 0) {
    behind = behind.parentElement;
  }
  const page = luminance(rgb(getComputedStyle(behind || document.body).backgroundColor));
  const ratio = (colour) => {
    const [a, b] = [luminance(rgb(colour)), page].sort((x, y) => y - x);
    return Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
  };
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const chart = ".moderation-chart svg";
  return {
    "received bars": ratio(style(`${chart} rect:nth-of-type(odd)`).fill),
    "decided bars": ratio(style(`${chart} rect:nth-of-type(even)`).fill),
    "wait line": ratio(style(`${chart} polyline`).stroke),
    "wait scale": ratio(style(`${chart} text:last-of-type`).fill),
    "received key": ratio(style(".chart-received").color),
    "decided key": ratio(style(".chart-decided").color),
    "wait key": ratio(style(".chart-wait").color),
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_moderation_charts_series_stand_out_in_either_theme(
    page, superuser, make_article, make_comment, theme, assert_accessible, artifacts
):
    story = make_article(title="Coral reef shows surprising signs of recovery")
    make_comment(story, name="Ana", status=Comment.Status.APPROVED)
    make_comment(story, name="Ben")
    page.emulate_media(color_scheme=theme)
    log_in_to_admin(page, superuser.username)

    page.goto("/admin/")
    expect(page.locator(".moderation-chart svg")).to_be_visible()
    artifacts.screenshot(page, f"admin-index-{theme}.png", full_page=True)

    contrasts = page.evaluate(CONTRASTS)
    faint = {part: ratio for part, ratio in contrasts.items() if ratio < 3}
    assert not faint, f"{theme}: parts of the chart under 3:1 on the page: {faint}"
    keys = {part: ratio for part, ratio in contrasts.items() if "key" in part or "scale" in part}
    unreadable = {part: ratio for part, ratio in keys.items() if ratio < 4.5}
    assert not unreadable, f"{theme}: the chart's words under 4.5:1: {unreadable}"
    assert_accessible(f"/admin/ in the {theme} theme")


@pytest.mark.parametrize("queue", ["pending", "reported"])
def test_the_queues_card_titles_come_under_a_heading_for_the_list(
    page, moderator, article, make_comment, axe_source, queue
):
    waiting = make_comment(article, name="Chloe")
    reported = make_comment(article, name="Ana", status=Comment.Status.APPROVED)
    Report.objects.create(comment=reported, reason="abuse", reporter="reader-1")
    open_queue(page, moderator.username)
    page.goto(f"/admin/comments/comment/?status={queue}")
    name = {"pending": waiting.name, "reported": reported.name}[queue]
    card = page.get_by_role("heading", level=3, name=f"{name} on {article.title}")
    expect(card).to_be_visible()

    headings = page.evaluate(
        """() => [...document.querySelectorAll("#content h1, #content h2, #content h3")]
               .filter((h) => !h.closest("dialog")).map((h) => h.tagName).slice(0, 3)"""
    )
    assert headings == ["H1", "H2", "H3"]
    page.evaluate(axe_source)
    skipped = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ["heading-order"]})).violations
               .flatMap((v) => v.nodes.map((n) => n.target.join(" ")))"""
    )
    assert not skipped, f"headings skip a level at {skipped}"
