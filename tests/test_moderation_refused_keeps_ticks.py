"""A bulk action sent back undone (a reason typed for a rejection beside "Approve selected", Go
pressed with no action chosen) brings the page back as the moderator left it: the comments
they ticked ticked again, and the words they typed in the action bar and the cards' boxes."""

import re

from comments.models import Comment
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


def ticked_on(html: str) -> set[int]:
    boxes = re.findall(r'<input type="checkbox"[^>]*name="_selected_action"[^>]*>', html)
    return {int(re.search(r'value="(\d+)"', box)[1]) for box in boxes if " checked" in box}


def test_approve_refused_for_the_bars_reason_keeps_the_ticks_and_the_words(
    moderator_client, article, make_comment
):
    first, second, third = (make_comment(article) for _ in range(3))

    page = moderator_client.post(
        CHANGELIST,
        {
            "action": "approve_selected",
            "index": "0",
            "_selected_action": [first.pk, third.pk],
            "reason": "Off topic for this story",
            f"reason-{second.pk}": "Needs a source",
            **as_shown([first, second, third]),
        },
        follow=True,
    ).content.decode()

    assert "Nothing was approved" in page
    assert not Comment.objects.exclude(status=Comment.Status.PENDING).exists()
    assert ticked_on(page) == {first.pk, third.pk}
    assert 'value="Off topic for this story"' in page
    assert (
        f'name="reason-{second.pk}" class="queue-reason"' in page
        and 'value="Needs a source"' in page
    )
    # Shown once: the next visit to the queue starts afresh.
    assert ticked_on(moderator_client.get(CHANGELIST).content.decode()) == set()


def test_go_with_no_action_chosen_on_the_approved_list_keeps_the_ticks(
    moderator_client, article, make_comment
):
    ticked, other = (make_comment(article, status=Comment.Status.APPROVED) for _ in range(2))

    page = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {"action": "", "index": "0", "_selected_action": [ticked.pk], **as_shown([ticked, other])},
        follow=True,
    ).content.decode()

    assert "No action selected." in page
    assert ticked_on(page) == {ticked.pk}
