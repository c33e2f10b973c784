"""A reader back on a live story after more new updates than its page holds is told how many there
are (js/live.js reads the earlier pages to count them) and never more than it knows: an earlier
page that does not come makes the count "at least" what was read, an update met on two pages as
posts push them along is counted once, and a look begun before "show them" offers nothing again."""

import re

import pytest
from playwright.sync_api import expect

from articles.live_services import post_update

pytestmark = pytest.mark.browser

LOOK_AGAIN = "document.dispatchEvent(new Event('visibilitychange'))"


@pytest.fixture
def live(article):
    post_update(article=article, text="We follow the storm through the day.")
    post_update(article=article, text="Winds reach 120 km/h.")
    return article


def _post(article, count: int) -> list:
    return [post_update(article=article, text=f"Update {n}.") for n in range(count)]


def _hold(page, pattern: str) -> list:
    """Requests for pattern kept waiting until the test lets them go (route.continue_())."""
    held = []
    page.route(pattern, lambda route: held.append(route))
    return held


def _wait_until_asked(page, held: list, what: str) -> None:
    for _ in range(100):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the page never asked for {what}")


def _answer_as_failing(route, how: str) -> None:
    if how == "offline":
        route.abort("internetdisconnected")
    else:
        route.fulfill(status=int(how), body="Try again later", content_type="text/plain")


# An earlier page that does not come while the new updates are counted (page 3 holds the 41st to
# the 45th and the two the reader had): what was counted stands, as a lower bound.
FAILED_PAGES = [
    (
        "3",
        "offline",
        "At least 40 new updates",
        "These are the newest 20 of at least 40 new updates. Read the others on the earlier pages.",
    ),
    # The site busy, or the page gone as deletes shortened the coverage meanwhile.
    (
        "3",
        "503",
        "At least 40 new updates",
        "These are the newest 20 of at least 40 new updates. Read the others on the earlier pages.",
    ),
    (
        "3",
        "404",
        "At least 40 new updates",
        "These are the newest 20 of at least 40 new updates. Read the others on the earlier pages.",
    ),
    (
        "2",
        "offline",
        "At least 20 new updates",
        "These are the newest 20 new updates; there may be more. Read any others on the earlier "
        "pages.",
    ),
]


@pytest.mark.parametrize(
    ("failing", "how", "offered", "told"),
    FAILED_PAGES,
    ids=[f"page {row[0]} {row[1]}" for row in FAILED_PAGES],
)
def test_an_earlier_page_that_does_not_come_leaves_an_at_least_count(
    page, live, watch, failing, how, offered, told
):
    page.goto(live.get_absolute_url())
    expect(page.locator(".live-update")).to_have_count(2)
    news = _post(live, 45)
    earlier = f"{live.get_absolute_url()}updates/{failing}/"
    page.route(f"**{earlier}", lambda route: _answer_as_failing(route, how))

    page.evaluate(LOOK_AGAIN)
    page.get_by_role("button", name=f"{offered}: show them").click()

    note = page.locator(".live-missed")
    expect(note).to_have_text(told)
    # The newest of those counted and not shown, or the next page's start when none was counted.
    link = note.get_by_role("link")
    anchor = f"update-{news[24].pk}" if failing == "3" else "live-updates"
    expect(link).to_have_attribute("href", f"{live.get_absolute_url()}updates/2/#{anchor}")
    # The page that failed was made to fail (and only it).
    made = [problem for problem in watch.problems if earlier in problem]
    watch.problems[:] = [problem for problem in watch.problems if problem not in made]


def test_an_update_met_again_on_the_next_page_is_counted_once(page, live):
    page.goto(live.get_absolute_url())
    expect(page.locator(".live-update")).to_have_count(2)
    _post(live, 45)
    third = _hold(page, f"**{live.get_absolute_url()}updates/3/")

    page.evaluate(LOOK_AGAIN)
    _wait_until_asked(page, third, "page 3")
    # Posted while the script reads the earlier pages: page 2's last update moves to page 3.
    post_update(article=live, text="Posted meanwhile.")
    third[0].continue_()

    # The 45 there were when the script looked (the one posted since comes with the next look).
    page.get_by_role("button", name="45 new updates: show them").click()
    expect(page.locator(".live-missed")).to_have_text(
        "These are the newest 20 of 45 new updates. Read the other 25 on the next 2 pages."
    )


def test_a_look_begun_before_show_them_offers_nothing_again(page, live):
    page.goto(live.get_absolute_url())
    expect(page.locator(".live-update")).to_have_count(2)
    _post(live, 30)
    page.evaluate(LOOK_AGAIN)
    offer = page.get_by_role("button", name="30 new updates: show them")
    expect(offer).to_be_visible()

    # The tab comes back into view again: a second look, slow on the earlier page.
    earlier = f"{live.get_absolute_url()}updates/2/"
    second = _hold(page, f"**{earlier}")
    page.evaluate(LOOK_AGAIN)
    _wait_until_asked(page, second, "page 2")
    offer.click()
    told = "These are the newest 20 of 30 new updates. Read the other 10 on the next page."
    expect(page.locator(".live-missed")).to_have_text(told)

    with page.expect_response(lambda response: response.url.endswith(earlier)) as answer:
        second[0].continue_()
    answer.value.finished()
    page.wait_for_timeout(300)  # time for the script to do what it does with the answer

    # The second look compared the page with what was shown before: the updates just read
    # are not offered, nor announced, again.
    expect(page.locator(".live-new")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("new update"))).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="above the latest you read")).to_have_count(0)
    expect(page.locator(".live-update")).to_have_count(20)
