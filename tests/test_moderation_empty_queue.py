"""An empty queue says so and offers a check for new comments: no action bar, keys or button
legend for cards that are not there."""

from comments.desk import report_comment
from comments.models import Comment

LIST = "/admin/comments/comment/"


def test_an_empty_queue_offers_a_check_for_new_comments_and_no_tools(
    moderator_client, article, make_comment
):
    make_comment(article, status=Comment.Status.APPROVED)

    html = moderator_client.get(LIST).content.decode()

    assert (
        'Nothing waiting: every comment has been decided. <a href="">Check for new comments</a>'
        in html
    )
    assert 'name="action"' not in html  # the bulk actions' menu
    assert "queue-keys-hint" not in html
    assert "What each button does" not in html
    assert 'id="queue-keys"' not in html


def test_the_tools_are_there_once_a_comment_waits(moderator_client, article, make_comment):
    make_comment(article)

    html = moderator_client.get(LIST).content.decode()

    assert 'name="action"' in html
    assert "queue-keys-hint" in html
    assert "Check for new comments" not in html


def test_an_empty_reported_queue_offers_a_check_again(moderator_client, article, make_comment):
    comment = make_comment(article, status=Comment.Status.APPROVED)
    report_comment(comment=comment, reason="abuse", ip="192.0.2.1")
    moderator_client.post(f"{LIST}{comment.pk}/dismiss/")

    html = moderator_client.get(LIST, {"status": "reported"}).content.decode()

    assert 'No reports waiting. <a href="">Check again</a>' in html
    assert 'name="action"' not in html
