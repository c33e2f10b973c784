"""Odd input to the moderator's desk (an id past any row's, a number too long to read, a moment
no database stores, a NUL in a search) answers as the page would, or a plain 400: never a
server error. SQLite cannot even bind a number past 2**63 (OverflowError); PostgreSQL refuses
text with a NUL in it (DataError)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.desk import add_note
from comments.models import Block, Comment, ModeratorNote
from comments.services import approve, take_down
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"
MEANWHILE = f"{CHANGELIST}meanwhile/"
HUGE = "9" * 25  # past any id, and past what SQLite binds
ENDLESS = "9" * 5000  # past what Python reads as a number by default


@pytest.fixture
def waiting(article, make_comment):
    return make_comment(article, created_at=timezone.now() - timedelta(hours=1))


def test_the_queues_question_about_a_card_past_any_id_is_answered_without_it(
    moderator_client, waiting
):
    for pk in (HUGE, ENDLESS):
        response = moderator_client.get(MEANWHILE, {"pk": [pk, waiting.pk]})

        assert response.status_code == 200
        assert response.json()["decided"] == {}


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-14:00"])
def test_a_moment_no_database_stores_counts_nothing_new(moderator_client, waiting, since):
    for queue in ("pending", "reported"):
        response = moderator_client.get(MEANWHILE, {"since": since, "queue": queue})

        assert response.status_code == 200
        assert "arrived" not in response.json()


def test_a_search_with_a_nul_counts_as_the_list_searched_with_it_shows(moderator_client, waiting):
    since = (timezone.now() - timedelta(days=1)).isoformat()

    listed = moderator_client.get(CHANGELIST, {"q": "\x00"})
    response = moderator_client.get(MEANWHILE, {"since": since, "q": "\x00"})

    assert listed.status_code == 200  # the admin's search form refuses it: the whole queue
    assert response.status_code == 200
    assert response.json()["arrived"] == 1


@pytest.mark.parametrize("view", ["undo-decisions/", "undo-take-down/"])
def test_an_undo_of_an_id_past_any_is_an_undo_of_nothing(moderator_client, approved_comment, view):
    for pk in (HUGE, ENDLESS):
        response = moderator_client.post(
            CHANGELIST + view, {"undo": [pk, approved_comment.pk], "decided": "approved"}
        )

        assert response.status_code == 302
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED


@pytest.mark.parametrize("ticked", [HUGE, ENDLESS, "abc"])
def test_a_bulk_action_on_a_tick_that_names_no_comment_is_refused(
    moderator_client, waiting, ticked
):
    for action in ("approve_selected", "take_down_selected", "requeue_selected"):
        response = moderator_client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [ticked, waiting.pk], **as_shown([waiting])},
        )

        assert response.status_code == 400
    assert Comment.objects.get(pk=waiting.pk).status == Comment.Status.PENDING


def test_fields_of_a_card_past_any_id_are_cards_that_are_not_there(
    moderator_client, moderator, article, make_comment, waiting
):
    decided = make_comment(article)
    approve(comment=decided, by=moderator)
    take_down([decided], by=moderator)
    for name in (HUGE, ENDLESS):
        # Enter in a reason box (without JavaScript); a row's revision and status.
        moderator_client.post(CHANGELIST, {"index": "0", f"reason-{name}": "Off-topic"})
        moderator_client.post(
            f"{CHANGELIST}?status=rejected",
            {
                "action": "requeue_selected",
                "_selected_action": [decided.pk],
                f"seen-{name}": "1",
                f"status-{name}": "rejected",
            },
        )
    # A revision, a preset, too long to be numbers.
    moderator_client.post(
        f"{CHANGELIST}{waiting.pk}/reject/",
        {f"seen-{waiting.pk}": ENDLESS, f"preset-{waiting.pk}": ENDLESS},
    )

    assert Comment.objects.get(pk=waiting.pk).status == Comment.Status.PENDING
    assert Comment.objects.get(pk=decided.pk).status == Comment.Status.REJECTED


@pytest.mark.parametrize("pk", [HUGE, ENDLESS])
def test_a_note_or_block_past_any_id_on_the_commenters_page_is_one_not_there(
    moderator_client, moderator, pk
):
    page = "/admin/comments/comment/commenter/?ip=203.0.113.61"
    note = add_note(by=moderator, text="Posts as three people.", ip="203.0.113.61")
    for action in ("edit_note", "delete_note"):
        response = moderator_client.post(
            page, {"action": action, "note": pk, "shown": "x", "text": "Two."}, follow=True
        )

        assert response.status_code == 200
        assert "That note was deleted meanwhile" in response.content.decode()
    lift = moderator_client.post(page, {"action": "lift", "block": pk}, follow=True)
    # The blocks in force the page showed: one past any id is none.
    block = moderator_client.post(
        page, {"action": "block", "period": "1", "blocks_shown": "1", "shown_block": pk}
    )

    assert "That block was over already." in lift.content.decode()
    assert block.status_code == 302
    assert ModeratorNote.objects.get().text == note.text
    assert Block.objects.get().value == "203.0.113.61"
