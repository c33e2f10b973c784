"""The Spam list's "Not spam: approve selected": a comment sent to spam by mistake (a stray key,
a block-listed word in an innocent sentence) is published from there, as the README says,
through "Back to the queue" and an approval: its writer asked, and mailed, as for any approval,
the count and the article's page following. Only what the page showed, as it showed it."""

import pytest

from articles.models import Article
from comments.models import Comment, ModerationPolicy
from comments.services import mark_spam, reject, return_to_queue
from tests.comment_fixtures import as_shown, offered_actions
from tests.mail_helpers import queued, verify

CHANGELIST = "/admin/comments/comment/"
SPAM = f"{CHANGELIST}?status=spam"


def _not_spam(client, comments, shown=None):
    data = {
        "action": "not_spam_selected",
        "_selected_action": [c.pk for c in comments],
        **(as_shown(comments) if shown is None else shown),
    }
    return client.post(SPAM, data, follow=True).content.decode()


def test_the_spam_list_offers_not_spam_and_back_to_the_queue_and_no_other_list_not_spam(
    moderator_client, moderator, article, make_comment
):
    make_comment(article)
    mark_spam(comment=make_comment(article), by=moderator)

    assert offered_actions(moderator_client, SPAM) == {"not_spam_selected", "requeue_selected"}
    for listed in ["", "?status=all", "?status=rejected"]:
        assert "not_spam_selected" not in offered_actions(moderator_client, CHANGELIST + listed)


def test_a_comment_the_block_list_took_for_spam_is_published_and_its_writer_asked_as_at_posting(
    moderator_client, moderator, client, article, submit
):
    ModerationPolicy.objects.create(blocked_words="scunthorpe")
    verify("maria@example.com")
    comment = submit(article, notify=True, body="I live near Scunthorpe")
    assert comment.status == Comment.Status.SPAM and queued() == []

    html = _not_spam(moderator_client, [comment])

    assert "1 comment approved: not spam after all." in html
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.APPROVED, moderator)
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1
    assert "I live near Scunthorpe" in client.get(article.get_absolute_url()).content.decode()
    # Not vouched for by its writer: asked whether it is theirs, as at posting, before any mail
    # about it goes to the address.
    assert [m["kind"] for m in queued()] == ["confirm-comment"]


def test_a_comment_marked_as_spam_by_mistake_mails_its_writer_that_it_is_published(
    moderator_client, moderator, article, make_comment
):
    verify("maria@example.com")
    comment = make_comment(article, email="maria@example.com", notify_on_decision=True)
    mark_spam(comment=comment, by=moderator)
    assert queued() == []

    _not_spam(moderator_client, [comment])

    assert [(m["kind"], m["ref"]) for m in queued()] == [("decision", comment.pk)]


def test_what_another_moderator_decided_meanwhile_stands_and_a_reply_waits_for_its_comment(
    moderator_client, moderator, second_moderator, article, make_comment
):
    decided = make_comment(article)
    parent = make_comment(article)
    reply = make_comment(article, parent=parent, name="Reply Writer")
    for comment in (decided, reply):
        mark_spam(comment=comment, by=moderator)
    shown = as_shown([decided, reply])
    return_to_queue([decided], by=second_moderator)
    reject(comment=decided, by=second_moderator, reason="Off-topic")

    html = _not_spam(moderator_client, [decided, reply], shown=shown)

    assert (
        "1 comment was no longer spam, decided again or deleted meanwhile (1 rejected by "
        "moderator2), and was left as it was." in html
    )
    assert "1 reply left waiting: a reply can only be published under a published comment." in html
    assert Comment.objects.get(pk=decided.pk).status == Comment.Status.REJECTED
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.PENDING


@pytest.mark.parametrize("persona", ["editor"])
def test_only_moderators_say_not_spam(request, moderator, article, make_comment, persona):
    comment = make_comment(article)
    mark_spam(comment=comment, by=moderator)

    _not_spam(request.getfixturevalue(f"{persona}_client"), [comment])

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SPAM
