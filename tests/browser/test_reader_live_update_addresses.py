"""A live update's address keeps leading to it as newer updates push it to earlier pages: a
story's "#update-<id>" shared before (or an earlier page's) finds the page it is on now
(js/live.js, through the update's own address), and its time link is that address."""

import re

import pytest
from playwright.sync_api import expect

from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import post_update

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


def test_the_time_link_leads_to_the_update(page, article):
    update = _follow(article, 2)[0]
    page.goto(article.get_absolute_url())

    page.locator(f"#update-{update.pk}-time").click()

    expect(page).to_have_url(re.compile(rf"{article.get_absolute_url()}#update-{update.pk}$"))
    expect(page.locator(f"#update-{update.pk}")).to_be_in_viewport()
