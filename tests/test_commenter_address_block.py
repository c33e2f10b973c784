"""Anyone can type anyone's address: a comment sent with an address a moderator blocked is held
as spam for the moderators, but its writer's pages, buttons and mail are those of any comment
waiting for review, so a status page never tells a stranger that an address is blocked."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from comments.desk import block_sender
from comments.models import Comment, ModerationPolicy, ReplyNotice
from comments.tokens import status_token
from tests.mail_helpers import queued

BLOCKED = "victim@example.com"
OTHER = "someone@example.com"

pytestmark = pytest.mark.django_db


def _block(how, moderator):
    if how == "block":
        block_sender(kind="email", value=BLOCKED, period="7", by=moderator)
    else:
        ModerationPolicy.objects.create(blocked_emails=BLOCKED)


def _post(article, comment_form_data, email, ip, **fields):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(article, email=email, **fields),
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    comment = Comment.objects.get(email=email)
    return client, comment, messages


def _signed_links_out(text):
    # A signed link names its comment and the second it was made.
    return re.sub(r"[\w-]+:[\w-]+:[\w-]{20,}", "TOKEN", text)


def _as_its_writer_sees(client, comment, path=""):
    """The page, with what differs between any two comments taken out: their links' tokens,
    the CSRF token, the time it was sent."""
    page = client.get(comment.status_url + path).content.decode()
    page = _signed_links_out(page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    return re.sub(r"<time [^>]*>[^<]*</time>", "TIME", page)


@pytest.mark.parametrize("how", ["block", "policy"])
@pytest.mark.parametrize("boxes", [{}, {"notify": "on", "notify_reply": "on"}])
def test_a_comment_sent_with_a_blocked_address_looks_to_its_writer_like_any_waiting_one(
    article, comment_form_data, moderator, how, boxes
):
    _block(how, moderator)

    held_client, held, held_said = _post(
        article, comment_form_data, BLOCKED, "198.51.100.21", **boxes
    )
    other_client, other, other_said = _post(
        article, comment_form_data, OTHER, "198.51.100.22", **boxes
    )

    # The moderators still find it held as spam, for its address.
    assert held.status == Comment.Status.SPAM
    assert other.status == Comment.Status.PENDING
    assert [_signed_links_out(s) for s in held_said] == [_signed_links_out(s) for s in other_said]
    assert held_said[0] == "Comment sent successfully! We will review it in the next few hours."
    for path in ["", "edit/", "delete/"]:
        page = _as_its_writer_sees(held_client, held, path)
        assert page == _as_its_writer_sees(other_client, other, path)
    page = _as_its_writer_sees(held_client, held)
    assert "<strong>waiting for review</strong>" in page
    assert "Edit</a>" in page
    if boxes:
        assert "Stop mail about replies" in page
    else:
        assert "Mail me when someone replies" in page
    # The same mail goes to the address (its owner is asked first, as for any address).
    assert sorted(m["kind"] for m in queued() if m["to"] == BLOCKED) == sorted(
        m["kind"] for m in queued() if m["to"] == OTHER
    )


@pytest.mark.parametrize("how", ["block", "policy"])
def test_its_writer_edits_it_and_asks_for_reply_mail_as_for_any_waiting_comment(
    article, comment_form_data, moderator, how
):
    _block(how, moderator)
    client, held, _ = _post(article, comment_form_data, BLOCKED, "198.51.100.21")

    response = client.post(held.status_url + "edit/", {"body": "Better words."}, follow=True)
    text = response.content.decode()
    assert "Your comment is updated. A moderator will review the new text." in text
    assert "<strong>waiting for review</strong>" in text
    held.refresh_from_db()
    assert held.body == "Better words."
    assert held.status == Comment.Status.SPAM  # still held for the moderators

    page = client.post(reverse("comments:follow", args=[status_token(held)]), follow=True)
    text = page.content.decode()
    assert "Stop mail about replies" in text
    assert "We e-mail you when someone replies" in text


def test_a_blocked_word_still_says_the_filters_held_it_back(article, comment_form_data, moderator):
    # Words are the writer's own: they read the same whoever's address is typed.
    block_sender(kind="email", value=BLOCKED, period="7", by=moderator)
    ModerationPolicy.objects.create(blocked_words="casino")
    client, held, _ = _post(
        article, comment_form_data, BLOCKED, "198.51.100.21", body="Best casino offers"
    )

    page = client.get(held.status_url).content.decode()
    assert "the site’s filters held it back as spam" in page


def test_a_held_reply_hears_of_later_replies_as_any_waiting_reply_does(
    article, comment_form_data, make_comment, moderator
):
    from comments.services import approve
    from tests.mail_helpers import verify

    _block("block", moderator)
    answered = make_comment(article, status=Comment.Status.APPROVED)
    for n, email in enumerate([BLOCKED, OTHER]):
        verify(email)
        _post(
            article,
            comment_form_data,
            email,
            f"198.51.100.{30 + n}",
            parent=str(answered.pk),
            notify_reply="on",
        )
    Comment.objects.filter(email__in=[BLOCKED, OTHER]).update(owner_vouched=True)  # "It is mine"
    later = make_comment(article, parent=answered)

    approve(comment=later, by=moderator)

    notices = ReplyNotice.objects.filter(pk__in=[m["ref"] for m in queued("reply")])
    told = sorted(notices.values_list("subscription__comment__email", flat=True))
    assert told == sorted([BLOCKED, OTHER])


def test_edited_once_its_block_is_lifted_it_goes_to_the_queue(
    article, comment_form_data, make_comment, moderator, committed
):
    # The block was all that held it: the new words of a regular, found clean, wait for a
    # moderator as any edited comment's do (it stayed in spam, where no moderator looks and the
    # retention job deletes, while its writer read that a moderator would review it).
    from comments.desk import lift_block
    from comments.models import Block

    ModerationPolicy.objects.create(publish_clean_edits=True)
    _block("block", moderator)
    client, held, _ = _post(article, comment_form_data, BLOCKED, "198.51.100.21")
    make_comment(article, email=BLOCKED, status=Comment.Status.APPROVED)  # a regular's
    lift_block(block=Block.objects.get(value=BLOCKED), by=moderator)
    mails_before = len(queued("moderators"))

    edit = held.status_url + "edit/"
    response = committed(client.post, edit, {"body": "Better words."}, follow=True)

    assert "A moderator will review the new text." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    assert any(reason.startswith("edited by its author") for reason in held.held_because)
    assert len(queued("moderators")) > mails_before
