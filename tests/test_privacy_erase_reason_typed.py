"""A reason a moderator gives with a rejection or a take-down never writes back in clear an
address its owner erased (the erase took it out of every reason): typed on a queue card (with or
without the queue's script), in the action bar of a bulk action, on the commenter's page, or a
preset chosen, it is refused as a note naming one is (comments.erased_named). Nothing is decided,
the moderator is told why, and their words come back in the box with the address left out; the
session that carries them over the redirect never holds it either. It was saved in clear with
the decision, logged, and shown and mailed to the commenter."""

import html
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session

from articles.models import Article
from comments.desk import block_sender, report_comment
from comments.models import Comment, ModerationPolicy, RejectionReason
from comments.privacy import erase_comments
from comments.services import approve
from tests.comment_fixtures import as_shown
from tests.test_privacy_erase_notes import IP, JANE

LIST = "/admin/comments/comment/"
ERASED_HERE = "erased at its owner's request"
LEFT_OUT = "[erased address]"


@pytest.fixture
def jane(article, make_comment):
    return make_comment(article, name="Jane Roe", email=JANE, ip_address=IP)


@pytest.fixture
def bob(article, make_comment):
    return make_comment(article, name="Bob Poe", email="bob@example.net", ip_address=IP)


def _nowhere_in_clear():
    """Neither the comments, the moderators' log nor any session holds the erased address."""
    assert not Comment.objects.filter(rejection_reason__icontains=JANE).exists()
    assert not LogEntry.objects.filter(change_message__icontains=JANE).exists()
    for session in Session.objects.all():
        assert JANE not in str(session.get_decoded())


def _undecided(*comments):
    for comment in comments:
        row = Comment.objects.get(pk=comment.pk)
        assert (row.status, row.rejection_reason) == (Comment.Status.PENDING, "")


def test_a_cards_reason_from_a_page_drawn_before_the_erase_decides_nothing(
    moderator_client, jane, bob
):
    # The queue showed her comment beside his; she erased hers; Reject pressed on his card
    # (without the script: its button posts the list's form).
    page = {"action": "", "index": "0", **as_shown([jane, bob])}
    erase_comments(email=JANE)
    typed = f"Same words as {JANE}, word for word"

    response = moderator_client.post(
        f"{LIST}{bob.pk}/reject/",
        {**page, f"reason-{bob.pk}": typed},
        HTTP_REFERER=f"http://testserver{LIST}",
    )

    _undecided(bob)
    _nowhere_in_clear()
    shown = html.unescape(moderator_client.get(response.url).content.decode())
    assert "Nothing was decided" in shown and ERASED_HERE in shown
    assert JANE not in shown
    assert f'placeholder="or your own words" value="Same words as {LEFT_OUT}, word for word"' in (
        shown
    )


