"""A reason given on a queue card (typed, or a preset chosen) goes with that card's rejection,
alone or in "Reject selected", and never lets the comment be approved; a comment decided on its
own page leads on to the next one waiting in the list it was opened from."""

from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.html import escape

from comments.models import Comment, RejectionReason
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


def _bulk(client, action, comments, **fields):
    """A bulk action on these ticked cards, as the queue page posts it."""
    data = {"action": action, "_selected_action": [c.pk for c in comments], **as_shown(comments)}
    return client.post(CHANGELIST, {**data, **fields}, follow=True)


def _statuses(*comments):
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def test_a_preset_chosen_on_a_card_keeps_approve_from_publishing_it(
    moderator_client, article, make_comment
):
    comment = make_comment(article)
    preset = RejectionReason.objects.get(label="Abusive")

    refused = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/",
        {f"preset-{comment.pk}": preset.pk, **as_shown([comment])},
        HTTP_ACCEPT="application/json",
    )

    assert refused.status_code == 409
    assert "press Reject to reject it with that reason" in refused.json()["message"]
    assert refused.json()["waiting"] is True  # the queue's script opens the card again
    assert _statuses(comment) == [Comment.Status.PENDING]


def test_reject_selected_sends_each_card_its_own_reason_and_the_bar_s_to_the_rest(
    moderator_client, article, make_comment
):
    typed, chosen, plain = (make_comment(article) for _ in range(3))
    preset = RejectionReason.objects.get(label="Advertising")

    response = _bulk(
        moderator_client,
        "reject_selected",
        [typed, chosen, plain],
        reason="Off topic.",
        **{f"reason-{typed.pk}": "Shouting at other readers.", f"preset-{chosen.pk}": preset.pk},
    )

    reasons = dict(Comment.objects.values_list("pk", "rejection_reason"))
    assert reasons == {
        typed.pk: "Shouting at other readers.",
        chosen.pk: preset.text,
        plain.pk: "Off topic.",
    }
    assert _statuses(typed, chosen, plain) == [Comment.Status.REJECTED] * 3
    assert (
        "3 comments rejected with the reason “Off topic.” (those given a reason on their card"
        in (response.content.decode())
    )


def test_approve_selected_leaves_the_cards_given_a_reason_waiting(
    moderator_client, article, make_comment
):
    given, plain = make_comment(article), make_comment(article)

    response = _bulk(
        moderator_client,
        "approve_selected",
        [given, plain],
        **{f"reason-{given.pk}": "Personal attack"},
    )

    assert _statuses(given, plain) == [Comment.Status.PENDING, Comment.Status.APPROVED]
    html = response.content.decode()
    assert "1 comment with a reason for rejecting was left waiting" in html
    assert "1 comment approved." in html


def test_enter_in_one_of_several_cards_with_words_decides_nothing_and_keeps_the_words(
    moderator_client, article, make_comment
):
    first, second = make_comment(article), make_comment(article)

    # Without JavaScript, Enter submits the list's form through "Go", with no action chosen.
    response = moderator_client.post(
        f"{CHANGELIST}?status=pending",
        {
            "action": "",
            "index": "0",
            f"reason-{first.pk}": "Off topic",
            f"reason-{second.pk}": "Rude",
            **as_shown([first, second]),
        },
        follow=True,
    )

    assert _statuses(first, second) == [Comment.Status.PENDING] * 2
    html = response.content.decode()
    assert "You typed reasons on 2 comments and pressed Enter: nothing was decided" in html
    assert f'name="reason-{first.pk}"' in html and 'value="Off topic"' in html
    assert 'value="Rude"' in html
    # Given back once: the queue opened again later has empty boxes.
    assert 'value="Rude"' not in moderator_client.get(CHANGELIST).content.decode()


def test_deciding_on_a_comments_page_moves_on_to_the_one_after_it_not_the_oldest(
    moderator_client, article, make_comment
):
    now = timezone.now()
    skipped, opened, after = (
        make_comment(article, created_at=now - timedelta(hours=hours)) for hours in (3, 2, 1)
    )

    response = moderator_client.post(f"{CHANGELIST}{opened.pk}/approve/", {"_next_pending": "1"})
    assert response["Location"] == f"{CHANGELIST}{after.pk}/change/"

    # At the end of the list, the one skipped on purpose comes round again.
    last = moderator_client.post(f"{CHANGELIST}{after.pk}/approve/", {"_next_pending": "1"})
    assert last["Location"] == f"{CHANGELIST}{skipped.pk}/change/"


