"""The mail that asks an address's owner to answer (the confirmation mail, "Is this comment
yours?") can be lost, land in a spam folder, or be opened after its link ran out: the status
page asks for it again ("Mail it again"), within the once-a-day limit, in the same words
whatever the address, and never to an owner who stopped all mail."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import links
from comments.models import Comment, CommenterAddress, ModerationPolicy, ReplySubscription
from tests.mail_helpers import queued, verify
from tests.test_commenter_mail_consent import VICTIM, post

BUTTON = 'type="submit">Mail it again</button>'


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def _a_day_later():
    earlier = timezone.now() - timedelta(hours=25)
    CommenterAddress.objects.filter(email=VICTIM).update(
        confirmation_sent_at=earlier, question_sent_at=earlier
    )


def _press(browser, comment) -> str:
    status_url = comment.status_url  # signed with the second it was made: read once
    response = browser.post(f"{status_url}ask-again/")
    assert response.status_code == 302
    assert response["Location"] == status_url + "#mail-asked"
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def _kinds() -> list[str]:
    # The queue names no reader's address: the only reader here is VICTIM.
    return [m["kind"] for m in queued() if m["kind"] != "moderators"]


@pytest.mark.parametrize("confirmed", [False, True])
def test_the_mail_that_asks_the_owner_is_sent_again_from_the_status_page_once_a_day(
    article, comment_form_data, confirmed
):
    if confirmed:  # the question "Is this comment yours?", not the confirmation mail
        verify(VICTIM)
    browser = Client()
    comment = post(browser, article, comment_form_data, notify="on")
    kind = "confirm-comment" if confirmed else "confirm-about"
    assert _kinds() == [kind]

    page = browser.get(comment.status_url).content.decode()
    too_soon = _press(browser, comment)
    _a_day_later()
    asked = _press(browser, comment)

    assert BUTTON in page
    # The page signs its own link to the comment, with the second it is drawn.
    assert re.search(r'action="/comments/status/[^"/]+/ask-again/" id="mail-asked"', page)
    assert "No mail came, or its link no longer works?" in page
    assert _kinds() == [kind, kind]
    assert (
        too_soon
        == asked
        == (
            "Unless we asked in the last 24 hours, a new mail is on its way to the address. Its "
            "link works for 14 days; look in the spam folder too."
        )
    )


def test_a_writer_who_owns_the_address_gets_the_confirmation_mail_again(
    article, comment_form_data, make_comment
):
    """Signed in, or from a browser that wrote with the address: the mail waits only for the
    address to be confirmed."""
    browser = Client()
    comment = post(browser, article, comment_form_data, notify_reply="on")
    comment.__class__.objects.filter(pk=comment.pk).update(owner_vouched=True)
    _a_day_later()

    page = browser.get(comment.status_url).content.decode()
    _press(browser, comment)

    assert "No confirmation mail came, or its link no longer works?" in page
    assert _kinds() == ["confirm-about", "confirm-about"]


def test_nothing_goes_to_an_owner_who_stopped_all_mail_and_the_answer_is_the_same(
    article, comment_form_data
):
    browser = Client()
    comment = post(browser, article, comment_form_data, notify="on")
    address = CommenterAddress.objects.get(email=VICTIM)
    Client().post(links.stop_mail_url(address.pk))
    _a_day_later()

    said = _press(browser, comment)

    assert said.startswith("Unless we asked in the last 24 hours, a new mail is on its way")
    assert _kinds() == ["confirm-about"]


def test_a_comment_without_mail_waiting_offers_nothing_and_asks_nothing(article, comment_form_data):
    browser = Client()
    comment = post(browser, article, comment_form_data)
    _a_day_later()

    page = browser.get(comment.status_url).content.decode()
    _press(browser, comment)

    assert BUTTON not in page
    assert _kinds() == []
    assert not ReplySubscription.objects.filter(comment=comment).exists()


def test_the_button_needs_the_pages_csrf_token(article, comment_form_data):
    browser = Client(enforce_csrf_checks=True)
    comment = post(Client(), article, comment_form_data, notify="on")
    _a_day_later()

    forged = browser.post(f"{comment.status_url}ask-again/")

    assert forged.status_code == 403
    assert _kinds() == ["confirm-about"]


def test_the_button_has_its_own_address_which_takes_only_a_post(article, comment_form_data):
    browser = Client()
    comment = post(browser, article, comment_form_data, notify="on")
    _a_day_later()

    opened = browser.get(f"{comment.status_url}ask-again/")

    assert opened.status_code == 405
    assert opened["Allow"] == "POST"
    assert _kinds() == ["confirm-about"]


def test_an_out_of_date_confirmation_link_says_where_to_get_a_new_one(db):
    page = Client().get(reverse("comments:confirm", args=["nonsense"])).content.decode()

    assert "press “Mail it again” on your comment’s status page" in page


def test_no_mail_is_asked_for_a_comment_the_filters_turned_down(article, comment_form_data):
    """Nothing about it will be mailed: the page offers no button, and a press sent anyway
    (a page drawn before, a script) asks nothing."""
    ModerationPolicy.objects.create(blocked_words="casino")
    browser = Client()
    comment = post(browser, article, comment_form_data, body="Best casino", notify_reply="on")
    Comment.objects.filter(pk=comment.pk).update(owner_vouched=True)
    ReplySubscription.objects.get_or_create(comment=comment)
    CommenterAddress.objects.claim(VICTIM)  # asked for mail under another comment, say
    _a_day_later()

    page = browser.get(comment.status_url).content.decode()
    _press(browser, comment)

    assert BUTTON not in page
    assert _kinds() == []


def test_mail_it_again_from_a_page_drawn_before_the_button_moved_signs_up_for_no_replies(
    article, comment_form_data
):
    """Pages drawn by the release before posted "Mail it again" (ask_again=1) to the follow
    address: such a press, from a tab left open over a deploy, asks again as the button says
    and never signs the comment up for mail about replies the writer did not ask for."""
    browser = Client()
    comment = post(browser, article, comment_form_data, notify="on")
    _a_day_later()

    status_url = comment.status_url
    stale = browser.post(f"{status_url}follow/", {"ask_again": "1"})

    assert stale.status_code == 302
    assert stale["Location"] == status_url + "#mail-asked"
    said = [str(m) for m in get_messages(stale.wsgi_request)]
    assert said[-1].startswith("Unless we asked in the last 24 hours, a new mail is on its way")
    assert not ReplySubscription.objects.filter(comment=comment).exists()
    assert _kinds() == ["confirm-about", "confirm-about"]
