"""New comments sent while a moderator works the queue raise its counts and are told in a
polite line above the cards ("2 new comments sent since you opened this page"), asked at most
once a minute with the question about cards decided meanwhile."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import log_in_to_admin, open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]


def test_new_comments_raise_the_counts_and_are_told_above_the_cards(
    page, moderator, article, make_comment
):
    start = timezone.now() - timedelta(hours=1)
    make_comment(article, body="Waiting already.", created_at=start)
    page.clock.install()
    open_queue(page, moderator.username)
    under_list = page.locator(".paginator")
    expect(under_list).to_contain_text("1 comment")

    make_comment(article, body="Sent while the moderator reads.")
    make_comment(article, body="And one more.")
    page.clock.run_for(31_000)  # the question about cards decided meanwhile: not about these
    expect(page.locator(".queue-arrivals")).to_be_hidden()
    page.clock.run_for(30_000)  # once a minute, it asks about new comments too

    line = page.locator(".queue-arrivals")
    expect(line).to_have_text(
        re.compile(
            r"^2 new comments sent since you opened this page\. Show the queue as it is now$"
        )
    )
    expect(under_list).to_contain_text("3 comments")
    line.get_by_role("link", name="Show the queue as it is now").click()
    expect(page.locator(".queue-row")).to_have_count(3)


def test_an_empty_queue_tells_the_comments_sent_while_the_moderator_waits(
    page, moderator, article, make_comment
):
    page.clock.install()
    log_in_to_admin(page, moderator.username)
    page.goto("/admin/comments/comment/")
    expect(page.locator(".queue-empty")).to_contain_text("Nothing waiting")

    make_comment(article, body="The first of the evening.")
    page.clock.run_for(61_000)  # asked once a minute

    line = page.locator(".queue-arrivals")
    expect(line).to_have_text(
        "1 new comment sent since you opened this page. Show the queue as it is now"
    )
    line.get_by_role("link", name="Show the queue as it is now").click()
    expect(page.locator(".queue-row")).to_have_count(1)
