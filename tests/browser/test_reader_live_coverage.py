"""A story followed live, as a reader keeps it open: a new update is offered by a button, not
pushed under their eyes, and shown where they read on; more than the page holds are all counted,
and those it has no room for are said and linked to; the "Live" label and the updates read
at least 4.5:1 in either scheme; axe finds nothing serious."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.correction_services import append_correction
from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import post_update
from articles.models import Article, LiveUpdate
from tests.browser.test_reader_dark import assert_readable

pytestmark = pytest.mark.browser


@pytest.fixture
def live(article):
    post_update(article=article, text="We follow the storm through the day.")
    post_update(
        article=article, text="Winds reach 120 km/h.", headline="Record gust", key_event=True
    )
    return article


def test_a_reader_with_the_page_open_is_offered_the_new_update(page, live):
    page.goto(live.get_absolute_url())
    coverage = page.get_by_role("region", name="Live Updates")
    expect(coverage.locator(".live-update")).to_have_count(2)

    post_update(article=live, text="Trains stop at noon.", headline="Trains stop")
    # The tab comes back into view: the script looks at once (else within the minute).
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    offer = page.get_by_role("button", name="1 new update: show it")
    expect(offer).to_be_visible()
    expect(coverage.locator(".live-update")).to_have_count(2)  # nothing moved meanwhile
    offer.click()

    newest = page.locator(".live-update").first
    expect(newest).to_contain_text("Trains stop at noon.")
    expect(newest).to_be_focused()
    expect(page.locator(".live-update")).to_have_count(3)
    expect(page.get_by_role("button", name="1 new update: show it")).to_be_hidden()


# More new updates than page 1 holds: (how many, what the button says, what the reader is told
# after "show them", the newest of those not shown). With 45, they run over pages 2 and 3.
NEWEST_20 = "These are the newest 20 of"
MISSED = [
    (LIVE_UPDATES_PER_PAGE, "20 new updates", None, None),
    (30, "30 new updates", f"{NEWEST_20} 30 new updates. Read the other 10 on the next page.", 9),
    (
        45,
        "45 new updates",
        f"{NEWEST_20} 45 new updates. Read the other 25 on the next 2 pages.",
        24,
    ),
    # Away for long: the script reads five earlier pages at most, and says so. With exactly
    # 120 new, the two the reader had start page 7, which it does not read: "at least" is true.
    (
        120,
        "At least 120 new updates",
        f"{NEWEST_20} at least 120 new updates. Read the others on the earlier pages.",
        99,
    ),
    (
        125,
        "At least 120 new updates",
        f"{NEWEST_20} at least 120 new updates. Read the others on the earlier pages.",
        104,
    ),
]


@pytest.mark.parametrize(
    ("count", "offered", "told", "first_missed"), MISSED, ids=[str(row[0]) for row in MISSED]
)
def test_a_reader_back_after_many_updates_is_told_of_those_not_shown(
    page, live, count, offered, told, first_missed
):
    page.goto(live.get_absolute_url())
    expect(page.locator(".live-update")).to_have_count(2)
    news = [post_update(article=live, text=f"Update {n}.") for n in range(count)]

    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_role("button", name=f"{offered}: show them").click()

    expect(page.locator(".live-update")).to_have_count(LIVE_UPDATES_PER_PAGE)
    newest = page.locator(".live-update").first
    note = page.locator(".live-missed")
    if told is None:  # every new one is here: nothing to say
        expect(newest).to_be_focused()
        expect(note).to_have_count(0)
        return
    expect(note).to_have_text(told)
    # The note takes focus, so a screen reader reads it out, and it stands right before the
    # newest update (after the key events), where reading on from it goes. Not said by the status
    # region as well: the move of focus would cut those words short, or they would come twice.
    expect(note).to_be_focused()
    assert note.evaluate("(note) => note.nextElementSibling.id") == newest.get_attribute("id")
    expect(page.get_by_role("status").filter(has_text=told)).to_have_count(0)
    assert_readable(page, [".live-missed", ".live-missed a"], "the note of updates not shown")
    note.get_by_role("link").click()

    missed = news[first_missed]
    expect(page).to_have_url(re.compile(rf"/updates/2/#update-{missed.pk}$"))
    expect(page.locator(".live-update").first).to_contain_text(f"Update {first_missed}.")


# Each fetch the page's scripts make, noted as it is made (the clock moved on by the test runs
# the timers at once, their fetches with them).
RECORD_FETCHES = """
window.fetched = [];
const fetchAsked = window.fetch;
window.fetch = function (resource, options) {
  window.fetched.push(String(resource));
  return fetchAsked.apply(this, arguments);
};
"""


def test_an_earlier_page_never_asks_for_new_updates(page, live):
    for n in range(LIVE_UPDATES_PER_PAGE):
        post_update(article=live, text=f"Update {n}")
    page.clock.install()
    page.add_init_script(RECORD_FETCHES)
    # The first page does, each minute: what the earlier page is compared with.
    page.goto(live.get_absolute_url())
    page.clock.run_for(61_000)
    assert page.evaluate("window.fetched") == [live.get_absolute_url()]

    earlier = f"{live.get_absolute_url()}updates/2/"
    page.goto(earlier)
    expect(page.locator(".live-update")).to_have_count(2)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.clock.run_for(10 * 61_000)

    # Nothing new comes to it: no minute, no return to the tab asks for it again.
    assert page.evaluate("window.fetched") == []
    expect(page.get_by_role("button", name="new update")).to_have_count(0)


def test_the_bylines_latest_update_follows_the_updates_shown(page, live):
    # The updates so far were posted two hours ago: the byline says so, then the newest's time.
    earlier = timezone.now() - timedelta(hours=2)
    LiveUpdate.objects.filter(article=live).update(posted_at=earlier)
    Article.objects.filter(pk=live.pk).update(updated_at=earlier)
    page.goto(live.get_absolute_url())
    latest = page.locator(".byline-live time")
    expect(latest).to_have_text(timezone.localtime(earlier).strftime("%H:%M %Z"))

    newest = post_update(article=live, text="Trains stop at noon.", headline="Trains stop")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_role("button", name="1 new update: show it").click()

    expect(page.locator(".live-update").first).to_contain_text("Trains stop at noon.")
    expect(latest).to_have_text(timezone.localtime(newest.posted_at).strftime("%H:%M %Z"))
    expected = timezone.localtime(newest.posted_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    expect(latest).to_have_attribute("datetime", expected)
    # Still leading to the updates.
    expect(page.get_by_role("link", name="Latest update")).to_have_attribute(
        "href", "#live-updates"
    )


def test_the_swapped_byline_times_bring_no_link_the_page_lacks(page, live):
    page.goto(live.get_absolute_url())
    # A correction appended meanwhile is on the fetched page, not on this one (no #corrections).
    append_correction(article=live, text="The gust was 110 km/h, not 120.")
    newest = post_update(article=live, text="Trains stop at noon.")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_role("button", name="1 new update: show it").click()

    when = timezone.localtime(newest.posted_at).strftime("%H:%M %Z")
    expect(page.locator(".byline-live time")).to_have_text(when)
    expect(page.locator(".byline-updated")).to_have_count(1)
    # The times alone change: the byline links only to what this page shows.
    expect(page.locator(".byline-corrected")).to_have_count(0)
    expect(page.locator("#corrections")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_live_coverage_reads_clearly_and_axe_finds_nothing_serious(
    page, live, assert_accessible, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live.get_absolute_url())
    assert_readable(
        page,
        [".live-label", ".live-update-time", ".key-event-label", ".key-events a"],
        f"live coverage, {scheme}",
    )
    assert_accessible(f"live story, {scheme}")
    page.goto("/")
    assert_readable(page, [".live-label"], f"live label in the list, {scheme}")


def test_a_signed_in_readers_poll_is_the_shared_page(page, live, django_user_model):
    django_user_model.objects.create_user("desk", "desk@example.com", "pw-desk-123", is_staff=True)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("pw-desk-123")
    page.get_by_role("button", name="Log in").click()
    own = page.goto(live.get_absolute_url())
    assert "public" not in own.headers["cache-control"]  # their page is their own

    with page.expect_response(lambda r: r.url.endswith(live.get_absolute_url())) as polled:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    # Asked without their cookies: the page every reader shares, kept by the caches in front.
    assert polled.value.headers["cache-control"].startswith("public")
