"""Asking for mail about replies after posting: a commenter who left "E-mail me when someone
replies" empty, or stopped that mail, presses "Mail me when someone replies" on the comment's
status page, or on the page the mail's unsubscribe link leaves them on. It is the box ticked
at posting, nothing more: the same words on the page, the same confirmation or question to the
address's owner within the same limits (anyone may post with any address and get a status
page), and nothing for a comment no reply mail can come for."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from comments import links
from comments.models import Comment, CommenterAddress, ReplySubscription
from comments.services import approve
from tests.mail_helpers import queued, run_mail_queue
from tests.test_commenter_mail import link_in
from tests.test_commenter_mail import thread as _thread
from tests.test_commenter_mail_consent import (
    VICTIM,
    _what_the_status_page_says,
    post,
    subjects,
    to_victim,
)
from tests.test_commenter_mail_consent import marias_browser as _marias_browser

thread = _thread  # Maria's subscribed comment and Bob's waiting reply (a fixture)
marias_browser = _marias_browser  # her browser, which wrote and confirmed with her address
ASK = "Mail me when someone replies</button>"


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0  # several comments with one address in a test


def press(browser, comment, *, twice=False):
    """The status page's "Mail me when someone replies", as its form sends it."""
    page = browser.get(comment.status_url).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" id="reply-mail".*?</form>', page, re.S)
    assert ASK in form.group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]+)">', form.group(0)))
    response = browser.post(form.group(1), fields)
    assert response.status_code == 302
    # Back to the page's words about it, at the link it was pressed on.
    assert response["Location"] == form.group(1).removesuffix("follow/") + "#reply-mail"
    if twice:  # a double click sends the same form again
        assert browser.post(form.group(1), fields).status_code == 302
    return response


def kinds() -> list[str]:
    """The mails queued for commenters (moderators are told of waiting comments besides)."""
    return [entry["kind"] for entry in queued() if entry["kind"] != "moderators"]


ADDRESS_STATES = {
    "never seen": ({}, []),
    "waiting for its confirmation": ({"verified_at": None}, ["confirm-about"]),
    "confirmed": ({"verified_at": timezone.now()}, ["confirm-comment"]),
    "stopped": ({"verified_at": timezone.now(), "mail_stopped_at": timezone.now()}, []),
}


@pytest.mark.parametrize("state", list(ADDRESS_STATES))
def test_pressing_on_a_stranger_s_page_reads_and_mails_as_the_box_ticked_at_posting(
    article, comment_form_data, state
):
    fields, _ = ADDRESS_STATES[state]
    said, asked = {}, {}
    for way in ["ticked", "pressed"]:
        CommenterAddress.objects.all().delete()
        DBTaskResult.objects.all().delete()
        if state != "never seen":
            CommenterAddress.objects.create(email=VICTIM, **fields)
        stranger = Client(REMOTE_ADDR="198.51.100.60" if way == "ticked" else "198.51.100.61")
        boxes = {"notify_reply": "on"} if way == "ticked" else {}
        theirs = post(stranger, article, comment_form_data, body=f"Guess {way}", **boxes)
        if way == "pressed":
            page = stranger.get(theirs.status_url).content.decode()
            assert kinds() == []
            assert ASK in page
            # The unsubscribe link answers for the address's wishes in the whole conversation.
            assert "/comments/unsubscribe/" not in page
            press(stranger, theirs)
        said[way], asked[way] = _what_the_status_page_says(stranger, theirs), kinds()

    assert said["pressed"] == said["ticked"]
    assert asked["pressed"] == asked["ticked"]
    # Whatever the address, the same words: they tell the stranger nothing of its owner.
    assert (
        "We e-mail you when someone replies (once the address’s owner has answered)."
        in (said["pressed"])
    )
    assert "Until they answer, nothing about this comment is sent." in said["pressed"]
    assert ASK not in said["pressed"]


def test_pressing_on_many_pages_asks_the_owner_no_more_than_posting_does(
    article, comment_form_data, marias_browser
):
    strangers = [Client(REMOTE_ADDR=f"198.51.100.{70 + n}") for n in range(3)]
    theirs = [post(browser, article, comment_form_data) for browser in strangers]
    for browser, comment in zip(strangers, theirs, strict=True):
        press(browser, comment, twice=True)
        browser.post(
            reverse("comments:unsubscribe", args=[link_token(browser, comment)]),
            {"List-Unsubscribe": "One-Click"},
        )
        press(browser, comment)
    run_mail_queue()

    assert subjects(to_victim()) == ["Is this comment yours?"]
    # And no more the next days than a ticked box: once a day.
    CommenterAddress.objects.update(question_sent_at=timezone.now() - timedelta(days=2))
    later = post(strangers[0], article, comment_form_data, body="Another day")
    press(strangers[0], later, twice=True)
    run_mail_queue()
    assert subjects(to_victim()) == ["Is this comment yours?", "Is this comment yours?"]


