"""The page that asks before a commenter deletes says what deleting does to this comment: a
comment never published does not "leave the site", and replies are spoken of only where there
are some."""

import re

from django.urls import reverse

from comments.models import Comment
from comments.tokens import status_token
from tests import commenter_links

published = commenter_links.published  # the fixture: a comment on the page


def _said(reader, comment) -> str:
    page = reader.get(reverse("comments:delete", args=[status_token(comment)])).content.decode()
    start = page.index('<h1 class="h3">Delete')
    asked = page[start : page.index("<form", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", asked).split())


def test_a_comment_that_waits_for_review_is_not_said_to_leave_the_site(
    reader, article, make_comment
):
    said = _said(reader, make_comment(article, body="Still waiting"))

    assert "leaves the site" not in said
    assert "cannot be brought back" in said
    assert "Replies" not in said


def test_a_published_comment_leaves_the_site_and_its_replies_stay_only_if_it_has_some(
    reader, article, published, make_comment
):
    alone = published(body="Nobody answered")
    answered = published(body="Somebody answered")
    make_comment(article, parent=answered, status=Comment.Status.APPROVED, email="bob@example.com")

    assert "leaves the site at once" in _said(reader, alone)
    assert "Replies" not in _said(reader, alone)
    assert "Replies others wrote to it stay" in _said(reader, answered)
