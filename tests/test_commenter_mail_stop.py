"""Stopping mail: a stop holds against boxes anyone ticks afterwards, its owner can start mail
again and get only what they ask for from then on, spam asks for no mail, and whoever gets a
confirmation they never asked for can stop it all."""

from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment, CommenterAddress, ModerationPolicy, ReplySubscription
from comments.services import approve
from tests.mail_helpers import queued, run_mail_queue, verify
from tests.test_commenter_mail import link_in
from tests.test_commenter_mail import thread as _thread

thread = _thread  # Maria's subscribed comment and Bob's waiting reply (a fixture)


def to_maria():
    return [m for m in mail.outbox if m.to == ["maria@example.com"]]


def test_a_box_ticked_by_anyone_after_a_stop_sends_nothing_not_even_a_confirmation(
    article, thread, moderator, submit, make_comment
):
    """The stop page promised no more mail, and anyone may type the address."""
    _, reply = thread
    CommenterAddress.objects.update(mail_stopped_at=timezone.now())

    theirs = submit(article, notify=True, notify_reply=True, body="Mail maria about this")
    approve(comment=reply, by=moderator)
    approve(comment=theirs, by=moderator)
    approve(comment=make_comment(article, parent=theirs, email="eve@example.com"), by=moderator)
    run_mail_queue()

    assert to_maria() == []
    address = CommenterAddress.objects.get(email="maria@example.com")
    assert address.mail_stopped_at is not None and address.verified_at is not None


def test_the_owner_sends_mail_again_from_the_stop_link_and_gets_only_new_wishes(
    article, moderator, submit, make_comment
):
    verify("maria@example.com")
    older = make_comment(article, email="maria@example.com", notify_on_decision=True)
    ReplySubscription.objects.create(comment=older)
    approve(comment=older, by=moderator)
    run_mail_queue()
    assert [m.subject.split("] ")[1] for m in to_maria()] == ["Your comment has been reviewed"]
    stop_link = link_in(to_maria()[0].body, "/comments/stop-mail/")
    Client().post(stop_link, {"List-Unsubscribe": "One-Click"})

    # The same link, opened again by its owner, offers to send mail again; only its button does.
    page = Client().get(stop_link).content.decode()
    assert "Send me mail again</button>" in page
    # A mail client's one-click POST on it again stops, never resumes.
    assert Client().post(stop_link, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert CommenterAddress.objects.get().mail_stopped_at is not None
    response = Client(enforce_csrf_checks=True).post(stop_link, {"resume": "1"})
    assert "Mail about comments again" in response.content.decode()
    # From the browser that wrote the older comment (its cookie names it).
    mine = submit(article, notify=True, body="Mail me about this one", written_before=[older.pk])
    approve(comment=mine, by=moderator)
    approve(comment=make_comment(article, parent=older, email="bob@example.com"), by=moderator)
    run_mail_queue()

    # No new confirmation (the address stayed confirmed); the older comment's reply wish went
    # with the stop.
    assert [m.subject.split("] ")[1] for m in to_maria()] == [
        "Your comment has been reviewed",
        "Your comment has been reviewed",
    ]


def test_a_comment_sent_to_spam_by_the_block_list_asks_for_no_mail(article, submit):
    ModerationPolicy.objects.create(blocked_words="casino")

    comment = submit(article, notify=True, notify_reply=True, body="Best casino in town")

    assert comment.status == Comment.Status.SPAM
    assert queued() == []
    assert not ReplySubscription.objects.exists()


def test_a_comment_a_moderator_says_is_not_spam_asks_for_its_decision_mail_then(
    article, submit, moderator
):
    from comments.services import return_to_queue

    ModerationPolicy.objects.create(blocked_words="scunthorpe")
    verify("maria@example.com")
    comment = submit(article, notify=True, body="I live near Scunthorpe")
    assert comment.status == Comment.Status.SPAM and queued() == []

    return_to_queue([comment], by=moderator)

    # Its author is asked whether it is theirs (their address is confirmed, this comment is
    # not vouched for), as at posting: mail is not silently lost, nor sent to a stranger.
    assert [m["kind"] for m in queued()] == ["confirm-comment"]


def test_whoever_gets_a_confirmation_they_did_not_ask_for_can_stop_every_mail(
    article, submit, settings
):
    submit(article, email="victim@example.org", notify=True, body="Typed by a stranger")
    run_mail_queue()
    [message] = [m for m in mail.outbox if m.to == ["victim@example.org"]]
    stop = link_in(message.body, "/comments/stop-mail/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert "we will not write to this address again" not in message.body  # it was untrue
    assert "at most once every 24 hours" in message.body

    Client().post(stop.removeprefix(settings.SITE_URL))  # the mail client's one click
    CommenterAddress.objects.update(confirmation_sent_at=timezone.now() - timezone.timedelta(2))
    submit(article, email="victim@example.org", notify=True, body="And again the next day")
    mail.outbox.clear()
    run_mail_queue()

    assert [m for m in mail.outbox if m.to == ["victim@example.org"]] == []


def test_a_stop_link_whose_address_was_forgotten_says_it_stops_nothing(
    article, thread, moderator, settings
):
    _, reply = thread
    approve(comment=reply, by=moderator)
    run_mail_queue()
    stop = link_in(to_maria()[0].body, "/comments/stop-mail/").removeprefix(settings.SITE_URL)
    CommenterAddress.objects.filter(email="maria@example.com").delete()  # her last comment went

    page = Client().post(stop).content.decode()

    assert "This link no longer works" in page
    assert "We will send no more mail" not in page


def test_a_mailed_link_opened_names_in_its_title_what_its_button_does_not_that_it_is_done(
    article, make_comment, settings
):
    """The title is what a tab shows and a screen reader says first: "No more mail from us"
    there, before the button was pressed, told readers they were done while nothing was."""
    import re

    from comments import links

    verify("maria@example.com")
    comment = make_comment(article, email="maria@example.com")
    ReplySubscription.objects.create(comment=comment)
    address = CommenterAddress.objects.get(email="maria@example.com")
    pages = {
        "Stop all mail about comments to this address?": links.stop_mail_url(address.pk),
        "Stop the mail about replies to your comment?": links.unsubscribe_url(comment.pk),
    }

    for asked, url in pages.items():
        page = Client().get(url.removeprefix(settings.SITE_URL)).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
        assert title.startswith(asked)
    assert ReplySubscription.objects.exists() and address.mail_stopped_at is None


def test_an_unsubscribe_link_opened_again_says_it_is_done_instead_of_asking_again(
    article, make_comment, settings
):
    from comments import links

    comment = make_comment(article, email="maria@example.com")
    ReplySubscription.objects.create(comment=comment)
    unsubscribe = links.unsubscribe_url(comment.pk).removeprefix(settings.SITE_URL)
    Client().post(unsubscribe)

    page = Client().get(unsubscribe).content.decode()

    assert "You get no mail about replies to this comment." in page
    assert "Unsubscribe</button>" not in page
    assert Client().post(unsubscribe).status_code == 200  # a mail client's one click, again


def test_a_one_hour_resend_interval_is_said_in_the_singular(article, submit, settings):
    settings.COMMENTS_CONFIRM_RESEND_HOURS = 1
    submit(article, email="new@example.org", notify=True)
    run_mail_queue()

    [message] = [m for m in mail.outbox if m.to == ["new@example.org"]]
    assert "at most once every 1 hour." in message.body
    assert "at most once every 1 hour." in message.alternatives[0][0]