def link_token(browser, comment) -> str:
    page = browser.get(comment.status_url).content.decode()
    return re.search(r'action="/comments/unsubscribe/([^/"]+)/"', page).group(1)


def test_the_owner_asks_from_her_status_page_and_hears_of_the_next_reply(
    article, comment_form_data, marias_browser, moderator, make_comment
):
    mine = post(marias_browser, article, comment_form_data, body="No box ticked")
    approve(comment=mine, by=moderator)
    run_mail_queue()
    mail.outbox.clear()

    press(marias_browser, mine)
    page = _what_the_status_page_says(marias_browser, mine)
    approve(comment=make_comment(article, parent=mine, body="A reply to you"), by=moderator)
    run_mail_queue()

    assert "We e-mail you when someone replies. Stop mail about replies" in page
    assert ASK not in page
    assert kinds() == []  # her address is confirmed and the comment hers: nothing to ask
    assert subjects(to_victim()) == ["Someone replied to your comment"]


def test_the_owner_who_stopped_all_mail_is_told_so_and_nothing_is_sent(
    article, comment_form_data, marias_browser, moderator, make_comment
):
    mine = post(marias_browser, article, comment_form_data, body="No box ticked")
    approve(comment=mine, by=moderator)
    CommenterAddress.objects.update(mail_stopped_at=timezone.now())

    said = _what_the_status_page_says(marias_browser, mine)
    # Pressed on a page opened before the stop.
    marias_browser.post(follow_path(mine))
    approve(comment=make_comment(article, parent=mine), by=moderator)
    run_mail_queue()

    assert ASK not in said
    assert "press “Send me mail again”, then ask for it here or tick a box" in said
    assert "You asked us to stop all mail" in _what_the_status_page_says(marias_browser, mine)
    assert to_victim() == []


def follow_path(comment) -> str:
    return f"{comment.status_url}follow/"


def link_token_of(comment) -> str:
    from comments.links import unsubscribe_path

    return unsubscribe_path(comment.pk).rstrip("/").rsplit("/", 1)[1]


def _turned_down(article, make_comment, state):
    parent = make_comment(article, status="approved", email="maria@example.com")
    fields = {"email": "bob@example.com", "parent": parent}
    if state == "rejected":
        fields["status"] = "rejected"
    elif state == "spam":
        fields["status"] = "spam"
    elif state == "taken down":
        fields |= {"status": "rejected", "taken_down_at": timezone.now()}
    elif state == "under a comment taken down":
        # Its replies came down with it. Under one rejected after an edit a reply still goes
        # up beside those kept under its placeholder, and mail can come: another test's case.
        Comment.objects.filter(pk=parent.pk).update(status="rejected", taken_down_at=timezone.now())
    elif state == "on a story off the site":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
        fields["status"] = "approved"
    return make_comment(article, **fields)


NONE_COMES = {
    "rejected": "while your comment is not published",
    "spam": "while your comment is not published",
    "taken down": "while your comment is not published",
    "under a comment taken down": "while the comment it answers is off the site",
    "on a story off the site": "while its article is off the site",
}


@pytest.mark.parametrize("state", list(NONE_COMES))
def test_a_comment_no_reply_mail_can_come_for_is_not_offered_it(
    reader, article, make_comment, state
):
    mine = _turned_down(article, make_comment, state)

    page = reader.get(mine.status_url).content.decode()
    # A page opened before it was turned down, or a forged press; the way back on the page an
    # old mail's unsubscribe link opens.
    forced = reader.post(follow_path(mine), follow=True).content.decode()
    from_mail = Client().post(
        reverse("comments:unsubscribe", args=[link_token_of(mine)]), {"follow": "1"}
    )

    assert ASK not in page
    assert f"No mail about replies comes {NONE_COMES[state]}." in forced
    assert f"No mail about replies comes {NONE_COMES[state]}." in from_mail.content.decode()
    assert not ReplySubscription.objects.exists()
    assert kinds() == []


def test_the_unsubscribe_page_offers_the_way_back_and_nothing_else(
    article, thread, moderator, make_comment
):
    parent, reply = thread
    approve(comment=reply, by=moderator)
    run_mail_queue()
    [message] = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    link = link_in(message.body, "/comments/unsubscribe/")

    stopped = Client().post(link).content.decode()  # her Unsubscribe button
    opened_again = Client().get(link).content.decode()
    again = Client().post(link, {"follow": "1"})
    approve(comment=make_comment(article, parent=parent, email="carol@example.com"), by=moderator)
    mail.outbox.clear()
    run_mail_queue()

    for page in (stopped, opened_again):
        assert "No more mail about replies" in page
        assert ASK in page
        # Whoever holds only the mail's link is not led to the comment's own page.
        assert "/comments/status/" not in page
    assert again.status_code == 200
    assert "We e-mail you when someone replies." in again.content.decode()
    assert "/comments/status/" not in again.content.decode()
    assert [m.subject for m in mail.outbox if m.to == ["maria@example.com"]] == [
        "[Newsportal] Someone replied to your comment"
    ]
    # A mail client's one-click POST on the link only ever stops.
    Client().post(link, {"List-Unsubscribe": "One-Click"})
    assert not ReplySubscription.objects.filter(comment=parent).exists()


