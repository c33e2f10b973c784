"""The edit page open in two tabs: tab A drawn, tab B saves newer words, then tab A's Save.
Tab A's words replaced tab B's without a word. Now nothing is saved: the page shows the words
saved from the other tab beside those typed here, says what happened, and lets its writer
save theirs on purpose."""

import re
from html import unescape
from unittest import mock

from django.urls import reverse

from comments import commenter_views
from comments.commenter_services import edit_comment
from comments.models import Comment, CommentVersion
from comments.tokens import status_token
from tests.test_commenter_edit_twice import at_its_status_page

NOT_SAVED = (
    "Not saved: you changed this comment in another tab or window since this page was opened."
)


def _form_as_drawn(reader, comment, body: str) -> dict:
    """What the edit page's form sends: its hidden fields as drawn, and the words typed."""
    page = reader.get(reverse("comments:edit", args=[status_token(comment)])).content.decode()
    return _form_on(page, body)


def _form_on(page: str, body: str | None = None) -> dict:
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    if body is None:  # as the box holds it
        body = unescape(re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', page, re.S)[1])
    return {**hidden, "body": body}


def _edit(comment):
    return reverse("comments:edit", args=[status_token(comment)])


def _sent_as_tab_b_lands_first(reader, comment, tab_a):
    """Tab A's Save, with tab B's save landing first, while tab A's press waits on its row."""

    def tab_b_lands_first(**kwargs):
        edit_comment(comment=comment, body="Newer words from tab B")
        return edit_comment(**kwargs)

    with mock.patch.object(commenter_views, "edit_comment", side_effect=tab_b_lands_first):
        return reader.post(_edit(comment), tab_a)


def test_a_stale_tab_s_save_keeps_the_newer_words_and_says_so(reader, article, make_comment):
    comment = make_comment(article, body="First words")
    tab_a = _form_as_drawn(reader, comment, "Words typed in tab A")
    tab_b = _form_as_drawn(reader, comment, "Newer words from tab B")
    assert reader.post(_edit(comment), tab_b, follow=True).redirect_chain  # its page read

    answer = reader.post(_edit(comment), tab_a)

    page = answer.content.decode()
    assert answer.status_code == 409
    assert NOT_SAVED in page
    assert "Newer words from tab B" in page  # beside, to read
    assert "Words typed in tab A" in page  # in the box, kept
    assert "Save changes" in page
    comment.refresh_from_db()
    assert comment.body == "Newer words from tab B"
    assert CommentVersion.objects.filter(comment=comment).count() == 1


def test_saved_again_from_that_page_the_words_go_in_on_purpose(reader, article, make_comment):
    comment = make_comment(article, body="First words")
    tab_a = _form_as_drawn(reader, comment, "Words typed in tab A")
    reader.post(
        _edit(comment), _form_as_drawn(reader, comment, "Newer words from tab B"), follow=True
    )
    refused = reader.post(_edit(comment), tab_a).content.decode()

    saved = reader.post(_edit(comment), _form_on(refused), follow=True)

    assert at_its_status_page(saved, comment)
    assert "Your comment is updated" in saved.content.decode()
    assert Comment.objects.get(pk=comment.pk).body == "Words typed in tab A"


def test_the_same_words_from_the_stale_tab_say_the_comment_is_updated(
    reader, article, make_comment
):
    comment = make_comment(article, body="First words")
    tab_a = _form_as_drawn(reader, comment, "The same words")
    reader.post(_edit(comment), _form_as_drawn(reader, comment, "The same words"), follow=True)

    answer = reader.post(_edit(comment), tab_a, follow=True)

    assert "Your comment is updated" in answer.content.decode()


def test_a_form_drawn_before_forms_said_their_revision_saves_as_before(
    reader, article, make_comment
):
    comment = make_comment(article, body="First words")
    reader.post(
        _edit(comment), _form_as_drawn(reader, comment, "Newer words from tab B"), follow=True
    )

    answer = reader.post(_edit(comment), {"body": "Words from an older page"})

    assert answer.status_code == 302
    assert Comment.objects.get(pk=comment.pk).body == "Words from an older page"


def test_a_stale_tab_s_save_waiting_on_the_other_s_lock_saves_nothing(
    reader, article, make_comment
):
    # Both saved at once: tab A's press read the comment before tab B's save committed, then
    # waited on its row; what it finds under the lock decides.
    comment = make_comment(article, body="First words")
    tab_a = _form_as_drawn(reader, comment, "Words typed in tab A")

    answer = _sent_as_tab_b_lands_first(reader, comment, tab_a)

    assert answer.status_code == 409
    assert NOT_SAVED in answer.content.decode()
    assert Comment.objects.get(pk=comment.pk).body == "Newer words from tab B"


def test_the_page_that_says_so_has_no_html_errors(reader, article, make_comment, tmp_path):
    from tests.test_html_validity import nu_errors

    comment = make_comment(article, body="First words")
    tab_a = _form_as_drawn(reader, comment, "Words typed in tab A")
    reader.post(
        _edit(comment), _form_as_drawn(reader, comment, "Newer words from tab B"), follow=True
    )
    page = reader.post(_edit(comment), tab_a).content.decode()

    errors = nu_errors({"edited-elsewhere": page}, tmp_path)

    assert not errors, "\n".join(errors)


def test_a_stale_tab_s_save_waiting_on_the_other_s_last_edit_says_why_it_cannot_save(
    reader, article, make_comment
):
    # Tab B's save was the comment's last allowed edit: tab A's words are refused with the
    # reason, its words kept, and no Save button that could only be refused again.
    comment = make_comment(article, body="First words")
    Comment.objects.filter(pk=comment.pk).update(revision=19)
    comment.refresh_from_db()
    tab_a = _form_as_drawn(reader, comment, "Words typed in tab A")

    answer = _sent_as_tab_b_lands_first(reader, comment, tab_a)

    page = answer.content.decode()
    assert answer.status_code == 403
    assert "This comment can no longer be edited. It has been edited 20 times" in page
    assert "Words typed in tab A" in page
    assert "Save changes" not in page
    assert Comment.objects.get(pk=comment.pk).body == "Newer words from tab B"
