"""Delete pressed twice (a double click without JavaScript sends the form twice, and the browser
shows the second answer; or Back and Delete again): the first press deleted the comment, and the
second said "This link no longer works", as if the delete had failed. The browser that deleted
it is now answered as its first press was; anyone else, and a comment gone another way, as a
link that never worked."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import commenter_views
from comments.deletion import delete_comments
from comments.models import Comment
from comments.privacy import erase_comments
from comments.tokens import status_token
from tests.test_commenter_consistency import run_beside

GONE = "The comment it was for was deleted from its page"


def _published(article, make_comment, **fields):
    comment = make_comment(
        article, status=Comment.Status.APPROVED, moderated_at=timezone.now(), **fields
    )
    Article.objects.filter(pk=article.pk).update(
        approved_comment_count=Comment.objects.approved().filter(article=article).count()
    )
    return comment


def _said(response, article) -> tuple:
    """What a reader is shown: where the answer led, its status, its heading and way on."""
    page = response.content.decode()
    return (
        response.redirect_chain,
        response.status_code,
        "Your comment is deleted" in page,
        f'<a href="{article.get_absolute_url()}">Back to the article</a>' in page,
        GONE in page,
    )


@pytest.mark.parametrize("with_reply", [False, True])
def test_a_second_press_of_delete_is_answered_as_the_first(
    reader, article, make_comment, with_reply
):
    comment = _published(article, make_comment, body="Pressed twice")
    if with_reply:  # it stays as a placeholder, its row withdrawn
        _published(article, make_comment, parent=comment, body="A reply")
    delete = reverse("comments:delete", args=[status_token(comment)])
    reader.get(delete)  # the page with the button (and the browser's CSRF cookie)

    first = reader.post(delete, follow=True)
    second = reader.post(delete, follow=True)

    deleted = [(reverse("comments:deleted", args=[article.pk]), 302)]
    assert _said(first, article) == (deleted, 200, True, True, False)
    assert _said(second, article) == _said(first, article)
    assert not Comment.objects.filter(pk=comment.pk, withdrawn_at=None).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == int(with_reply)


def test_another_browser_with_the_link_hears_what_a_forged_link_hears(
    reader, article, make_comment
):
    comment = _published(article, make_comment, body="Deleted in one browser")
    delete = reverse("comments:delete", args=[status_token(comment)])
    reader.get(delete)
    reader.post(delete)
    other = Client(REMOTE_ADDR="203.0.113.9")
    other.get(reverse("comments:privacy"))  # a CSRF cookie of its own

    pressed = other.post(delete)
    forged = other.post(reverse("comments:delete", args=[status_token(comment) + "x"]))

    assert pressed.status_code == forged.status_code == 404
    assert GONE in pressed.content.decode()
    assert pressed.content.decode().count(GONE) == forged.content.decode().count(GONE) == 1
    # In the browser that deleted it, the delete page opened again (Back fetches it anew) is
    # answered as the press was; its status link no longer works, as that answer says.
    again = reader.get(delete, follow=True)
    assert again.redirect_chain == [(reverse("comments:deleted", args=[article.pk]), 302)]
    assert reader.get(comment.status_url).status_code == 404
    assert other.get(delete).status_code == 404


def test_a_comment_a_moderator_deleted_before_the_press_is_not_deleted_by_you(
    reader, article, make_comment
):
    comment = _published(article, make_comment, body="Taken away by a moderator")
    delete = reverse("comments:delete", args=[status_token(comment)])
    reader.get(delete)
    delete_comments(Comment.objects.filter(pk=comment.pk))

    pressed = reader.post(delete, follow=True)

    assert pressed.status_code == 404
    assert "Your comment is deleted" not in pressed.content.decode()
    assert GONE in pressed.content.decode()


@pytest.mark.parametrize("way", ["erased", "moderator"])
def test_a_comment_gone_another_way_while_delete_was_on_its_way_is_not_deleted_by_you(
    reader, article, make_comment, monkeypatch, way
):
    """Between the press's first read of the comment and its delete, an erase at the address's
    request (or a moderator) took it: it said "Your comment is deleted", which it was not."""
    comment = _published(article, make_comment, body="Erased meanwhile", email="maria@example.com")
    read = commenter_views.comment_from_token
    # Before the patch: the first reverse() imports the URLconf (tests/test_commenter_edit_closed).
    delete = reverse("comments:delete", args=[status_token(comment)])
    reader.get(delete)

    def gone_meanwhile(token):
        found = read(token)
        if way == "erased":
            erase_comments(email="maria@example.com")
        else:
            delete_comments(Comment.objects.filter(pk=found.pk))
        return found

    monkeypatch.setattr(commenter_views, "comment_from_token", gone_meanwhile)

    pressed = reader.post(delete, follow=True)

    assert pressed.status_code == 404
    assert "Your comment is deleted" not in pressed.content.decode()
    assert GONE in pressed.content.decode()
    assert not Comment.objects.filter(pk=comment.pk).exists()


class TestPressesAtOnce:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    @pytest.mark.parametrize("first", ["delete", "erase"])
    def test_a_press_waiting_on_another_says_what_that_one_did(
        self, reader, article, make_comment, first
    ):
        """A double click: the second press reads the comment before the first commits, waits
        on its lock, then finds the row gone. The same browser's first press deleted it: so
        did this one. An erase took it: this press deleted nothing."""
        comment = _published(article, make_comment, body="Pressed at once", email="m@example.com")
        delete = reverse("comments:delete", args=[status_token(comment)])
        reader.get(delete)
        same_browser = Client(REMOTE_ADDR="198.51.100.7")
        same_browser.cookies = reader.cookies
        answers = []

        def press_first():
            if first == "delete":
                reader.post(delete)
            else:
                erase_comments(email="m@example.com")

        def press_second():
            answer = same_browser.post(delete, follow=True)
            if answer.status_code == 503:  # SQLite's "locked": tried again, as its busy timeout
                raise OperationalError("database table is locked")
            answers.append(answer)

        run_beside(press_first, press_second)

        [second] = answers
        assert not Comment.objects.filter(pk=comment.pk).exists()
        if first == "delete":
            assert second.redirect_chain == [(reverse("comments:deleted", args=[article.pk]), 302)]
            assert "Your comment is deleted" in second.content.decode()
        else:
            assert second.status_code == 404
            assert GONE in second.content.decode()
