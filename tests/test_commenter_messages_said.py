"""A message a commenter's page is drawn with is said as what it is: news ("Nothing changed",
"updated") in a polite status region, a warning (what they asked for did not happen) in an
alert, read out at once, as the edit page's errors are."""

import re

from django.urls import reverse

from comments import commenter_views
from comments.tokens import status_token
from tests.test_commenter_follow_meanwhile import NOT_PUBLISHED, _landing_first, _mine
from tests.test_commenter_mail_follow import follow_path


def _region_saying(page: str, text: str) -> str:
    """The opening tag of the messages box that holds text."""
    found = re.search(
        r'(<div class="messages"[^>]*>)(?:(?!</div>\s*</div>).)*' + re.escape(text), page, re.S
    )
    assert found, f"{text!r} is not in the messages"
    return found.group(1)


def test_nothing_changed_is_said_politely(reader, article, make_comment):
    comment = make_comment(article, body="First words")
    edit = reverse("comments:edit", args=[status_token(comment)])

    page = reader.post(edit, {"revision": "0", "body": "First words"}, follow=True)

    opening = _region_saying(page.content.decode(), "Nothing changed")
    assert 'role="status"' in opening


def test_reply_mail_refused_meanwhile_is_an_alert(
    reader, article, make_comment, moderator, monkeypatch
):
    comment = _mine(article, make_comment, "rejected")
    path = follow_path(comment)
    reader.get(comment.status_url)
    _landing_first(monkeypatch, commenter_views, comment, "rejected", moderator)

    page = reader.post(path, follow=True).content.decode()

    opening = _region_saying(page, NOT_PUBLISHED)
    assert 'role="alert"' in opening
    assert "aria-live" not in opening  # an alert is read at once: no polite region around it
