"""Save pressed twice (a double click without JavaScript sends the form twice, and the browser
shows the second answer): the first press saved the words, the second found them there already
and said "Nothing changed: your comment is as it was", as if the edit had been lost."""

import re

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentVersion
from comments.tokens import status_token


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


def test_a_second_press_of_save_says_the_comment_is_updated(reader, article, make_comment):
    comment = _published(article, make_comment, "Published words")
    edit = reverse("comments:edit", args=[status_token(comment)])
    form = _form_as_drawn(reader, comment, "Changed words")

    reader.post(edit, form)
    second = reader.post(edit, form, follow=True).content.decode()

    assert "Nothing changed" not in second
    assert "Your comment is updated. A moderator will review the new text." in second
    assert CommentVersion.objects.filter(comment=comment).count() == 1


def test_save_pressed_without_a_change_still_says_nothing_changed(reader, article, make_comment):
    comment = _published(article, make_comment, "Published words")
    edit = reverse("comments:edit", args=[status_token(comment)])

    answer = reader.post(edit, _form_as_drawn(reader, comment, "Published words"), follow=True)

    assert "Nothing changed: your comment is as it was." in answer.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
