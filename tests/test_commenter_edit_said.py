"""What Save tells the writer of an edit kept published by the policy's "keep clean edits
published": "Your comment is updated on the article" only where readers see it. A reply approved
under a comment that is off the page (its author's edit back in the queue, or then rejected)
was told so, just above its status saying it was off the page, and was nowhere on the
article. The status and edit pages say beforehand what Save will do, in its words."""

import re

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


def test_a_reply_off_the_page_with_its_comment_is_not_said_updated_on_the_article(
    reader, article, thread
):
    comment, reply = thread
    # Its author's edit is held for a moderator: off the page, with its reply, until read.
    # (Rejected, the comment leaves its replies on the page under a placeholder: below.)
    edit_comment(comment=comment, body="First words, and crypto")

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


# What the status and edit pages of an approved comment say an edit does, and what Save then says
# of a clean one: by the policy's "keep clean edits published", and where the comment stands.
PROMISES = {
    ("kept", "published"): (
        "An edit is on the article at once. If the site’s filters flag the new text, the comment "
        "is off the page until a moderator has reviewed it; text the filters block is not "
        "published.",
        ON_THE_ARTICLE,
        Comment.Status.APPROVED,
    ),
    ("kept", "off the page"): (
        "An edit keeps it approved. If the site’s filters flag the new text, a moderator will "
        "review it first; text the filters block is not published.",
        "Your comment is updated.",
        Comment.Status.APPROVED,
    ),
    ("reviewed", "published"): (
        "After an edit, the comment is off the page until a moderator has reviewed the new text; "
        "text the site’s filters block is not published.",
        "Your comment is updated. A moderator will review the new text.",
        Comment.Status.PENDING,
    ),
    ("reviewed", "off the page"): (
        "After an edit, a moderator will review the new text; text the site’s filters block is "
        "not published.",
        "Your comment is updated. A moderator will review the new text.",
        Comment.Status.PENDING,
    ),
}


@pytest.mark.parametrize(("edits", "stands"), list(PROMISES))
def test_the_status_and_edit_pages_say_what_an_edit_will_do_as_save_then_says(
    reader, thread, edits, stands
):
    """The status page said "an edit is reviewed again" whatever the policy: a clean edit the
    policy keeps published is not, and Save then said "updated on the article"."""
    comment, reply = thread
    ModerationPolicy.objects.update(publish_clean_edits=edits == "kept")
    if stands == "off the page":  # its comment's edit is held for a moderator
        edit_comment(comment=comment, body="First words, and crypto")
    promise, said, status = PROMISES[edits, stands]
    edit = reverse("comments:edit", args=[status_token(reply)])

    status_page = reader.get(reply.status_url).content.decode()
    edit_page = reader.get(edit).content.decode()
    answer = _saved(reader, reply, "Reply words, put better").content.decode()

    assert "You can edit it until <time" in status_page
    assert re.search(r"</time>\.\s+" + re.escape(promise), status_page)
    assert "reviewed again" not in status_page.replace("answers is being reviewed again", "")
    assert promise in edit_page and "reviewed again: it may leave" not in edit_page
    assert f'<div class="alert alert-success">{said}' in answer
    assert Comment.objects.get(pk=reply.pk).status == status


def test_a_clean_edit_stays_published_with_returning_commenters_auto_approved(reader, thread):
    # The status link shows who wrote the comment: screened as from "another browser", every
    # edit went back to the queue, though the status page had promised it would stay up.
    comment, _reply = thread
    ModerationPolicy.objects.update(auto_approve_returning=True)
    assert "An edit is on the article at once" in reader.get(comment.status_url).content.decode()

    answer = _saved(reader, comment, "First words, put better").content.decode()

    saved = Comment.objects.get(pk=comment.pk)
    assert (saved.status, saved.body) == (Comment.Status.APPROVED, "First words, put better")
    assert ON_THE_ARTICLE in answer


def test_a_reply_under_a_comment_whose_edit_was_rejected_is_said_updated_on_the_article(
    reader, article, thread, moderator
):
    comment, reply = thread
    edit_comment(comment=comment, body="First words, and crypto")
    reject(comment=comment, by=moderator, reason="Off topic")

    answer = _saved(reader, reply, "Reply words, put better")

    assert ON_THE_ARTICLE in answer.content.decode()
    assert "Reply words, put better" in reader.get(article.get_absolute_url()).content.decode()