def test_deciding_on_a_comments_page_stays_in_the_search_it_was_opened_from(
    moderator_client, article, make_comment
):
    now = timezone.now()
    frank = [
        make_comment(article, name="Frank", created_at=now - timedelta(hours=hours))
        for hours in (3, 1)
    ]
    make_comment(article, name="Heidi", created_at=now - timedelta(hours=2))
    filters = urlencode({"q": "Frank"})
    # Opened from the searched queue by the card's name (the link `o` follows too).
    queue = moderator_client.get(f"{CHANGELIST}?{filters}").content.decode()
    opened = f"{CHANGELIST}{frank[0].pk}/change/?{urlencode({'_changelist_filters': filters})}"
    assert f'href="{escape(opened)}"' in queue
    page = moderator_client.get(opened).content.decode()
    assert f'name="_changelist_filters" value="{filters}"' in page

    response = moderator_client.post(
        f"{CHANGELIST}{frank[0].pk}/approve/",
        {"_next_pending": "1", "_changelist_filters": filters},
    )
    assert response["Location"] == (
        f"{CHANGELIST}{frank[1].pk}/change/?{urlencode({'_changelist_filters': filters})}"
    )

    # The search's last: back to the search, not to the whole queue.
    last = moderator_client.post(
        f"{CHANGELIST}{frank[1].pk}/approve/",
        {"_next_pending": "1", "_changelist_filters": filters},
    )
    assert last["Location"] == f"{CHANGELIST}?{filters}"


def test_a_preset_that_kept_approve_from_publishing_is_still_chosen_for_reject(
    moderator_client, article, make_comment
):
    comment = make_comment(article)
    preset = RejectionReason.objects.get(label="Abusive")
    choose = f'<option value="{preset.pk}" selected>'

    # From the comment's own page, then from a queue card without JavaScript.
    own_page = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/",
        {"preset": preset.pk, "_next_pending": "1"},
        HTTP_REFERER=f"http://testserver{CHANGELIST}{comment.pk}/change/",
        follow=True,
    ).content.decode()
    queue = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/approve/",
        {f"preset-{comment.pk}": preset.pk, **as_shown([comment])},
        HTTP_REFERER=f"http://testserver{CHANGELIST}",
        follow=True,
    ).content.decode()

    assert choose in own_page and "press Reject to reject it with that reason" in own_page
    assert choose in queue
    assert _statuses(comment) == [Comment.Status.PENDING]
    assert choose not in moderator_client.get(CHANGELIST).content.decode()  # given back once


def test_a_comments_page_opened_from_a_later_page_of_the_queue_leads_on_when_that_page_empties(
    moderator_client, article, make_comment
):
    now = timezone.now()
    comments = [
        make_comment(article, created_at=now - timedelta(minutes=60 - n)) for n in range(51)
    ]
    last = comments[-1]  # alone on page 2 of 50
    shown = {"_next_pending": "1", "_changelist_filters": urlencode({"p": "2"})}

    response = moderator_client.post(f"{CHANGELIST}{last.pk}/approve/", shown)
    # A filter that no longer applies (a section since deleted, a bad date) is the whole queue.
    broken = {"_next_pending": "1", "_changelist_filters": "created_at__gte=yesterday"}
    following = moderator_client.post(f"{CHANGELIST}{comments[0].pk}/approve/", broken)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{CHANGELIST}{comments[0].pk}/change/")
    assert following.status_code == 302
    assert following["Location"].startswith(f"{CHANGELIST}{comments[1].pk}/change/")
    assert _statuses(last, comments[0]) == [Comment.Status.APPROVED] * 2


def test_reject_selected_with_a_card_reason_refused_decides_none_of_them(
    moderator_client, article, make_comment
):
    fine, too_long = make_comment(article), make_comment(article)

    response = _bulk(
        moderator_client,
        "reject_selected",
        [fine, too_long],
        # The second past what the box lets one type.
        **{f"reason-{fine.pk}": "Off topic.", f"reason-{too_long.pk}": "x" * 301},
    )

    assert _statuses(fine, too_long) == [Comment.Status.PENDING] * 2
    html = response.content.decode()
    assert "Keep the reason to 300 characters (it has 301)." in html
    assert "comment rejected" not in html
    assert "comments rejected" not in html


def test_approve_selected_with_a_reason_typed_in_the_bar_publishes_nothing(
    moderator_client, client, article, make_comment
):
    # A reason typed for a rejection, then "Approve selected" (the first action) chosen by slip.
    meant_to_refuse = make_comment(article, body="An insult meant to be rejected.")

    response = _bulk(moderator_client, "approve_selected", [meant_to_refuse], reason="Abusive")

    assert _statuses(meant_to_refuse) == [Comment.Status.PENDING]
    assert "Nothing was approved: a reason for rejecting is typed" in response.content.decode()
    assert "An insult" not in client.get(article.get_absolute_url()).content.decode()
