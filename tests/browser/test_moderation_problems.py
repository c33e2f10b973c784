"""A decision the site did not take looks like one: the status line says why and which comment
waits again, and where it is from the card the moderator has moved on to, in the admin's error
colours, never in the green of a decision taken."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.helpers import open_queue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("presets")]

# The admin's --message-error-bg and --error-fg (light theme), and its success message green.
ERROR_BG = "rgb(255, 239, 239)"
ERROR_FG = "rgb(186, 33, 33)"


def _background(locator):
    return locator.evaluate("(el) => getComputedStyle(el).backgroundColor")


def test_a_decision_lost_on_the_way_says_which_comment_waits_in_error_colours(
    page, moderator, article, make_comment, watch
):
    start = timezone.now() - timedelta(hours=1)
    first, second, _third = (
        make_comment(article, body=f"Comment number {n}.", created_at=start + timedelta(minutes=n))
        for n in range(3)
    )
    # The route is in place before the page loads: one added to a page already open can miss
    # the request made just after it, under load (Chromium applies its interception patterns
    # meanwhile), and that approval went through to the site.
    connection = {"lost": False}
    page.route(
        "**/approve/",
        lambda route: route.abort() if connection["lost"] else route.continue_(),
    )
    open_queue(page, moderator.username)
    status = page.locator(".queue-status")
    connection["lost"] = True  # the connection drops

    page.keyboard.press("a")

    expect(status).to_have_text(
        f"Not sent: check the connection and try again. The comment by {first.name} is open "
        "again, above (k)."
    )
    assert _background(status) == ERROR_BG
    outcome = page.locator(f"#queue-{first.pk} .queue-outcome")
    expect(outcome).to_have_css("color", ERROR_FG)
    expect(page.locator(f"#queue-{second.pk}")).to_have_class(re.compile(r"\bis-selected\b"))

    # Back online: the next decision is told as taken, in the colours of one.
    connection["lost"] = False
    page.keyboard.press("s")
    expect(status).to_have_text(re.compile(r": marked as spam\.$"))
    assert _background(status) != ERROR_BG
    expect(page.locator(f"#queue-{second.pk} .queue-outcome")).not_to_have_css("color", ERROR_FG)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Comment.Status.PENDING, Comment.Status.SPAM)
    # The aborted request is the test's doing, not the page's.
    watch.problems = [p for p in watch.problems if "/approve/" not in p]
