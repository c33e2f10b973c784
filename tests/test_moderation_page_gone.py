"""A page of the queue that other moderators emptied (the queue's "Next page" reloads its own
page) leads to the last page of the same list, the search and filters kept, and says why: the
admin's "?e=1" led to the whole queue's first page, the moderator's search lost unsaid."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from comments.admin import CommentAdmin
from comments.models import Comment
from comments.services import approve

LIST = "/admin/comments/comment/"
GONE = "That page of the list no longer exists: comments on it were decided meanwhile."


@pytest.fixture
def cats(article, make_comment, monkeypatch, second_moderator):
    """Five waiting comments about cats and two about dogs; two a page (fifty on the site)."""
    monkeypatch.setattr(CommentAdmin, "list_per_page", 2)
    start = timezone.now() - timedelta(hours=1)
    about = ["cats"] * 5 + ["dogs"] * 2
    return [
        make_comment(article, body=f"A word about {pet}.", created_at=start + timedelta(minutes=n))
        for n, pet in enumerate(about)
    ][:5]


def _query(response):
    return parse_qs(urlsplit(response["Location"]).query)


def test_a_page_emptied_meanwhile_leads_to_the_last_page_of_the_same_search(
    moderator_client, second_moderator, cats
):
    assert moderator_client.get(LIST, {"q": "cats", "p": 3}).status_code == 200
    for comment in cats[:2]:
        approve(comment=comment, by=second_moderator)  # three left: two pages

    response = moderator_client.get(LIST, {"q": "cats", "status": "pending", "p": 3})

    assert response.status_code == 302
    assert _query(response) == {"q": ["cats"], "status": ["pending"], "p": ["2"]}
    page = moderator_client.get(response["Location"]).content.decode()
    assert GONE in page
    assert 'value="cats" id="searchbar"' in page
    assert "A word about cats." in page and "A word about dogs." not in page


def test_a_bulk_action_posted_from_a_page_emptied_meanwhile_still_acts(
    moderator_client, second_moderator, cats
):
    for comment in cats[:1]:  # four left: two pages
        approve(comment=comment, by=second_moderator)
    ticked = cats[4]

    response = moderator_client.post(
        f"{LIST}?q=cats&p=3",
        {
            "action": "spam_selected",
            "_selected_action": [ticked.pk],
            f"seen-{ticked.pk}": ticked.revision,
        },
        follow=True,
    )

    ticked.refresh_from_db()
    assert ticked.status == Comment.Status.SPAM
    assert "1 comment marked as spam." in response.content.decode()
    assert 'value="cats" id="searchbar"' in response.content.decode()


def test_a_filter_that_does_not_apply_still_gets_the_admins_answer(moderator_client, cats):
    response = moderator_client.get(LIST, {"created_at__gte": "not a date", "p": 2})

    assert (response.status_code, response["Location"]) == (302, f"{LIST}?e=1")
