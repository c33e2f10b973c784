"""A commenter's own pages as a reader sees them, at 1280 and 390 px: the export link's list of
their comments, and a comment's private status page."""

from itertools import pairwise

import pytest
from django.utils import timezone

from comments import links
from comments.models import CommenterAddress
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# A row's lines are 24 px apart: less than half a line between two rows reads as one run of text.
ROW_GAP = 10


def _open_export_page(page, email, settings):
    address = CommenterAddress.objects.claim(email)
    page.goto(links.privacy_url(address.pk, "export").removeprefix(settings.SITE_URL))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_comment_on_the_export_page_is_a_row_of_its_own(
    page, article, make_comment, settings, snap, viewport
):
    for n in range(4):
        make_comment(article, email="maria@example.com", body=f"Thought number {n} " * 6)
    page.set_viewport_size(viewport)
    _open_export_page(page, "maria@example.com", settings)

    rows = page.locator("main li").evaluate_all(
        "items => items.map((item) => item.getBoundingClientRect())"
        ".map((box) => ({top: box.top, bottom: box.bottom}))"
    )

    gaps = [below["top"] - above["bottom"] for above, below in pairwise(rows)]
    assert len(gaps) == 3
    assert min(gaps) >= ROW_GAP, f"rows {gaps} px apart at {viewport['width']} px"
    snap("export-page", phone_layout=True)


def _looks(locator) -> dict:
    return locator.evaluate(
        "(element) => { const style = getComputedStyle(element);"
        " return {text: style.color, border: style.borderTopColor, weight: style.fontWeight}; }"
    )


def test_the_status_pages_export_and_erase_look_like_its_other_actions_not_disabled(
    page, article, make_comment, snap
):
    comment = make_comment(article, email="maria@example.com")
    page.goto(comment.status_url)
    controls = page.get_by_role("group", name="Your comment")
    asks = page.get_by_role("region", name="All your comments")

    export, erase = (asks.get_by_role("button", name=name) for name in ("Export", "Erase"))

    # Export draws as Edit (the site's secondary action, as on the privacy page); Erase, which
    # deletes every comment, as Delete: neither in the grey of a control that cannot be used.
    assert _looks(export) == _looks(controls.get_by_role("link", name="Edit"))
    assert _looks(erase) == _looks(controls.get_by_role("link", name="Delete"))
    assert _looks(export) != _looks(erase)
    snap("status-page", phone_layout=True)


def test_the_stop_mail_pages_mail_me_a_link_button_looks_usable(
    page, article, make_comment, settings, snap
):
    comment = make_comment(article, email="maria@example.com")
    address = CommenterAddress.objects.claim("maria@example.com")
    CommenterAddress.objects.filter(pk=address.pk).update(mail_stopped_at=timezone.now())
    page.goto(comment.status_url)
    edit_look = _looks(
        page.get_by_role("group", name="Your comment").get_by_role("link", name="Edit")
    )

    page.goto(links.stop_mail_url(address.pk).removeprefix(settings.SITE_URL))
    ask = page.get_by_role("button", name="Mail me a link to my comments")

    # A second action beside "Stop all mail", drawn as the site's other second actions are, not
    # in the grey of a control that cannot be used.
    assert _looks(ask) == edit_look
    snap("stop-mail-page", phone_layout=True)
