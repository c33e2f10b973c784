""" "Back to the queue" undoes the decision the moderator's page showed, never one another
moderator made since to the same status: a comment taken down, its take-down undone and taken
down again by a third moderator (or rejected, put back and rejected again) keeps that decision,
and the moderator pressing it on the page drawn before is told who made it."""

import re

import pytest

from articles.models import Article
from comments.models import Comment
from comments.report_undo import undo_take_downs
from comments.services import reject, return_to_queue, take_down
from tests.comment_fixtures import _staff

CHANGELIST = "/admin/comments/comment/"


def messages(html: str) -> list[str]:
    box = re.search(r'<ul class="messagelist">(.*?)</ul>', html, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", box.group(1), re.S) if box else []
    return [re.sub(r"<[^>]+>", "", m).strip() for m in items]


def page_fields(client, url: str, pk: int) -> dict:
    """The hidden fields the page at `url` posts about comment `pk` (its row, or its page)."""
    html = client.get(url).content.decode()
    names = rf'name="((?:seen|status|decided-at)-{pk})" value="([^"]*)"'
    return dict(re.findall(names, html))


def press_back_to_the_queue(client, comment, where):
    """ "Back to the queue" from the page drawn now, as `where` shows the comment; returns a
    function pressing it later, that page's fields posted as it drew them."""
    if where == "rejected list":
        url = f"{CHANGELIST}?status=rejected"
        data = page_fields(client, url, comment.pk)
        data |= {"action": "requeue_selected", "_selected_action": [comment.pk]}
    else:
        url = f"{CHANGELIST}{comment.pk}/requeue/"
        data = page_fields(client, f"{CHANGELIST}{comment.pk}/change/", comment.pk)
    assert data[f"status-{comment.pk}"] == "rejected"
    return lambda: messages(client.post(url, data, follow=True).content.decode())


@pytest.fixture
def third_moderator(django_user_model):
    return _staff(django_user_model, "moderator3", groups=["Moderators"])


@pytest.fixture
def published(article, make_comment):
    comment = make_comment(article, status="approved", name="Ann")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    return comment


@pytest.mark.parametrize("where", ["rejected list", "comment page"])
def test_a_take_down_made_again_by_another_meanwhile_stands(
    moderator_client, second_moderator, third_moderator, published, where
):
    # The comment went back to the queue, undecided, the third moderator's take-down lost
    # unseen, and the moderator read "1 comment back in the queue.".
    take_down([published], by=second_moderator, reason="Off topic")
    press = press_back_to_the_queue(moderator_client, published, where)
    assert undo_take_downs([published], by=second_moderator)
    take_down([published], by=third_moderator, reason="Libel")

    said = press()

    comment = Comment.objects.get(pk=published.pk)
    assert (comment.status, comment.rejection_reason) == ("rejected", "Libel")
    assert comment.taken_down_by == third_moderator
    assert said == [
        "The comment by Ann had been taken down by moderator3 meanwhile: that decision stands."
    ]


@pytest.mark.parametrize("where", ["rejected list", "comment page"])
def test_a_rejection_made_again_by_another_meanwhile_stands(
    moderator_client, second_moderator, third_moderator, article, make_comment, where
):
    comment = make_comment(article, name="Ann")
    assert reject(comment=comment, by=second_moderator, reason="Off topic")
    press = press_back_to_the_queue(moderator_client, comment, where)
    assert return_to_queue([comment], by=second_moderator)
    assert reject(comment=comment, by=third_moderator, reason="Libel")

    said = press()

    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == ("rejected", "Libel")
    assert said == [
        "The comment by Ann had been rejected by moderator3 meanwhile: that decision stands."
    ]


@pytest.mark.parametrize("where", ["rejected list", "comment page"])
def test_the_decision_the_page_showed_still_goes_back_to_the_queue(
    moderator_client, second_moderator, published, where
):
    take_down([published], by=second_moderator, reason="Off topic")
    press = press_back_to_the_queue(moderator_client, published, where)

    said = press()

    assert Comment.objects.get(pk=published.pk).status == Comment.Status.PENDING
    assert said in (
        ["1 comment back in the queue."],
        ["The comment by Ann is back in the queue, undecided."],
    )
