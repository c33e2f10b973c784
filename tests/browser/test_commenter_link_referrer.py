"""A comment's status page, whose address is the key to the comment, gives none of it away in
the Referer of what the browser fetches for it or of a link followed from it; its buttons
still work (a form sent from it carries our Origin)."""

import pytest
from playwright.sync_api import expect

from comments.models import ReplySubscription

pytestmark = pytest.mark.browser


def test_the_status_page_s_requests_name_our_origin_alone_and_its_buttons_work(
    page, article, make_comment, live_server
):
    comment = make_comment(article, status="approved", email="maria@example.com")
    # Read once: signed with the time, it names another token a second later (and so does the
    # page's own forms' address): the Referers must name no status address at all.
    status_url = comment.status_url
    referers = []
    page.on("request", lambda request: referers.append(request.headers.get("referer", "")))

    page.goto(status_url)
    page.get_by_role("button", name="Mail me when someone replies").click()

    expect(page.get_by_role("button", name="Stop mail about replies")).to_be_visible()
    assert ReplySubscription.objects.filter(comment=comment).exists()
    assert any(referers)  # its stylesheets and scripts were fetched with one
    assert not [referer for referer in referers if "/comments/status/" in referer]
