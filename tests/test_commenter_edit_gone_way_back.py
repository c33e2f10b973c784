"""An edit sent from the Edit page after its comment was deleted (from another browser, by
whoever else holds its link): the page that gives the words back leads back to the article,
where they can be posted anew, as README promises, also once the comment's row is gone (a
comment with no replies is deleted outright, and its row no longer names its story)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.tokens import status_token

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _form_as_drawn(page: str) -> dict[str, str]:
    """What the Edit page's form sends besides the words typed: its hidden fields."""
    form = page.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    return dict(HIDDEN.findall(form))


@pytest.mark.parametrize("with_reply", [True, False])
def test_the_edit_of_a_comment_deleted_elsewhere_leads_back_to_the_article(
    reader, article, make_comment, with_reply
):
    comment = make_comment(article, body="First words")
    if with_reply:
        make_comment(article, parent=comment, status=Comment.Status.APPROVED, body="A reply")
    edit = reverse("comments:edit", args=[status_token(comment)])
    drawn = _form_as_drawn(reader.get(edit).content.decode())
    Client().post(reverse("comments:delete", args=[status_token(comment)]))  # another browser

    posted = reader.post(edit, {**drawn, "body": "Second thoughts"})

    page = posted.content.decode()
    assert posted.status_code == 404
    assert "Not saved: this comment was withdrawn" in page
    assert "Second thoughts</textarea>" in page
    back = f'<a href="{article.get_absolute_url()}#comment-form">Back to the article</a>'
    assert back in page


def test_the_way_back_names_no_story_readers_cannot_see(reader, article, draft, make_comment):
    """The form's fields are the sender's to change: a draft named there is not linked."""
    comment = make_comment(article, body="First words")
    edit = reverse("comments:edit", args=[status_token(comment)])
    drawn = _form_as_drawn(reader.get(edit).content.decode())
    Client().post(reverse("comments:delete", args=[status_token(comment)]))
    assert "article" in drawn

    page = reader.post(edit, {**drawn, "article": draft.pk, "body": "Second thoughts"})
    page = page.content.decode()

    assert "Second thoughts</textarea>" in page
    assert "Back to the article" not in page
    assert draft.get_absolute_url() not in page


@pytest.mark.parametrize("sent", ["", "x", "١", "²", "9" * 40, "-3"])
def test_a_mangled_story_number_still_gives_the_words_back(reader, article, make_comment, sent):
    comment = make_comment(article, body="First words")
    edit = reverse("comments:edit", args=[status_token(comment)])
    Client().post(reverse("comments:delete", args=[status_token(comment)]))

    posted = reader.post(edit, {"article": sent, "revision": "0", "body": "Second thoughts"})

    assert posted.status_code == 404
    assert "Second thoughts</textarea>" in posted.content.decode()
