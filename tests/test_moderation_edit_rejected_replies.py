"""An edit of a published comment goes back to a moderator, off the page with the replies under
it. Rejected there (or sent to spam, by a moderator or by the filters), the comment stayed off
the site, and so did every reader's published reply under it, for good: their writers' status
pages said "off the page: the comment it answers was not kept on the site", nobody was mailed,
and one author could erase a whole conversation by editing. The replies now stay on the page
under a placeholder, as they do under a comment its author deleted."""

import re

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, ModerationPolicy
from comments.services import approve, mark_spam, reject, return_to_queue
from comments.tokens import status_token
from tests.test_commenter_edit_twice import _form_as_drawn

REMOVED = "Comment removed by a moderator."
# Sent to spam by the filters, not by a person.
REMOVED_SPAM = "Comment removed."


@pytest.fixture
def conversation(article, make_comment):
    """A's published comment (a minute old: still editable) and B's published reply to it."""
    ModerationPolicy.objects.create(blocked_words="casino")
    now = timezone.now()
    first = make_comment(article, status="approved", moderated_at=now, body="A says hello")
    reply = make_comment(
        article, parent=first, status="approved", moderated_at=now, body="B answers A"
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    return first, reply


def _edit(reader, comment, words) -> None:
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(edit, _form_as_drawn(reader, comment, words))


def _article_page(reader, article) -> str:
    return reader.get(article.get_absolute_url()).content.decode()


def _count(article) -> int:
    return Article.objects.get(pk=article.pk).approved_comment_count


@pytest.mark.parametrize(
    ("decide", "placeholder"),
    [
        (lambda comment, by: reject(comment=comment, by=by, reason="Abusive"), REMOVED),
        (lambda comment, by: mark_spam(comment=comment, by=by), REMOVED),
    ],
    ids=["rejected", "spam"],
)
def test_a_reply_stays_on_the_page_when_the_edit_of_the_comment_it_answers_is_turned_down(
    reader, article, conversation, moderator, decide, placeholder
):
    first, reply = conversation
    _edit(reader, first, "A says something vile")
    page = _article_page(reader, article)
    assert "B answers A" not in page  # while the edit waits, as its writer was told
    assert _count(article) == 0

    decide(Comment.objects.get(pk=first.pk), moderator)

    page = _article_page(reader, article)
    assert "B answers A" in page
    assert placeholder in page
    assert "something vile" not in page and "A says hello" not in page
    assert first.name not in page  # the placeholder names nobody
    assert _count(article) == 1  # the reply; a placeholder is no comment
    status_page = reader.get(reply.status_url).content.decode()
    assert "approved</strong>, but off the page" not in status_page
    assert "not kept on the site" not in status_page
    assert "approved</strong> and published" in status_page


def test_the_placeholder_offers_no_reply_and_no_report(reader, article, conversation, moderator):
    first, _ = conversation
    _edit(reader, first, "A says something vile")

    reject(comment=Comment.objects.get(pk=first.pk), by=moderator)

    page = _article_page(reader, article)
    thread = r'<li class="comment-thread">(.*?)<ol class="comment-replies">'
    placeholder = re.search(thread, page, re.S).group(1)
    assert REMOVED in placeholder
    assert "Reply" not in placeholder and "Report" not in placeholder
    # Its writer still reads that it was rejected, with the reason's words where given.
    assert "rejected" in reader.get(first.status_url).content.decode()


def test_an_edit_the_filters_send_to_spam_leaves_the_replies_on_the_page(
    reader, article, conversation
):
    first, reply = conversation

    _edit(reader, first, "Come to my casino")

    assert Comment.objects.get(pk=first.pk).status == Comment.Status.SPAM
    page = _article_page(reader, article)
    assert "B answers A" in page and REMOVED_SPAM in page and "casino" not in page
    assert _count(article) == 1
    assert "but off the page" not in reader.get(reply.status_url).content.decode()
    # Nor does its writer read that the reply went with it.
    assert "off the page with it" not in reader.get(first.status_url).content.decode()


def test_back_to_the_queue_and_approved_the_thread_is_whole_again(
    reader, article, conversation, moderator
):
    first, _ = conversation
    _edit(reader, first, "A says it again, better")
    reject(comment=Comment.objects.get(pk=first.pk), by=moderator)

    return_to_queue([Comment.objects.get(pk=first.pk)], by=moderator)
    assert "B answers A" not in _article_page(reader, article)
    assert _count(article) == 0

    assert approve(comment=Comment.objects.get(pk=first.pk), by=moderator)
    page = _article_page(reader, article)
    assert "A says it again, better" in page and "B answers A" in page
    assert REMOVED not in page
    assert _count(article) == 2


def test_the_moderators_page_says_what_a_decision_does_to_the_replies(
    reader, conversation, moderator_client, article, make_comment
):
    first, _ = conversation
    make_comment(article, parent=first, status="approved", body="C answers A too")
    Article.objects.filter(pk=article.pk).update(
        approved_comment_count=F("approved_comment_count") + 1
    )
    _edit(reader, first, "A says something vile")

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[first.pk]))

    text = re.sub(r"\s+", " ", page.content.decode())
    assert (
        "Its 2 published replies are off the page while it waits. Approved, it comes back "
        "with them; rejected or marked as spam, they stay on the page under “Comment removed "
        "by a moderator”." in text
    )
