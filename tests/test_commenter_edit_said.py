"""What Save tells the writer of an edit kept published by the policy's "keep clean edits
published": "Your comment is updated on the article" only where readers see it. A reply approved
under a comment that is off the page (its author's edit back in the queue, or then rejected)
was told so, just above its status saying it was off the page, and was nowhere on the
article."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.commenter_services import edit_comment
from comments.models import Comment, ModerationPolicy
from comments.services import reject
from comments.tokens import status_token
from tests.test_commenter_edit_twice import _form_as_drawn

ON_THE_ARTICLE = "Your comment is updated on the article."


@pytest.fixture
def thread(article, make_comment):
    """A published comment and a published reply to it, both a minute old."""
    ModerationPolicy.objects.create(publish_clean_edits=True, moderation_words="crypto")
    now = timezone.now()
    comment = make_comment(article, status="approved", moderated_at=now, body="First words")
    reply = make_comment(
        article, parent=comment, status="approved", moderated_at=now, body="Reply words"
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    return comment, reply


def _saved(reader, comment, words):
    edit = reverse("comments:edit", args=[status_token(comment)])
    return reader.post(edit, _form_as_drawn(reader, comment, words), follow=True)


@pytest.mark.parametrize("off", ["read again", "not kept"])
def test_a_reply_off_the_page_with_its_comment_is_not_said_updated_on_the_article(
    reader, article, thread, moderator, off
):
    comment, reply = thread
    # Its author's edit is held for a moderator: off the page, with its reply, until read.
    edit_comment(comment=comment, body="First words, and crypto")
    if off == "not kept":
        reject(comment=comment, by=moderator, reason="Off topic")

    answer = _saved(reader, reply, "Reply words, put better")

    page = answer.content.decode()
    assert ON_THE_ARTICLE not in page
    assert "Your comment is updated." in page
    assert "off the page" in page  # its status, right below, says why
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.APPROVED
    assert "Reply words, put better" not in reader.get(article.get_absolute_url()).content.decode()


def test_a_published_comment_kept_published_is_said_updated_on_the_article(reader, article, thread):
    comment, reply = thread

    for edited, words in ((comment, "First words, put better"), (reply, "Reply, put better")):
        answer = _saved(reader, edited, words)

        assert ON_THE_ARTICLE in answer.content.decode()
        assert words in reader.get(article.get_absolute_url()).content.decode()
