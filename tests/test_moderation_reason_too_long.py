"""A reason past the box's 300 characters (pasted, or filled in by a script or a password
manager's snippet) on a comment's own page is refused, nothing decided: the page comes back
saying what is wrong, with the moderator's words still in the box to shorten, not an empty box
and a reason to write again."""

import re
from html import unescape

import pytest

from comments.desk import report_comment
from comments.models import Comment

CHANGELIST = "/admin/comments/comment/"
LONG = "Personal attack on another reader, " + "and more of the same; " * 13 + "the end."


def _posted_from_its_page(client, comment, action):
    page = f"{CHANGELIST}{comment.pk}/change/"
    return client.post(
        f"{CHANGELIST}{comment.pk}/{action}/",
        {"_next_pending": "1", f"seen-{comment.pk}": comment.revision, "reason": LONG},
        HTTP_REFERER=f"http://testserver{page}",
        follow=True,
    )


@pytest.mark.parametrize("action", ["reject", "take-down"])
def test_a_reason_too_long_on_a_comments_page_comes_back_in_its_box_with_what_is_wrong(
    moderator_client, approved_comment, make_comment, action
):
    comment = approved_comment
    if action == "reject":
        comment = make_comment(approved_comment.article)
    else:
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
    assert len(LONG) > 300

    response = _posted_from_its_page(moderator_client, comment, action)

    assert response.redirect_chain[-1][0].endswith(f"{CHANGELIST}{comment.pk}/change/")
    html = unescape(response.content.decode())
    assert f"Keep the reason to 300 characters (it has {len(LONG)})." in html
    assert f'name="reason" id="id_reason" class="vTextField" value="{LONG}"' in html
    assert Comment.objects.get(pk=comment.pk).status == (
        Comment.Status.PENDING if action == "reject" else Comment.Status.APPROVED
    )


def test_a_reason_too_long_in_a_queue_cards_box_comes_back_in_it_without_javascript(
    moderator_client, article, make_comment
):
    comment = make_comment(article)

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/reject/",
        {f"seen-{comment.pk}": comment.revision, f"reason-{comment.pk}": LONG},
        HTTP_REFERER=f"http://testserver{CHANGELIST}",
        follow=True,
    )

    html = unescape(response.content.decode())
    assert f"Keep the reason to 300 characters (it has {len(LONG)})." in html
    assert f'name="reason-{comment.pk}" class="queue-reason"' in html
    assert f'placeholder="or your own words" value="{LONG}"' in html
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_a_reason_too_long_in_the_action_bar_keeps_the_ticks_and_the_words(
    moderator_client, approved_comment
):
    from tests.comment_fixtures import as_shown
    from tests.test_moderation_refused_keeps_ticks import ticked_on

    data = {
        "action": "take_down_selected",
        "_selected_action": [approved_comment.pk],
        **as_shown([approved_comment]),
        "reason": LONG,
    }
    response = moderator_client.post(f"{CHANGELIST}?status=approved", data, follow=True)

    html = unescape(response.content.decode())
    assert f"Keep the reason to 300 characters (it has {len(LONG)})" in html
    assert "No action selected" not in html
    assert f'value="{LONG}"' in html  # the bar's words, to shorten
    assert ticked_on(html) == {approved_comment.pk}
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED


def test_a_cards_reason_refused_keeps_the_other_cards_words_and_the_ticks(
    moderator_client, article, make_comment
):
    from tests.comment_fixtures import as_shown
    from tests.test_moderation_refused_keeps_ticks import ticked_on

    first, second, third = (make_comment(article) for _ in range(3))

    # Reject pressed on the first card without JavaScript: its button posts the list's form.
    response = moderator_client.post(
        f"{CHANGELIST}{first.pk}/reject/",
        {
            "action": "",
            "index": "0",
            "_selected_action": [second.pk, third.pk],
            f"reason-{first.pk}": LONG,
            f"reason-{second.pk}": "Words typed for the second",
            **as_shown([first, second, third]),
        },
        HTTP_REFERER=f"http://testserver{CHANGELIST}",
        follow=True,
    )

    html = unescape(response.content.decode())
    assert f"Keep the reason to 300 characters (it has {len(LONG)})." in html
    assert f'value="{LONG}"' in html
    assert 'value="Words typed for the second"' in html
    assert ticked_on(html) == {second.pk, third.pk}
    assert not Comment.objects.exclude(status=Comment.Status.PENDING).exists()


def test_no_reason_box_cuts_a_paste_without_a_word(
    moderator_client, approved_comment, make_comment
):
    # The server says what is too long and keeps the words (above); a maxlength in the browser
    # cut a pasted reason at 300 characters, and the rest was gone before anyone was told.
    waiting = make_comment(approved_comment.article)
    queue = moderator_client.get(CHANGELIST, {"status": "pending"}).content.decode()
    page = moderator_client.get(f"{CHANGELIST}{approved_comment.pk}/change/").content.decode()
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    reported = moderator_client.get(f"{CHANGELIST}{approved_comment.pk}/change/").content.decode()

    assert f'name="reason-{waiting.pk}"' in queue
    assert 'name="reason" id="id_reason"' in reported
    for html in (queue, page, reported):
        assert not re.search(r'<input[^>]*name="reason[^"]*"[^>]*maxlength', html)
