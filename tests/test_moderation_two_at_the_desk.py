"""Two moderators at the desk at once, each from the page they have in front of them: what one
of them did meanwhile is never overwritten unseen, and the other is told who did what."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments.desk import take_down_reported
from comments.models import Block, Comment, Report
from comments.services import decide

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


@pytest.fixture
def second_client(second_moderator):
    client = Client()
    client.force_login(second_moderator)
    return client


def block_form(page: str, **typed) -> dict:
    """The fields the commenter page's Block form posts, as drawn, with what the moderator
    chose: the browser's view of the form."""
    form = next(f for f in page.split("<form")[1:] if 'value="block"' in f.split("</form>")[0])
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(unescape(value))
    fields.pop("csrfmiddlewaretoken", None)
    return {**fields, "action": "block", **typed}


def test_a_block_set_meanwhile_by_another_moderator_is_not_replaced_unseen(
    moderator_client, second_client, moderator
):
    url = f"{COMMENTER}?email=troll%40example.com"
    mine = moderator_client.get(url).content.decode()
    theirs = second_client.get(url).content.decode()  # drawn before the first one blocks

    moderator_client.post(url, block_form(mine, period="forever", reason="Casino spam"))
    answer = second_client.post(url, block_form(theirs, period="1", reason="Cool off"))

    # The first block stands, for good; the second moderator is told whose it is, and what
    # they chose is back in the form.
    block = Block.objects.active().get()
    assert (block.created_by, block.expires_at, block.reason) == (moderator, None, "Casino spam")
    page = answer.content.decode()
    assert (
        "Blocked meanwhile by moderator: E-mail address troll@example.com blocked for good "
        "(Casino spam). Yours was not set, so theirs is not replaced: to replace it, press Block "
        "again."
    ) in unescape(page)
    assert 'value="Cool off"' in page
    assert '<option value="1" selected>for a day</option>' in page

    # Now that they have seen it, Block replaces it, as a new block does.
    second_client.post(url, block_form(page, period="1", reason="Cool off"))
    block = Block.objects.active().get()
    assert (block.reason, block.expires_at is not None) == ("Cool off", True)


def test_a_moderator_replaces_a_block_their_page_showed(moderator_client, moderator):
    url = f"{COMMENTER}?email=troll%40example.com"
    moderator_client.post(url, block_form(moderator_client.get(url).content.decode(), period="1"))
    page = moderator_client.get(url).content.decode()

    moderator_client.post(url, block_form(page, period="forever", reason="Again"))

    assert Block.objects.active().get().expires_at is None
    assert Block.objects.count() == 2


def test_a_dismiss_after_another_moderators_take_down_says_who_took_it_down(
    moderator_client, second_moderator, approved_comment
):
    for n in range(2):
        Report.objects.create(comment=approved_comment, reason="abuse", reporter=f"r{n}")
    # Both had the Reported queue open; the other moderator took the comment down first.
    take_down_reported(comment=approved_comment, by=second_moderator, reason="Abusive")

    late = moderator_client.post(
        f"/admin/comments/comment/{approved_comment.pk}/dismiss/", HTTP_ACCEPT="application/json"
    )

    assert late.status_code == 409
    assert late.json()["message"] == (
        "Those reports had already been upheld by moderator2: the comment was taken down."
    )
    assert Comment.objects.get(pk=approved_comment.pk).taken_down_by == second_moderator


def test_a_search_of_the_queue_says_what_it_finds_among_decided_comments(
    moderator_client, article, make_comment
):
    # A reader writes in about a published comment; the moderator types their address.
    make_comment(article, email="ann@example.com", status="approved")
    make_comment(article, email="ann@example.com", status="approved")
    make_comment(article, email="ann@example.com", status="rejected")
    make_comment(article, email="bob@example.com", status="spam")

    page = moderator_client.get(CHANGELIST, {"q": "ann@example.com"}).content.decode()

    assert "Nothing waiting matches this search or filter." in page
    assert (
        "Already decided, and so not in the queue, this search also finds: "
        '<a href="?q=ann%40example.com&amp;status=approved">2 approved</a> · '
        '<a href="?q=ann%40example.com&amp;status=rejected">1 rejected</a>.'
    ) in page
    listed = moderator_client.get(CHANGELIST, {"q": "ann@example.com", "status": "approved"})
    assert len(listed.context["cl"].result_list) == 2
    # Nothing searched, nothing said.
    assert "this search also finds" not in moderator_client.get(CHANGELIST).content.decode()


def test_the_searched_queue_costs_no_query_more_however_much_it_finds(
    moderator_client, article, make_comment
):
    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert moderator_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_comment(article, body="Elm Street again", status="approved")
    queries(CHANGELIST)  # warm: the session and permissions
    plain = queries(CHANGELIST)
    searched = queries(f"{CHANGELIST}?q=Elm")
    for status in ["approved", "rejected", "spam"] * 5:
        make_comment(article, body="Elm Street again", status=status)

    # What it finds already decided is counted with the lists by status, in the one query
    # that counts the whole site's reports without a search.
    assert searched == plain
    assert queries(f"{CHANGELIST}?q=Elm") == searched


def test_a_bulk_decision_that_lost_to_another_moderator_says_who_decided_what(
    moderator_client, second_moderator, article, make_comment
):
    comments = [make_comment(article) for _ in range(4)]
    shown = {f"seen-{c.pk}": c.revision for c in comments}
    # While the queue was open, the other moderator approved two and marked one as spam.
    decide(comments[:2], status=Comment.Status.APPROVED, by=second_moderator)
    decide(comments[2:3], status=Comment.Status.SPAM, by=second_moderator)

    html = moderator_client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": [c.pk for c in comments], **shown},
        follow=True,
    ).content.decode()

    assert "1 comment rejected." in html
    assert (
        "3 comments had already been decided (2 approved by moderator2 · 1 marked as spam by "
        "moderator2), or deleted by their authors"
    ) in html


def test_all_of_a_commenters_comments_says_who_decided_some_meanwhile(
    moderator_client, second_moderator, article, make_comment
):
    theirs = [make_comment(article, email="troll@example.com") for _ in range(3)]
    shown = {f"seen-{c.pk}": c.revision for c in theirs}
    decide(theirs[:1], status=Comment.Status.APPROVED, by=second_moderator)

    html = moderator_client.post(
        f"{COMMENTER}?email=troll@example.com", {"action": "spam_all", **shown}, follow=True
    ).content.decode()

    assert "1 of them had been decided meanwhile (1 approved by moderator2)" in html
