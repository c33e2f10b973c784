"""What each of the queue's buttons does, told on the page itself (a phone has no ? key):
who sees the comment after it, and whether its author hears of it."""

import re

from comments.desk import report_comment
from comments.models import Comment

LIST = "/admin/comments/comment/"


def _legend(response) -> str:
    html = response.content.decode()
    assert html.count('<details class="queue-legend">') == 1
    legend = html.split('<details class="queue-legend">', 1)[1].split("</details>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", legend).split())  # a term, then what it does


def test_the_queue_says_what_approve_reject_spam_and_undo_do(
    moderator_client, article, make_comment
):
    make_comment(article)

    legend = _legend(moderator_client.get(LIST))

    assert legend.startswith("What each button does")
    assert "Approve Publishes the comment under its story." in legend
    assert "Reject Keeps it off the site. Its author reads your reason" in legend
    assert "by e-mail if they asked to hear of decisions" in legend
    assert "Spam Keeps it off the site, and its author is not e-mailed." in legend
    assert "Undo Shown on a card once it is decided: the comment waits here again" in legend


def test_the_queue_says_rejecting_a_comment_keeps_its_published_replies_on_the_site(
    moderator_client, article, make_comment
):
    """A comment published, then edited, waits here again with the replies readers published
    under it; rejected or marked as spam, they stay on the page under its placeholder
    (comments.querysets.REMOVED). The legend said only "Keeps it off the site": a moderator
    could not tell whether the replies went with it."""
    make_comment(article)

    legend = _legend(moderator_client.get(LIST))

    reject = legend.split("Reject ", 1)[1].split(" Spam ", 1)[0]
    assert (
        "A comment that was published before (its author edited it since) leaves the replies "
        "published under it on the site, under “Comment removed by a moderator.”"
    ) in reject
    spam = legend.split(" Spam ", 1)[1].split(" Undo ", 1)[0]
    # Qualified as Reject's line is: a comment its readers' reports hid takes its replies down
    # when marked as spam (comments.report_answers), as Reject does there.
    assert "Replies published under it stay on the site, as for Reject." not in spam
    assert (
        "A comment that was published before (its author edited it since) leaves the replies "
        "published under it on the site, as Reject does."
    ) in spam


def test_the_keys_list_says_what_a_and_s_do_and_how_it_closes(
    moderator_client, article, make_comment
):
    make_comment(article)

    html = moderator_client.get(LIST).content.decode()
    keys = html.split('<dialog id="queue-keys"', 1)[1].split("</dialog>", 1)[0]
    keys = " ".join(re.sub(r"<[^>]+>", " ", keys).split())

    assert "a Approve: published under its story" in keys
    assert "s Spam: kept off the site, its author not e-mailed" in keys
    assert "? This list ( Esc closes it)" in keys


def test_the_reported_queue_says_what_take_down_and_dismiss_do(
    moderator_client, article, make_comment
):
    comment = make_comment(article, status=Comment.Status.APPROVED)
    report_comment(comment=comment, reason="abuse", ip="192.0.2.1")

    legend = _legend(moderator_client.get(LIST, {"status": "reported"}))

    assert "Take down Takes the comment off the site, with its published replies" in legend
    assert "Dismiss Closes its reports and leaves the comment up" in legend
    assert "Approve" not in legend


def test_who_may_only_read_comments_is_told_of_no_buttons(editor_client, article, make_comment):
    make_comment(article)

    response = editor_client.get(LIST)

    assert response.status_code == 200
    assert "queue-legend" not in response.content.decode()
