"""Save pressed twice (a double click without JavaScript sends the form twice, and the browser
shows the second answer): the first press saved the words, the second found them there already
and said "Nothing changed: your comment is as it was", as if the edit had been lost; and where
that edit was the comment's last (the 20th) or the filters sent it to spam, the second press was
refused ("This comment can no longer be edited"), the words handed back, as if lost too."""

import re
from copy import deepcopy
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import commenter_views
from comments.commenter_services import edit_comment
from comments.models import Comment, CommentVersion, ModerationPolicy
from comments.tokens import comment_id_from_token, status_token

UPDATED = "Your comment is updated. A moderator will review the new text."
HELD_BACK = "Your comment is updated, but the site&#x27;s filters held the new text back"


def _form_as_drawn(reader, comment, body: str) -> dict:
    """What the edit page's form sends: its hidden fields as drawn, and the words typed."""
    page = reader.get(reverse("comments:edit", args=[status_token(comment)])).content.decode()
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {**dict(hidden), "body": body}


def _published(article, make_comment, body):
    comment = make_comment(
        article, status=Comment.Status.APPROVED, moderated_at=timezone.now(), body=body
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    return comment


def at_its_status_page(answer, comment) -> bool:
    """Whether a followed answer ended at the comment's status page. Its address is signed with
    the second it was made: compared whole with one signed now, a second boundary between
    them made the test fail at random."""
    path = answer.redirect_chain[-1][0]
    token = path.removeprefix("/comments/status/").removesuffix("/")
    return path.startswith("/comments/status/") and comment_id_from_token(token) == comment.pk


def _pressed_twice(reader, comment, form):
    """Both presses leave the browser with the cookies it had before either (a double click):
    the first press's "updated" waits in no cookie for the second's page to show. The second
    answer, followed to where it leads, as the browser shows it."""
    edit = reverse("comments:edit", args=[status_token(comment)])
    before = deepcopy(reader.cookies)
    first = reader.post(edit, form)
    assert first.status_code == 302
    reader.cookies = before
    return reader.post(edit, form, follow=True)


def test_a_second_press_of_save_says_the_comment_is_updated(reader, article, make_comment):
    comment = _published(article, make_comment, "Published words")
    form = _form_as_drawn(reader, comment, "Changed words")

    second = _pressed_twice(reader, comment, form).content.decode()

    assert "Nothing changed" not in second
    assert UPDATED in second
    assert CommentVersion.objects.filter(comment=comment).count() == 1


def test_save_pressed_without_a_change_still_says_nothing_changed(reader, article, make_comment):
    comment = _published(article, make_comment, "Published words")
    edit = reverse("comments:edit", args=[status_token(comment)])

    answer = reader.post(edit, _form_as_drawn(reader, comment, "Published words"), follow=True)

    assert "Nothing changed: your comment is as it was." in answer.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED


def test_a_second_press_of_the_last_edit_allowed_says_the_comment_is_updated(
    reader, article, make_comment
):
    comment = make_comment(article, body="Version 19")
    Comment.objects.filter(pk=comment.pk).update(revision=19)
    form = _form_as_drawn(reader, comment, "Version 20")

    second = _pressed_twice(reader, comment, form)

    assert second.status_code == 200
    assert at_its_status_page(second, comment)
    text = second.content.decode()
    assert UPDATED in text
    assert "can no longer be edited" not in text
    assert Comment.objects.get(pk=comment.pk).body == "Version 20"


def test_a_second_press_of_an_edit_the_filters_held_back_says_so_again(
    reader, article, make_comment
):
    ModerationPolicy.objects.create(blocked_words="casino")
    comment = make_comment(article, body="Fair point")
    form = _form_as_drawn(reader, comment, "Fair point, visit my casino")

    second = _pressed_twice(reader, comment, form)

    text = second.content.decode()
    assert at_its_status_page(second, comment)
    assert HELD_BACK in text
    assert "This comment can no longer be edited." not in text
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SPAM


@pytest.mark.parametrize("revision", [19, 0], ids=["last edit", "sent to spam"])
def test_a_second_press_that_waited_on_the_first_says_the_comment_is_updated(
    reader, article, make_comment, revision
):
    # Both presses at once: the second read the comment still editable, then waited on its
    # row while the first saved; the service found it no longer editable (a form error).
    ModerationPolicy.objects.create(blocked_words="casino")
    comment = make_comment(article, body="Fair point")
    Comment.objects.filter(pk=comment.pk).update(revision=revision)
    words = "Fair point, visit my casino" if revision == 0 else "Version 20"
    form = _form_as_drawn(reader, comment, words)

    def first_press_lands_first(**kwargs):
        edit_comment(comment=comment, body=words)
        return edit_comment(**kwargs)

    with mock.patch.object(commenter_views, "edit_comment", side_effect=first_press_lands_first):
        second = reader.post(reverse("comments:edit", args=[status_token(comment)]), form)
    answer = reader.get(second["Location"]).content.decode() if second.status_code == 302 else ""

    assert second.status_code == 302
    assert (HELD_BACK if revision == 0 else UPDATED) in answer
    assert Comment.objects.get(pk=comment.pk).body == words


def test_other_words_sent_once_the_edits_are_used_up_are_still_refused(
    reader, article, make_comment
):
    comment = make_comment(article, body="Version 19")
    Comment.objects.filter(pk=comment.pk).update(revision=19)
    form = _form_as_drawn(reader, comment, "Version 20")
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(edit, form)

    refused = reader.post(edit, {**form, "body": "Version 21"})

    assert refused.status_code == 403
    assert "It has been edited 20 times, the most we allow" in refused.content.decode()
    assert Comment.objects.get(pk=comment.pk).body == "Version 20"


def test_a_press_after_a_moderator_marked_it_spam_is_still_refused(
    reader, article, make_comment, moderator
):
    comment = make_comment(article, body="Fair point")
    form = _form_as_drawn(reader, comment, "Fair point, edited")
    edit = reverse("comments:edit", args=[status_token(comment)])
    reader.post(edit, form)
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.SPAM, moderated_by=moderator, moderated_at=timezone.now()
    )

    again = reader.post(edit, form)

    assert again.status_code == 403
    assert "It was marked as spam" in again.content.decode()
