"""The Undo beside "Not spam: approve selected" (a mistaken click): the comments go back to Spam
as they were there (held by the filters, or marked by whichever moderator marked them), not to
the pending queue, and the mail the approval asked for its writer that is still waiting does not
go, nor does it hold back the address's next one. It put them in the queue, undecided, and let
the confirmation or "Is this comment yours?" go to the address all the same."""

from django.test import Client

from articles.models import Article
from comments.models import Comment, CommenterAddress, ModerationPolicy
from comments.services import mark_spam
from tests.comment_fixtures import as_shown
from tests.mail_helpers import queued, verify
from tests.test_moderation_undo_take_down_elsewhere import _undo_form

SPAM = "/admin/comments/comment/?status=spam"
EMAIL = "maria@example.com"


def _not_spam_then_undo(client, comment) -> str:
    data = {"action": "not_spam_selected", "_selected_action": [comment.pk], **as_shown([comment])}
    page = client.post(SPAM, data, follow=True).content.decode()
    assert "1 comment approved: not spam after all." in page
    assert Article.objects.get(pk=comment.article_id).approved_comment_count == 1
    assert queued(), "the approval asked for mail"
    url, fields = _undo_form(page)
    return client.post(url, fields, follow=True).content.decode()


def _as_spam(comment):
    return Comment.objects.filter(pk=comment.pk).values_list(
        "status", "moderated_by", "moderated_at"
    )[0]


def test_undo_puts_a_comment_the_filters_held_back_in_spam_and_its_question_does_not_go(
    moderator_client, article, submit
):
    ModerationPolicy.objects.create(blocked_words="scunthorpe")
    verify(EMAIL)
    comment = submit(article, notify=True, body="I live near Scunthorpe")
    held = _as_spam(comment)
    assert held[:2] == ("spam", None)

    answer = _not_spam_then_undo(moderator_client, comment)

    assert "Undone: 1 comment back in Spam." in answer
    assert _as_spam(comment) == held  # held by the filters, as its writer's page says
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert "Scunthorpe" not in Client().get(article.get_absolute_url()).content.decode()
    assert queued() == []  # "Is this comment yours?" about spam, asked by a mistaken click
    # Nor is the address's one question of the day spent on it: the next comment asks.
    following = submit(article, notify=True, body="About the bypass.")
    assert [(m["kind"], m["ref"]) for m in queued()] == [("confirm-comment", following.pk)]


def test_undo_puts_a_comment_a_moderator_marked_back_in_spam_as_marked(
    moderator_client, second_moderator, article, make_comment, submit
):
    CommenterAddress.objects.create(email=EMAIL)  # not confirmed yet
    comment = make_comment(article, email=EMAIL, notify_on_decision=True, owner_vouched=False)
    mark_spam(comment=comment, by=second_moderator)
    marked = _as_spam(comment)

    answer = _not_spam_then_undo(moderator_client, comment)

    assert "Undone: 1 comment back in Spam." in answer
    assert _as_spam(comment) == marked
    assert queued() == []
    following = submit(article, notify=True, body="About the bypass.")
    assert [(m["kind"], m["ref"]) for m in queued()] == [("confirm-about", following.pk)]
