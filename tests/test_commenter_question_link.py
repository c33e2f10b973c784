"""The "Is this comment yours?" link once there is nothing to ask: answered already, or the
comment it asks about deleted by its writer. Its page says so, rather than asking again or
calling the link out of date (the question itself: tests/test_commenter_mail_consent.py)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments import confirm_views
from comments.models import Comment
from comments.services import approve
from comments.tokens import status_token
from tests.mail_helpers import run_mail_queue, verify

OWNER = "maria@example.com"


@pytest.fixture
def asked(article, comment_form_data, settings):
    """A comment sent with a confirmed address from a browser new to it, and the link of the
    question mailed to the address: (the writer's browser, the comment, the link)."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    verify(OWNER)
    writer = Client()
    data = comment_form_data(article, email=OWNER, notify="on")
    assert writer.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    run_mail_queue()
    [question] = [m for m in mail.outbox if m.to == [OWNER]]
    link = re.search(r"https?://\S+/comments/confirm-comment/\S+/", question.body).group(0)
    return writer, Comment.objects.get(), link


def test_opened_again_once_answered_it_says_so_rather_than_asking_again(asked):
    _, _, link = asked
    Client().post(link)

    # The mail opened again, and a second press (a double click without JavaScript).
    for answer in (Client().get(link), Client().post(link)):
        page = answer.content.decode()
        assert answer.status_code == 404
        assert "already known to be yours" in page
        assert "It is mine</button>" not in page and "out of date" not in page


@pytest.mark.parametrize("with_reply", [False, True])
def test_it_says_when_the_comment_it_asks_about_was_deleted(
    asked, article, moderator, make_comment, with_reply
):
    writer, theirs, link = asked
    if with_reply:  # its row stays, emptied, under the reply
        approve(comment=theirs, by=moderator)
        approve(comment=make_comment(article, parent=theirs, body="A reply"), by=moderator)
    delete = reverse("comments:delete", args=[status_token(theirs)])
    assert writer.post(delete).status_code == 302

    for answer in (Client().get(link), Client().post(link)):
        page = answer.content.decode()
        assert answer.status_code == 404
        assert "The comment it asked about was deleted" in page
        assert "It is mine</button>" not in page and "out of date" not in page
    assert not Comment.objects.filter(pk=theirs.pk, owner_vouched=True).exists()


@pytest.mark.parametrize("meanwhile", ["answered", "deleted"])
def test_a_press_that_waited_on_another_says_what_happened_not_out_of_date(
    asked, monkeypatch, meanwhile
):
    """ "It is mine" pressed twice at once (a double click without JavaScript, whose second
    answer the browser shows), or Delete pressed in the status page's tab meanwhile: the press
    read the comment unanswered, then waited on the other's lock and found it answered (or
    deleted). It said the link was "out of date", as if the answer was lost."""
    writer, theirs, link = asked
    answer = confirm_views.confirm_comment_mail

    def the_other_lands_first(**kwargs):
        if meanwhile == "answered":
            assert answer(**kwargs) is True
        else:
            writer.post(reverse("comments:delete", args=[status_token(theirs)]))
        return answer(**kwargs)

    monkeypatch.setattr(confirm_views, "confirm_comment_mail", the_other_lands_first)

    pressed = Client().post(link)

    page = pressed.content.decode()
    assert pressed.status_code == 404
    assert "out of date" not in page and "Mail it again" not in page
    said = {
        "answered": "This comment is already known to be yours",
        "deleted": "The comment it asked about was deleted",
    }[meanwhile]
    assert said in page