def test_stopped_from_the_status_page_the_way_back_returns_to_it(reader, thread):
    parent, _ = thread
    page = reader.get(parent.status_url).content.decode()
    action = re.search(r'<form method="post" action="(/comments/unsubscribe/[^"]+)"', page).group(1)
    status = re.search(r'<input type="hidden" name="status" value="([^"]+)">', page).group(1)

    stopped = reader.post(action, {"status": status}).content.decode()
    back = reader.post(action, {"status": status, "follow": "1"})

    assert ASK in stopped
    assert f'<input type="hidden" name="status" value="{status}">' in stopped
    assert f'<a href="/comments/status/{status}/">Back to your comment</a>' in stopped
    assert back.status_code == 302
    assert back["Location"] == f"/comments/status/{status}/#reply-mail"
    said = _what_the_status_page_says(reader, parent)
    assert "We e-mail you when someone replies. Stop mail about replies" in said


def test_the_button_is_a_form_of_the_page_another_site_cannot_press(article, make_comment):
    mine = make_comment(article, status="approved", email="bob@example.com")
    browser = Client(enforce_csrf_checks=True)

    forged = Client(enforce_csrf_checks=True).post(follow_path(mine))
    assert forged.status_code == 403
    assert not ReplySubscription.objects.exists()
    press(browser, mine)
    assert ReplySubscription.objects.filter(comment=mine).exists()


def test_a_stranger_s_stop_on_their_own_page_leaves_the_owner_s_mail_about_replies(
    article, make_comment
):
    # Maria follows the replies to her comment. A stranger answers it with her address, the
    # box ticked, and presses "Stop mail about replies" on their own status page: it ended
    # her wish too (every wish of the address in the conversation).
    maria = make_comment(article, status="approved", email="maria@example.com")
    ReplySubscription.objects.create(comment=maria)
    typed = make_comment(article, parent=maria, email="maria@example.com", owner_vouched=False)
    ReplySubscription.objects.create(comment=typed)
    stranger = Client()

    page = stranger.get(typed.status_url).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" id="reply-mail".*?</form>', page, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]+)">', form.group(0)))
    assert stranger.post(form.group(1), fields).status_code == 200

    assert list(ReplySubscription.objects.values_list("comment_id", flat=True)) == [maria.pk]
    # Opened again, the stranger's link says nothing of her wish: it speaks for their comment.
    again = stranger.get(form.group(1)).content.decode()
    assert "You get no mail about replies, for this comment." in again
    assert "in this conversation" not in again
    # Her own stop, from her mail's link, still ends the conversation's mail for the address.
    ReplySubscription.objects.create(comment=typed)
    Client().post(links.unsubscribe_path(maria.pk), {})
    assert not ReplySubscription.objects.exists()


FOLLOWED_STATES = {
    "a stranger's": ({"owner_vouched": False}, {"verified_at": timezone.now()}),
    "the owner's, unconfirmed": ({}, {}),
    "the owner's, confirmed": ({}, {"verified_at": timezone.now()}),
    "the owner's, stopped": (
        {},
        {"verified_at": timezone.now(), "mail_stopped_at": timezone.now()},
    ),
    "a reply, confirmed": ({"parent": True}, {"verified_at": timezone.now()}),
}


@pytest.mark.parametrize("state", list(FOLLOWED_STATES))
def test_pressed_from_the_mail_s_link_the_answer_is_what_the_status_page_says(
    article, make_comment, state
):
    fields, address = FOLLOWED_STATES[state]
    if fields.pop("parent", False):
        fields["parent"] = make_comment(article, status="approved", email="olga@example.com")
    mine = make_comment(article, status="approved", email=VICTIM, **fields)
    CommenterAddress.objects.create(email=VICTIM, **address)

    answer = Client().post(links.unsubscribe_path(mine.pk), {"follow": "1"})
    said = re.search(r"<h1 [^>]*>Mail about replies</h1>\s*<p>([^<]+)</p>", answer.text).group(1)

    assert said in _what_the_status_page_says(Client(), mine)
    assert said.startswith("You asked us to stop" if "stopped" in state else "We e-mail you")