def test_the_queues_script_gets_the_words_back_without_the_address(
    moderator_client, moderator, jane, bob
):
    # Her block outlived the erase (as a keyed hash): refused on any page.
    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    erase_comments(email=JANE)

    response = moderator_client.post(
        f"{LIST}{bob.pk}/reject/",
        {f"seen-{bob.pk}": bob.revision, f"reason-{bob.pk}": f"You are {JANE} again"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409
    answer = response.json()
    assert answer["outcome"] is None and ERASED_HERE in answer["message"]
    assert answer["reason"] == f"You are {LEFT_OUT} again"
    _undecided(bob)
    _nowhere_in_clear()


def test_the_script_posts_the_cards_the_queue_showed(moderator_client, jane, bob):
    erase_comments(email=JANE)  # no block: only the page tells her comment went since

    response = moderator_client.post(
        f"{LIST}{bob.pk}/reject/",
        {
            f"seen-{bob.pk}": bob.revision,
            "on_page": f"{jane.pk} {bob.pk}",
            f"reason-{bob.pk}": f"See {JANE}",
        },
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409 and response.json()["reason"] == f"See {LEFT_OUT}"
    _undecided(bob)


def test_the_action_bars_reason_in_bulk_decides_nothing_and_keeps_the_ticks(
    moderator_client, article, make_comment, jane, bob
):
    carol = make_comment(article, name="Carol", email="carol@example.net")
    page = {"index": "0", **as_shown([jane, bob, carol])}
    erase_comments(email=JANE)

    response = moderator_client.post(
        LIST,
        {
            **page,
            "action": "reject_selected",
            "_selected_action": [bob.pk, carol.pk],
            "reason": f"Copied from {JANE}",
        },
        follow=True,
    )

    _undecided(bob, carol)
    _nowhere_in_clear()
    shown = html.unescape(response.content.decode())
    assert "Nothing was decided" in shown and JANE not in shown
    assert f'value="Copied from {LEFT_OUT}"' in shown
    ticked = set(map(int, re.findall(r'value="(\d+)" class="action-select"[^>]*checked', shown)))
    assert ticked == {bob.pk, carol.pk}


def test_reject_all_on_the_commenters_page_decides_nothing(moderator_client, jane, bob):
    page = f"{LIST}commenter/?ip={IP}"
    drawn = moderator_client.get(page).content.decode()
    form = next(f for f in re.findall(r"<form.*?</form>", drawn, re.S) if "reject_all" in f)
    fields = dict(re.findall(r'type="hidden" name="([\w-]+)" value="([^"]*)"', form))
    erase_comments(email=JANE)

    response = moderator_client.post(
        page, {**fields, "action": "reject_all", "reason": f"Same as {JANE}"}, follow=True
    )

    _undecided(bob)
    _nowhere_in_clear()
    shown = html.unescape(response.content.decode())
    assert "Nothing was decided" in shown and JANE not in shown
    assert f'value="Same as {LEFT_OUT}"' in shown


def test_a_take_downs_reason_naming_her_is_refused(moderator_client, moderator, jane, bob):
    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    approve(comment=bob, by=moderator)
    report_comment(comment=bob, reason="abuse", ip="198.51.100.7")
    erase_comments(email=JANE)

    response = moderator_client.post(
        f"{LIST}{bob.pk}/take-down/",
        {f"seen-{bob.pk}": bob.revision, "reason": f"Harassing {JANE}"},
        HTTP_REFERER=f"http://testserver{LIST}{bob.pk}/change/",
        follow=True,
    )

    assert Comment.objects.get(pk=bob.pk).status == Comment.Status.APPROVED
    assert bob.reports.open().count() == 1
    _nowhere_in_clear()
    shown = html.unescape(response.content.decode())
    assert ERASED_HERE in shown and f'value="Harassing {LEFT_OUT}"' in shown


def test_a_preset_naming_her_is_refused_and_given_back_as_words(
    moderator_client, moderator, jane, bob
):
    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    erase_comments(email=JANE)
    # Written since (by a script: the policy's page refuses it, and her erase changed those
    # written before).
    ModerationPolicy.objects.create()
    preset = RejectionReason.objects.create(label="Twins", text=f"One account each ({JANE})")

    response = moderator_client.post(
        f"{LIST}{bob.pk}/reject/",
        {f"seen-{bob.pk}": bob.revision, f"preset-{bob.pk}": preset.pk},
        HTTP_REFERER=f"http://testserver{LIST}",
    )

    _undecided(bob)
    _nowhere_in_clear()
    shown = html.unescape(moderator_client.get(response.url).content.decode())
    assert f'placeholder="or your own words" value="One account each ({LEFT_OUT})"' in shown


def test_a_preset_that_named_her_no_longer_does_after_her_erase(moderator, jane, bob):
    ModerationPolicy.objects.create()
    RejectionReason.objects.create(label="Twins", text=f"You also post as {JANE}.")
    RejectionReason.objects.create(label="Other", text="You also post as x.jane.roe@example.org.")

    erase_comments(email=JANE)

    ours = RejectionReason.objects.filter(label__in=["Twins", "Other"])
    assert sorted(ours.values_list("text", flat=True)) == [
        f"You also post as {LEFT_OUT}.",
        "You also post as x.jane.roe@example.org.",
    ]


def test_an_address_no_erase_took_is_sent_on_a_page_showing_a_placeholder(
    moderator_client, moderator, article, make_comment, bob
):
    """A comment its author deleted before the page was drawn stays as a placeholder for its
    reply: it tells nothing of an erase since, and a reason naming an address no comment holds
    (the newsroom's own) goes with the take-down."""
    from comments.privacy import delete_own_comment

    deleted = make_comment(article, status=Comment.Status.APPROVED)
    make_comment(article, parent=deleted, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    delete_own_comment(comment=deleted)
    approve(comment=bob, by=moderator)
    drawn = moderator_client.get(LIST, {"status": "approved"}).content.decode()
    fields = dict(
        re.findall(
            r'type="hidden" name="((?:seen|status|decided-at|placeholder)-\d+)" value="([^"]*)"',
            drawn,
        )
    )
    reason = "Off-topic. Appeals to appeals@newsroom.example"

    moderator_client.post(
        f"{LIST}?status=approved",
        {
            **fields,
            "index": "0",
            "action": "take_down_selected",
            "_selected_action": [bob.pk],
            "reason": reason,
        },
    )

    assert Comment.objects.get(pk=bob.pk).rejection_reason == reason


def test_another_commenters_address_or_hers_written_again_is_kept(
    moderator_client, moderator, article, make_comment, jane, bob
):
    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    page = as_shown([jane, bob])
    erase_comments(email=JANE)
    said = "Same person as bob@example.net"
    carol = make_comment(article, email="carol@example.net")
    moderator_client.post(
        f"{LIST}{carol.pk}/reject/", {**page, **as_shown([carol]), f"reason-{carol.pk}": said}
    )
    make_comment(article, email=JANE)  # she comments again with the address
    moderator_client.post(
        f"{LIST}{bob.pk}/reject/", {**as_shown([bob]), f"reason-{bob.pk}": f"Same as {JANE}"}
    )

    assert Comment.objects.get(pk=carol.pk).rejection_reason == said
    assert Comment.objects.get(pk=bob.pk).rejection_reason == f"Same as {JANE}"


def test_a_preset_naming_her_is_not_saved_on_the_policys_page(superuser_client, moderator, jane):
    from tests.test_policy_changed_meanwhile import PAGE, opened

    block_sender(kind="email", value=JANE, period="forever", by=moderator)
    erase_comments(email=JANE)
    fields = opened(superuser_client)
    new = fields["rejection_reasons-INITIAL_FORMS"]
    fields |= {
        f"rejection_reasons-{new}-label": "Twins",
        f"rejection_reasons-{new}-text": f"You also post as {JANE}.",
        f"rejection_reasons-{new}-order": "9",
    }

    response = superuser_client.post(PAGE, fields)

    assert response.status_code == 200
    assert not RejectionReason.objects.filter(label="Twins").exists()
    shown = html.unescape(response.content.decode())
    assert ERASED_HERE in shown and JANE not in shown
    assert f"You also post as {LEFT_OUT}." in shown
