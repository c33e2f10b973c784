"""A preset reason deleted (an administrator tidying the list) while a moderator's card has it
chosen: the rejection is refused, saying why, as a reason too long is, never sent with no
reason at all; the card comes back with its words, the page with its ticks."""

from html import unescape

import pytest

from comments.desk import report_comment
from comments.models import Comment, RejectionReason
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"
GONE = "The preset reason chosen was deleted meanwhile: nothing was done. Choose another"


@pytest.fixture
def gone_preset(db):
    preset = RejectionReason.objects.create(label="Off-topic", text="Off-topic.")
    pk = preset.pk
    preset.delete()  # after the page drew it
    return pk


def test_a_card_rejected_with_a_preset_deleted_meanwhile_is_refused_to_the_queues_script(
    moderator_client, article, make_comment, gone_preset
):
    comment = make_comment(article)

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/reject/",
        {f"seen-{comment.pk}": comment.revision, f"preset-{comment.pk}": gone_preset},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409
    assert response.json()["outcome"] is None
    assert response.json()["message"].startswith(GONE)
    assert response.json()["waiting"] is True  # the queue's script opens the card again
    assert response.json()["preset_gone"] == gone_preset  # and takes it off the card's choices
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (Comment.Status.PENDING, "")


@pytest.mark.parametrize("action", ["reject", "take-down"])
def test_without_javascript_the_page_comes_back_saying_so(
    moderator_client, article, make_comment, approved_comment, gone_preset, action
):
    comment = approved_comment if action == "take-down" else make_comment(article)
    status = comment.status
    if action == "take-down":
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/{action}/",
        {f"seen-{comment.pk}": comment.revision, f"preset-{comment.pk}": gone_preset},
        HTTP_REFERER=f"http://testserver{CHANGELIST}",
        follow=True,
    )

    assert GONE in unescape(response.content.decode())
    assert Comment.objects.get(pk=comment.pk).status == status


def test_reject_selected_with_a_cards_preset_deleted_meanwhile_rejects_none(
    moderator_client, article, make_comment, gone_preset
):
    chosen, other = make_comment(article), make_comment(article)

    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "reject_selected",
            "_selected_action": [chosen.pk, other.pk],
            **as_shown([chosen, other]),
            f"preset-{chosen.pk}": gone_preset,
        },
        follow=True,
    )

    html = unescape(response.content.decode())
    assert GONE in html
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PENDING}
    for comment in (chosen, other):
        box = f'value="{comment.pk}" class="action-select" aria-label="Select the comment by '
        assert f'{box}{comment.name}" checked' in html
