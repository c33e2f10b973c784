"""A live update's address keeps leading to it as newer updates push it to earlier pages: a
story's "#update-<id>" shared before (or an earlier page's) finds the page it is on now
(js/live.js, through the update's own address), and its time link is that address. An address
naming an update that is gone, or another story's, leaves the reader on the story."""

import re

import pytest
from playwright.sync_api import expect

from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import delete_updates, post_update
from articles.models import LiveUpdate

pytestmark = pytest.mark.browser


def _follow(article, count: int):
    return [post_update(article=article, text=f"Update {n}") for n in range(count)]


def test_a_shared_update_address_finds_it_after_it_moved_to_an_earlier_page(page, article):
    first = _follow(article, 1)[0]
    shared = f"{article.get_absolute_url()}#update-{first.pk}"  # what the time link said
    _follow(article, LIVE_UPDATES_PER_PAGE)  # twenty newer: it is on page 2 now

    page.goto(shared)

    expect(page).to_have_url(re.compile(rf"/updates/2/#update-{first.pk}$"))
    expect(page.locator(f"#update-{first.pk}")).to_contain_text("Update 0")


def test_an_earlier_pages_update_address_follows_it_to_the_next_page(page, article):
    first = _follow(article, LIVE_UPDATES_PER_PAGE + 1)[0]
    shared = f"{article.get_absolute_url()}updates/2/#update-{first.pk}"
    _follow(article, LIVE_UPDATES_PER_PAGE)

    page.goto(shared)

    expect(page).to_have_url(re.compile(rf"/updates/3/#update-{first.pk}$"))
    expect(page.locator(f"#update-{first.pk}")).to_be_visible()


def _stays_on_the_story(page, watch, story_url: str, update_id: int) -> None:
    """The page asked the update's own address, was told there is no such update (the shared
    404) and stayed: the story's address and words still there, nothing loaded after them."""
    asked = f"/updates/at/{update_id}/"
    with page.expect_response(lambda response: asked in response.url) as answer:
        page.goto(f"{story_url}#update-{update_id}")
    page.evaluate("window.stayed = true")
    assert answer.value.status == 404
    # Time for what the script does with the answer; a page it left would lose the mark.
    page.wait_for_timeout(300)
    assert page.evaluate("window.stayed") is True
    expect(page).to_have_url(re.compile(rf"{story_url}#update-{update_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xiaomi will mass-produce its car")
    # The 404 asked for is the one a reader never sees; any other problem still fails the test.
    expected = [problem for problem in watch.problems if asked in problem]
    assert expected, watch.problems
    watch.problems[:] = [problem for problem in watch.problems if problem not in expected]


def test_a_shared_address_of_a_deleted_update_leaves_the_reader_on_the_story(page, article, watch):
    gone, _ = _follow(article, 2)
    delete_updates(queryset=LiveUpdate.objects.filter(pk=gone.pk))

    _stays_on_the_story(page, watch, article.get_absolute_url(), gone.pk)


def test_another_storys_update_in_the_address_leaves_the_reader_on_the_story(
    page, article, make_article, watch
):
    _follow(article, 1)
    theirs = _follow(make_article(title="Another story", slug="another-story"), 1)[0]

    _stays_on_the_story(page, watch, article.get_absolute_url(), theirs.pk)


def test_a_moved_update_is_found_where_the_tab_keeps_no_session_storage(page, article):
    first = _follow(article, 1)[0]
    _follow(article, LIVE_UPDATES_PER_PAGE)
    # Storage blocked (a browser's setting for the site): the script still finds the update.
    page.add_init_script(
        "Object.defineProperty(window, 'sessionStorage', {get() { throw new Error('blocked'); }})"
    )

    page.goto(f"{article.get_absolute_url()}#update-{first.pk}")

    expect(page).to_have_url(re.compile(rf"/updates/2/#update-{first.pk}$"))
    expect(page.locator(f"#update-{first.pk}")).to_contain_text("Update 0")


def test_the_time_link_leads_to_the_update(page, article):
    update = _follow(article, 2)[0]
    page.goto(article.get_absolute_url())

    page.locator(f"#update-{update.pk}-time").click()

    expect(page).to_have_url(re.compile(rf"{article.get_absolute_url()}#update-{update.pk}$"))
    expect(page.locator(f"#update-{update.pk}")).to_be_in_viewport()


def test_clicking_an_updates_time_on_its_page_moves_there_without_reloading(page, article):
    first = _follow(article, 3)[0]
    page.goto(article.get_absolute_url())
    page.evaluate("window.stayed = true")  # gone if the page were loaded again
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    page.locator(f"#update-{first.pk}-time").click()

    expect(page).to_have_url(re.compile(rf"{article.get_absolute_url()}#update-{first.pk}$"))
    expect(page.locator(f"#update-{first.pk}")).to_be_in_viewport()
    # The link still gives the update's own address, to copy or open in a new tab.
    expect(page.locator(f"#update-{first.pk}-time")).to_have_attribute(
        "href", f"{article.get_absolute_url()}updates/at/{first.pk}/"
    )

    # An update "show them" brought in (the section replaced) is moved to the same way.
    newest = post_update(article=article, text="Trains stop at noon.")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_role("button", name="1 new update: show it").click()
    page.locator(f"#update-{newest.pk}-time").click()

    expect(page).to_have_url(re.compile(rf"{article.get_absolute_url()}#update-{newest.pk}$"))
    assert page.evaluate("window.stayed") is True
    assert not [url for url in asked if "/updates/at/" in url], asked
