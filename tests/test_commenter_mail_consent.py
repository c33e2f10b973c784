"""Anyone may type an address in the comment form. Mail about a comment goes to a confirmed
address only when the comment is its owner's: written from a browser (or account) that wrote
with the address before, or one the owner said is theirs."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommenterAddress
from comments.services import approve
from comments.tokens import status_token
from tests.mail_helpers import run_mail_queue, verify

VICTIM = "maria@example.com"


def to_victim() -> list:
    return [m for m in mail.outbox if m.to == [VICTIM]]


def subjects(messages) -> list[str]:
    return [m.subject.split("] ")[1] for m in messages]


@pytest.fixture(autouse=True)
def _no_flood_interval(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0  # several comments with one address in a test


def post(browser, article, comment_form_data, **fields) -> Comment:
    fields.setdefault("body", f"Thoughts number {Comment.objects.count() + 1}.")
    data = comment_form_data(article, email=VICTIM, **fields)
    response = browser.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 302
    return Comment.objects.latest("pk")


def link_in(message, path: str) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\S+/", message.body).group(0)


@pytest.fixture
def marias_browser(article, comment_form_data, moderator):
    """Maria's browser, which wrote an approved comment with her address and confirmed it
    from the mail that asked."""
    browser = Client()
    first = post(browser, article, comment_form_data, body="My first thoughts.", notify="on")
    run_mail_queue()
    Client().post(link_in(to_victim()[0], "/comments/confirm/"))
    approve(comment=first, by=moderator)
    run_mail_queue()
    assert subjects(to_victim())[-1] == "Your comment has been reviewed"
    mail.outbox.clear()
    return browser


def test_a_stranger_typing_a_confirmed_address_gets_no_mail_sent_to_it(
    article, comment_form_data, moderator, make_comment, marias_browser
):
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    theirs = post(
        stranger,
        article,
        comment_form_data,
        body="Visit http://phish.example for prizes",
        notify="on",
        notify_reply="on",
    )
    approve(comment=theirs, by=moderator)
    approve(comment=make_comment(article, parent=theirs, body="A reply"), by=moderator)
    run_mail_queue()

    # Only a question, in our words: nothing the stranger wrote reaches the address.
    [question] = to_victim()
    assert subjects([question]) == ["Is this comment yours?"]
    assert "phish" not in question.body and "phish" not in question.alternatives[0].content
    assert article.title in question.body


def test_the_owner_says_the_comment_is_theirs_and_then_gets_what_they_asked_for(
    article, comment_form_data, moderator, make_comment
):
    verify(VICTIM)  # confirmed long ago, from another browser
    new_browser = Client()
    mine = post(new_browser, article, comment_form_data, notify="on", notify_reply="on")
    approve(comment=mine, by=moderator)
    run_mail_queue()
    [question] = to_victim()
    link = link_in(question, "/comments/confirm-comment/")

    page = Client().get(link)  # a mail scanner opening the link vouches for nothing
    assert "It is mine</button>" in page.content.decode()
    # Which comment it asks about, in our words (not what was written).
    assert f"Someone commented on “{article.title}” on " in page.content.decode()
    run_mail_queue()
    assert len(to_victim()) == 1
    answer = Client(enforce_csrf_checks=True).post(link)
    run_mail_queue()

    assert answer.status_code == 200
    approve(comment=make_comment(article, parent=mine, body="Welcome back"), by=moderator)
    run_mail_queue()
    assert subjects(to_victim()) == [
        "Is this comment yours?",
        "Your comment has been reviewed",
        "Someone replied to your comment",
    ]
    # Used once: the link then says it no longer works.
    assert Client().post(link).status_code == 404


def test_the_browser_that_wrote_with_the_address_before_needs_no_question(
    article, comment_form_data, moderator, marias_browser
):
    again = post(marias_browser, article, comment_form_data, body="More thoughts", notify="on")
    approve(comment=again, by=moderator)
    run_mail_queue()

    assert subjects(to_victim()) == ["Your comment has been reviewed"]


def test_strangers_cannot_have_the_question_mailed_more_than_once_a_day(
    article, comment_form_data, marias_browser
):
    for n in range(3):
        post(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), article, comment_form_data, notify="on")
    run_mail_queue()

    assert subjects(to_victim()) == ["Is this comment yours?"]


def test_a_comment_from_a_browser_that_only_ever_typed_it_proves_nothing(
    article, comment_form_data, moderator, marias_browser
):
    stranger = Client(REMOTE_ADDR="198.51.100.9")
    first = post(stranger, article, comment_form_data, body="One", notify="on")
    second = post(stranger, article, comment_form_data, body="Two", notify="on")
    approve(comment=first, by=moderator)
    approve(comment=second, by=moderator)
    run_mail_queue()

    assert subjects(to_victim()) == ["Is this comment yours?"]


def test_an_answer_asks_about_the_next_comment_the_daily_limit_held_back_and_vouches_no_other(
    article, comment_form_data, moderator
):
    verify(VICTIM)
    first = post(Client(), article, comment_form_data, notify="on")
    run_mail_queue()
    [question] = to_victim()
    # Within the day, from yet another new browser (a stranger's, perhaps): no question yet.
    second = post(Client(), article, comment_form_data, notify="on")
    approve(comment=first, by=moderator)
    approve(comment=second, by=moderator)
    run_mail_queue()
    assert subjects(to_victim()) == ["Is this comment yours?"]

    Client().post(link_in(question, "/comments/confirm-comment/"))
    run_mail_queue()

    # The first one's review, and a question about the second: not its review, unasked.
    assert subjects(to_victim()) == [
        "Is this comment yours?",
        "Your comment has been reviewed",
        "Is this comment yours?",
    ]
    assert not Comment.objects.get(pk=second.pk).owner_vouched
    Client().post(link_in(to_victim()[-1], "/comments/confirm-comment/"))
    run_mail_queue()
    assert subjects(to_victim())[-1] == "Your comment has been reviewed"


def test_the_question_s_link_is_not_written_down_in_logs():
    from newsportal.redaction import redact

    line = '"GET /comments/confirm-comment/MTI:1tQ:abc/ HTTP/1.1" 200'
    assert redact(line) == '"GET /comments/confirm-comment/[link redacted]/ HTTP/1.1" 200'


def test_a_stranger_s_comment_without_boxes_proves_nothing_for_the_next_one(
    article, comment_form_data, moderator, marias_browser
):
    stranger = Client(REMOTE_ADDR="198.51.100.11")
    post(stranger, article, comment_form_data, body="Harmless words, no mail asked for")
    theirs = post(stranger, article, comment_form_data, body="Now mail maria", notify="on")
    approve(comment=theirs, by=moderator)
    run_mail_queue()

    assert subjects(to_victim()) == ["Is this comment yours?"]


def test_the_owner_on_a_new_device_is_asked_even_the_day_they_confirmed_their_address(
    article, comment_form_data, moderator, marias_browser
):
    phone = Client(REMOTE_ADDR="192.0.2.44")
    mine = post(phone, article, comment_form_data, body="From my phone", notify="on")
    page = phone.get(mine.status_url).content.decode()
    run_mail_queue()

    assert "waits until the address’s owner says the comment is theirs" in page
    assert subjects(to_victim()) == ["Is this comment yours?"]


def _delete(browser, comment) -> None:
    response = browser.post(reverse("comments:delete", args=[status_token(comment)]))
    assert response.status_code == 302


def test_a_stranger_who_deletes_and_posts_again_mails_no_second_confirmation(
    article, comment_form_data
):
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        comment = post(stranger, article, comment_form_data, body=f"Try {n}", notify="on")
        run_mail_queue()
        _delete(stranger, comment)

    assert subjects(to_victim()) == ["Please confirm your e-mail address"]


def test_the_owners_stop_outlives_a_stranger_deleting_every_comment_with_the_address(
    article, comment_form_data, settings
):
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    first = post(stranger, article, comment_form_data, notify="on")
    run_mail_queue()
    [confirmation] = to_victim()
    Client().post(link_in(confirmation, "/comments/stop-mail/"))  # the owner's one click
    _delete(stranger, first)
    # A day later, the confirmation's own limit long over.
    CommenterAddress.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=2))
    call_command("prune_comments", verbosity=0)
    _delete(stranger, post(stranger, article, comment_form_data, notify="on", notify_reply="on"))
    post(stranger, article, comment_form_data, notify="on")
    run_mail_queue()

    assert to_victim() == [confirmation]
    assert CommenterAddress.objects.get(email=VICTIM).mail_stopped_at is not None


def test_an_address_left_with_no_comment_is_forgotten_once_nothing_needs_it(
    article, comment_form_data
):
    writer = Client()
    comment = post(writer, article, comment_form_data, notify="on")
    run_mail_queue()  # the confirmation mail goes (one deleted before it went spends nothing)
    _delete(writer, comment)
    assert CommenterAddress.objects.filter(email=VICTIM).exists()  # mailed today: kept a day

    CommenterAddress.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=2))
    call_command("prune_comments", verbosity=0)

    assert not CommenterAddress.objects.filter(email=VICTIM).exists()


def _what_the_status_page_says(browser, comment) -> str:
    # Its words about the comment's mail, links and times aside (they differ by comment).
    page = browser.get(comment.status_url).content.decode()
    controls = page[page.index('<div class="comment-controls') : page.index("<h2 id=")]
    return " ".join(re.sub(r"<[^>]+>", " ", controls).split())


def test_a_stranger_s_status_page_says_the_same_whatever_the_address_they_typed(
    article, comment_form_data
):
    # Anyone may type an address: the page must not tell them whether it is a confirmed
    # commenter's, only what happens next.
    said = {}
    for n, state in enumerate(["never seen", "waiting for confirmation", "confirmed"]):
        if state == "confirmed":  # its owner, in her own browser, confirms from the mail
            run_mail_queue()
            Client().post(link_in(to_victim()[0], "/comments/confirm/"))
            assert CommenterAddress.objects.get(email=VICTIM).verified_at is not None
        stranger = Client(REMOTE_ADDR=f"198.51.100.{30 + n}")
        theirs = post(
            stranger, article, comment_form_data, body=f"Guess {n}", notify="on", notify_reply="on"
        )
        said[state] = _what_the_status_page_says(stranger, theirs)

    assert said["never seen"] == said["waiting for confirmation"] == said["confirmed"]
    assert "we first mail the address to ask its owner" in said["confirmed"]
    assert "Until they answer, nothing about this comment is sent." in said["confirmed"]
    assert "(once the address’s owner has answered)" in said["confirmed"]


def test_the_owner_s_status_page_says_mail_waits_for_her_answer_until_she_confirms(
    article, comment_form_data
):
    browser = Client()
    first = post(browser, article, comment_form_data, notify="on", notify_reply="on")
    before = _what_the_status_page_says(browser, first)
    run_mail_queue()
    Client().post(link_in(to_victim()[0], "/comments/confirm/"))
    after = _what_the_status_page_says(browser, first)

    assert "we first mail the address to ask its owner (at most once a day; look in" in before
    assert "We e-mail you when someone replies (once the address’s owner has answered)." in before
    assert "waits until" not in after
    assert "We e-mail you when someone replies. Stop mail about replies" in after


def test_the_status_page_says_the_review_mail_asked_for_comes_until_it_came(
    article, comment_form_data, moderator
):
    """Only "when someone replies" was said: a reader who ticked "E-mail me when my comment
    has been reviewed" read nothing of it and could not tell whether it would come."""
    browser = Client()
    first = post(browser, article, comment_form_data, notify="on")
    before = _what_the_status_page_says(browser, first)
    run_mail_queue()
    Client().post(link_in(to_victim()[0], "/comments/confirm/"))
    confirmed = _what_the_status_page_says(browser, first)
    approve(comment=first, by=moderator)
    decided = _what_the_status_page_says(browser, first)

    assert "We e-mail you when it has been reviewed (once the address’s owner has answered)." in (
        before
    )
    assert "We e-mail you when it has been reviewed." in confirmed
    assert "when it has been reviewed" not in decided
    # That box was left empty: no mail about replies is promised, only offered.
    assert "We e-mail you when someone replies" not in before + confirmed
    assert "This comment asks for no mail when someone replies. Mail me when" in before


