"""A reply under a top-level comment removed after it was published (its author's edit rejected
or sent to spam) was told "No mail about replies comes while the comment it answers is off the
site", and its status page offered no "Mail me when someone replies". But a reply still waiting
under that comment is now approved under its placeholder, beside the replies kept there, and
whoever follows the conversation is mailed of it: the sentence was no longer true. It stays for
a reply under a comment taken down, whose replies came down with it and wait until it is put
back."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, ReplySubscription
from comments.services import mark_spam, reject, take_down
from comments.tokens import status_token
from tests.test_moderation_edit_rejected_replies import _edit

OFF = "No mail about replies comes while the comment it answers is off the site."
OFFER = "Mail me when someone replies"


def _follow(client, comment) -> str:
    url = reverse("comments:follow", args=[status_token(comment)])
    return client.post(url, follow=True).content.decode()


@pytest.mark.parametrize("decision", ["reject", "spam"])
def test_a_reply_under_a_removed_comment_can_ask_for_mail_about_replies(
    reader, article, make_comment, moderator, decision
):
    first = make_comment(article, status="approved", moderated_at=timezone.now(), body="A says")
    reply = make_comment(article, parent=first, body="B answers A")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    _edit(reader, first, "A says something vile")
    first = Comment.objects.get(pk=first.pk)
    if decision == "reject":
        reject(comment=first, by=moderator, reason="Abusive")
    else:
        mark_spam(comment=first, by=moderator)

    page = reader.get(reply.status_url).content.decode()
    told = _follow(reader, reply)

    assert OFFER in page
    assert OFF not in told
    assert ReplySubscription.objects.filter(comment=reply).exists()


def test_a_reply_under_a_comment_taken_down_is_still_told_no_mail_comes(
    reader, article, make_comment, moderator
):
    first = make_comment(article, status="approved", moderated_at=timezone.now(), body="A says")
    reply = make_comment(article, parent=first, body="B answers A")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    take_down([first], by=moderator, reason="Abusive")

    page = reader.get(reply.status_url).content.decode()
    told = _follow(reader, reply)

    assert OFFER not in page
    assert OFF in told
    assert not ReplySubscription.objects.filter(comment=reply).exists()
