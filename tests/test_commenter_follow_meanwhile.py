""" "Mail me when someone replies" pressed while the comment is deleted in another tab, or decided
by a moderator: the press read the comment, then the delete (or the decision) landed before it
took the comment's lock. It said why no mail comes of the comment as first read, published and
followable: an empty reason. On the page the mail's unsubscribe link leaves a reader on, that
was "No mail about replies" over an empty paragraph; elsewhere Django drops an empty message,
so the press said nothing (the status page, rejected or taken down) or only "This link no longer
works" (back to the status page of a deleted comment). It now says what it found under the lock.
One order at a time, patched; both at once, on real connections:
tests/test_commenter_presses_at_once.py."""

import re

import pytest
from django.test import Client

from comments import commenter_services, commenter_views, links, stop_views
from comments.models import Comment, ReplySubscription
from comments.privacy import delete_own_comment
from comments.services import reject, take_down
from tests.mail_helpers import queued
from tests.test_commenter_delete_twice import _published
from tests.test_commenter_mail_follow import follow_path

DELETED = "The comment it was for was deleted: no mail about replies to it comes."
GONE = "The comment it was for was deleted from its page"  # what a press a moment later hears
NOT_PUBLISHED = "No mail about replies comes while your comment is not published."
EMPTY_ALERT = re.compile(r'<div class="alert alert-\w+">\s*</div>')


def _meanwhile(comment, way, moderator):
    if way == "rejected":
        assert reject(comment=Comment.objects.get(pk=comment.pk), by=moderator)
    elif way == "taken down":
        assert take_down(Comment.objects.filter(pk=comment.pk), by=moderator) == 1
    else:  # Delete, pressed in another tab
        delete_own_comment(comment=Comment.objects.get(pk=comment.pk))


def _landing_first(monkeypatch, module, comment, way, moderator):
    """The delete or decision lands after the press read the comment, before its lock."""
    follow = commenter_services.follow_replies

    def after_another_press(*, comment_id):
        _meanwhile(comment, way, moderator)
        return follow(comment_id=comment_id)

    monkeypatch.setattr(module, "follow_replies", after_another_press)


def _mine(article, make_comment, way):
    if way == "rejected":  # waiting for review, then rejected
        return make_comment(article, body="Follow me", email="maria@example.com")
    comment = _published(article, make_comment, body="Follow me", email="maria@example.com")
    if way == "deleted, with a reply":  # its row stays, withdrawn, under the reply
        _published(article, make_comment, parent=comment, body="A reply")
    return comment


WAYS = ["deleted", "deleted, with a reply", "rejected", "taken down"]


@pytest.mark.parametrize("way", WAYS)
def test_pressed_on_the_status_page_it_says_what_happened_meanwhile(
    reader, article, make_comment, moderator, monkeypatch, way
):
    comment = _mine(article, make_comment, way)
    path = follow_path(comment)  # before the patch: reverse() imports the URLconf
    reader.get(comment.status_url)
    _landing_first(monkeypatch, commenter_views, comment, way, moderator)

    answer = reader.post(path, follow=True)

    page = answer.content.decode()
    assert not EMPTY_ALERT.search(page)
    if way in ("rejected", "taken down"):  # its page, with why
        assert answer.status_code == 200
        assert f'<div class="alert alert-warning">{NOT_PUBLISHED}</div>' in page
    else:
        assert answer.status_code == 404
        assert GONE in page
    assert not ReplySubscription.objects.exists()
    assert [m for m in queued() if m["kind"] != "moderators"] == []


@pytest.mark.parametrize("from_status_page", [False, True], ids=["mail's link", "status page's"])
@pytest.mark.parametrize("way", WAYS)
def test_pressed_on_the_unsubscribe_page_it_says_what_happened_meanwhile(
    reader, article, make_comment, moderator, monkeypatch, way, from_status_page
):
    comment = _mine(article, make_comment, way)
    link = links.unsubscribe_path(comment.pk)
    sent = {"follow": "1"}
    browser = reader if from_status_page else Client()
    if from_status_page:  # its way back, and the cookies of the status page
        browser.get(comment.status_url)
        sent["status"] = comment.status_url.rstrip("/").rsplit("/", 1)[1]
    _landing_first(monkeypatch, stop_views, comment, way, moderator)

    answer = browser.post(link, sent, follow=True)

    page = answer.content.decode()
    assert not EMPTY_ALERT.search(page)
    assert not re.search(r"</h1>\s*<p>\s*</p>", page)
    if way in ("rejected", "taken down"):
        assert answer.status_code == 200
        assert NOT_PUBLISHED in page
    else:
        assert answer.status_code == 404
        assert DELETED in page
    assert not ReplySubscription.objects.exists()
