"""The edit page of a published comment says until when it may be edited, as its status page
does: it said nothing of the time, so a writer who opened it near the end of the window typed on
and found Save refused ("This comment can no longer be edited")."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from comments.tokens import status_token


def _edit_page(reader, comment) -> str:
    return reader.get(reverse("comments:edit", args=[status_token(comment)])).content.decode()


def test_the_edit_page_says_until_when_the_comment_may_be_edited(
    reader, article, make_comment, settings
):
    settings.TIME_ZONE = "Europe/Lisbon"
    moderated = timezone.now() - timedelta(minutes=3)
    comment = make_comment(article, status="approved", moderated_at=moderated)

    page = _edit_page(reader, comment)

    deadline = timezone.localtime(moderated + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES))
    until = f'You can edit it until <time datetime="{deadline:%Y-%m-%dT%H:%M:%S%z}">'
    shown = f">{deadline:%H:%M} {deadline.tzname()}</time>."
    assert f"Your comment is published. {until}" in page and shown in page
    assert until in reader.get(comment.status_url).content.decode()  # in the same words


def test_a_waiting_comment_s_edit_page_names_no_time(reader, article, make_comment):
    # It may be edited as long as it waits.
    comment = make_comment(article, status="pending")

    page = _edit_page(reader, comment)

    assert "Your comment waits for review" in page and "You can edit it until" not in page
