"""Readers' reports (who reported, why, in their words) are for moderators: staff who may
only read comments see none of them."""

import pytest
from django.utils.html import strip_tags

from comments.models import ReplySubscription, Report

CHANGELIST = "/admin/comments/comment/"
REPORT_TEXT = "He keeps posting my home address"


def _reported(comment, n: int = 2):
    for i in range(n):
        Report.objects.create(
            comment=comment, reason="other", text=f"{REPORT_TEXT} ({i})", reporter=f"reader-{i}"
        )


def test_an_editor_is_refused_the_reported_queue(editor_client, approved_comment):
    _reported(approved_comment)

    response = editor_client.get(CHANGELIST, {"status": "reported"})

    assert response.status_code == 403
    assert REPORT_TEXT not in response.content.decode()


def test_an_editor_sees_no_report_filter_count_or_text_in_the_comment_lists(
    editor_client, approved_comment, article, make_comment
):
    _reported(approved_comment)
    hidden = make_comment(article, held_because=["hidden after 2 reader reports"])
    _reported(hidden)

    for status in ("pending", "approved", "all"):
        html = editor_client.get(CHANGELIST, {"status": status}).content.decode()
        assert REPORT_TEXT not in html
        assert "Something else" not in html
        assert "Reported (" not in html
        assert "?status=reported" not in html


def test_an_editor_sees_no_reported_row_on_the_admin_index(editor_client, approved_comment):
    _reported(approved_comment)

    html = editor_client.get("/admin/").content.decode()

    assert "Comments waiting" in html
    assert "Reported comments" not in html
    assert "moderation-reported" not in html


def test_a_moderator_still_sees_the_reports(moderator_client, approved_comment):
    _reported(approved_comment)

    index = moderator_client.get("/admin/").content.decode()
    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    assert "Reported comments</a>" in index
    assert "Reported (1)" in html
    assert f"“{REPORT_TEXT} (1)”" in strip_tags(html)  # the words in a <bdi> of their own


# Those the admin lets through (one relation, its key): any further into the reports (their
# reason, their words) it refuses itself. Who asked to be mailed about replies is the
# commenter's own business too, told to moderators only.
LOOKUPS = {
    "reports": [{"reports__isnull": "False"}, {"reports__id__gte": "1"}, {"reports__gt": "0"}],
    "reply mail": [{"reply_subscription__isnull": "False"}, {"reply_subscription__gt": "0"}],
}


def _marked(comment, what: str) -> None:
    if what == "reports":
        _reported(comment)
    else:
        ReplySubscription.objects.create(comment=comment)


@pytest.mark.parametrize("what", list(LOOKUPS))
@pytest.mark.parametrize(("persona", "answer"), [("editor", 400), ("moderator", 200)])
def test_only_a_moderator_may_learn_who_was_reported_or_asked_for_mail_through_the_address(
    request, approved_comment, article, make_comment, persona, answer, what
):
    client = request.getfixturevalue(f"{persona}_client")
    _marked(approved_comment, what)
    make_comment(article, status="approved", name="Never Marked")

    for lookup in LOOKUPS[what]:
        response = client.get(CHANGELIST, {"status": "all", **lookup})

        assert response.status_code == answer, lookup
        html = response.content.decode()
        assert ("Early Bird" in html) == (persona == "moderator")
        assert "Never Marked" not in html
