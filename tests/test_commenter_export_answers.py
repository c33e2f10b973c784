"""What Export and Erase answer a commenter: asked from a comment's status page, the way back
to it; in the download, no article off the site named (the rest of the privacy requests:
tests/test_commenter_privacy.py)."""

from django.urls import reverse

from comments.tokens import status_token


def test_asked_from_the_status_page_the_answer_leads_back_to_the_comment(
    reader, article, make_comment
):
    comment = make_comment(article, email="maria@example.com")
    token = status_token(comment)
    url = reverse("comments:status-privacy", args=[token])
    back = f'<a href="{reverse("comments:status", args=[token])}">Back to your comment</a>'

    answers = [reader.post(url, {"action": "export"}) for _ in range(6)]

    # Sent, then refused by the hourly limit: both lead back to where the reader was.
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "Check your mail" in answers[0].content.decode()
    for answer in (answers[0], answers[-1]):
        assert back in answer.content.decode()