def test_a_stranger_s_status_page_does_not_tell_that_the_owner_stopped_all_mail(
    article, comment_form_data
):
    """A ticked box at a stopped address used to leave the page silent, where any other address
    gets "we first mail the address to ask its owner": the difference told a stranger that the
    address is a commenter's who stopped our mail."""
    first = Client(REMOTE_ADDR="198.51.100.41")
    theirs = post(first, article, comment_form_data, notify="on", notify_reply="on")
    never_seen = _what_the_status_page_says(first, theirs)
    CommenterAddress.objects.filter(email=VICTIM).update(mail_stopped_at=timezone.now())

    stranger = Client(REMOTE_ADDR="198.51.100.42")
    after = post(stranger, article, comment_form_data, body="Again", notify="on", notify_reply="on")

    assert _what_the_status_page_says(stranger, after) == never_seen
    run_mail_queue()
    assert to_victim() == []  # the stop holds: not even the confirmation asked for before it


def test_the_owner_s_status_page_says_she_stopped_all_mail(
    article, comment_form_data, marias_browser
):
    CommenterAddress.objects.filter(email=VICTIM).update(mail_stopped_at=timezone.now())

    mine = post(marias_browser, article, comment_form_data, notify="on", notify_reply="on")

    said = _what_the_status_page_says(marias_browser, mine)
    assert "You asked us to stop all mail to this address" in said
    assert "We e-mail you" not in said and "waits until" not in said


def test_mail_asked_for_while_mail_was_stopped_does_not_come_once_it_is_sent_again(
    article, comment_form_data, marias_browser, moderator
):
    from comments.commenter_services import resume_mail

    address = CommenterAddress.objects.get(email=VICTIM)
    CommenterAddress.objects.filter(pk=address.pk).update(mail_stopped_at=timezone.now())
    mine = post(marias_browser, article, comment_form_data, notify="on", notify_reply="on")
    stranger = post(Client(REMOTE_ADDR="198.51.100.43"), article, comment_form_data, notify="on")

    resume_mail(address_id=address.pk)
    approve(comment=mine, by=moderator)
    approve(comment=stranger, by=moderator)
    reply = Comment.objects.create(
        article=article, parent=mine, name="Bob", email="bob@example.com", body="Hello"
    )
    approve(comment=reply, by=moderator)
    run_mail_queue()

    assert to_victim() == []  # she ticks a box again for mail from now on
