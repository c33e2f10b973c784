"""An edit of a published comment that goes back to a moderator (or that the filters hold back)
takes the comment off the article page, and the replies readers saw under it go with it: a
reply shows only under a published comment. The status and edit pages said the comment leaves
the page, Save said it is updated, and nothing said the replies went too. Said now, only where
the comment has published replies."""

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, ModerationPolicy
from comments.tokens import status_token
from tests.test_commenter_edit_twice import _form_as_drawn

BEFORE_TWO = "While it is off the page, so are the 2 replies under it."
BEFORE_ONE = "While it is off the page, so is the reply under it."
AFTER_TWO = "The 2 replies under it are off the page with it."


@pytest.fixture
def thread(article, make_comment):
    """A published comment (a minute old, so still editable), and a way to add replies."""
    ModerationPolicy.objects.create(moderation_words="crypto", blocked_words="casino")
    now = timezone.now()
    comment = make_comment(article, status="approved", moderated_at=now, body="First words")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    def reply(status="approved", body="A reply"):
        made = make_comment(article, parent=comment, status=status, moderated_at=now, body=body)
        if status == "approved":
            counted = F("approved_comment_count") + 1
            Article.objects.filter(pk=article.pk).update(approved_comment_count=counted)
        return made

    return comment, reply


def _pages(reader, comment) -> tuple[str, str]:
    status_page = reader.get(comment.status_url).content.decode()
    edit_page = reader.get(reverse("comments:edit", args=[status_token(comment)])).content.decode()
    return status_page, edit_page


def _saved(reader, comment, words) -> str:
    edit = reverse("comments:edit", args=[status_token(comment)])
    return reader.post(edit, _form_as_drawn(reader, comment, words), follow=True).content.decode()


@pytest.mark.parametrize("clean_edits_kept", [False, True])
def test_the_status_and_edit_pages_say_the_published_replies_leave_with_it(
    reader, thread, clean_edits_kept
):
    comment, reply = thread
    ModerationPolicy.objects.update(publish_clean_edits=clean_edits_kept)
    reply(body="First reply")

    for page in _pages(reader, comment):
        assert BEFORE_ONE in page and "replies under it" not in page

    reply(body="Second reply")
    reply(status="pending", body="A reply nobody sees yet")  # not published: not counted

    for page in _pages(reader, comment):
        assert BEFORE_TWO in page


def test_nothing_is_said_of_replies_where_none_is_published(reader, thread):
    comment, reply = thread
    reply(status="pending", body="A reply nobody sees yet")

    for page in _pages(reader, comment):
        assert "under it" not in page
    answer = _saved(reader, comment, "First words, and crypto")
    assert "Your comment is updated. A moderator will review the new text.</div>" in answer
    assert "under it" not in answer


def test_save_and_the_status_page_say_the_replies_went_off_the_page_with_it(
    reader, article, thread
):
    comment, reply = thread
    reply(body="First reply")
    reply(body="Second reply")

    answer = _saved(reader, comment, "First words, and crypto")

    assert (
        "Your comment is updated. A moderator will review the new text. "
        "The 2 replies under it are off the page with it." in answer
    )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    assert "First reply" not in reader.get(article.get_absolute_url()).content.decode()
    # Opened again later, without the message: the status and edit pages still say it.
    status_page, edit_page = _pages(reader, comment)
    assert AFTER_TWO in status_page and "waiting for review" in status_page
    assert "the moderator will read the new text. " + AFTER_TWO in edit_page


def test_an_edit_the_filters_hold_back_leaves_its_replies_on_the_page(reader, article, thread):
    # Under a placeholder, as under a comment its author deleted: one author's edit never takes
    # the replies others wrote off the site (tests/test_moderation_edit_rejected_replies.py).
    comment, reply = thread
    reply(body="The only reply")

    answer = _saved(reader, comment, "First words, and casino")

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SPAM
    assert "it will not be published.</div>" in answer and "under it" not in answer
    assert "The only reply" in reader.get(article.get_absolute_url()).content.decode()
