"""Mail a commenter asked for: the address is confirmed once by a signed link; replies are
mailed to a confirmed subscriber once each, with a one-click unsubscribe (RFC 8058) that is
honoured at once, and a link that stops all mail to the address."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommenterAddress, ReplySubscription
from comments.services import approve, submit_comment
from comments.tokens import status_token
from tests.mail_helpers import make_due, queued, run_mail_queue, verify


def post(reader, article, data):
    return reader.post(reverse("comments:post", args=[article.pk]), data)


def mailed_to(address: str) -> list[mail.EmailMessage]:
    """What the worker sends to this address once everything queued is due (a mail put off
    for later would still go)."""
    make_due()
    run_mail_queue()
    return [m for m in mail.outbox if address in (to.lower() for to in m.to)]


def link_in(body: str, path: str) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\S+/", body).group(0)


@pytest.fixture
def thread(article, make_comment):
    """Maria's published comment, subscribed to replies at her confirmed address, and a
    waiting reply from Bob."""
    parent = make_comment(
        article, status=Comment.Status.APPROVED, email="maria@example.com", name="Maria"
    )
    ReplySubscription.objects.create(comment=parent)
    verify("maria@example.com")
    reply = make_comment(article, parent=parent, email="bob@example.com", name="Bob", body="Hi!")
    return parent, reply


def test_the_form_offers_both_mail_boxes(reader, article):
    page = reader.get(article.get_absolute_url()).content.decode()

    assert "E-mail me when my comment has been reviewed" in page
    assert "E-mail me when someone replies" in page


def test_ticking_a_mail_box_sends_one_confirmation_mail_per_address(
    reader, article, comment_form_data, settings
):
    response = post(reader, article, comment_form_data(article, notify_reply="on"))
    submit_comment(
        article=article,
        name="Maria",
        email="Maria@example.com",
        body="A second comment",
        ip="203.0.113.9",
        notify=True,
    )

    assert response.status_code == 302
    assert len(queued("confirm-about")) == 1
    assert ReplySubscription.objects.filter(comment__email="maria@example.com").count() == 1
    run_mail_queue()
    [message] = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    assert message.subject == "[Newsportal] Please confirm your e-mail address"
    url = link_in(message.body, "/comments/confirm/")
    assert url.startswith(settings.SITE_URL)

    path = url.removeprefix(settings.SITE_URL)
    asked = Client().get(path)  # what a mail scanner following the link does
    assert asked.status_code == 200 and "Confirm my address" in asked.content.decode()
    assert CommenterAddress.objects.get(email="maria@example.com").verified_at is None
    page = Client().post(path)

    assert page.status_code == 200
    assert "Your e-mail address is confirmed" in page.content.decode()
    assert CommenterAddress.objects.get(email="maria@example.com").verified_at is not None


def test_a_decision_made_before_the_address_was_confirmed_is_mailed_on_confirmation(
    article, submit, moderator, settings
):
    comment = submit(article, notify=True)
    approve(comment=comment, by=moderator)
    run_mail_queue()
    [confirmation] = mail.outbox
    assert confirmation.subject == "[Newsportal] Please confirm your e-mail address"

    path = link_in(confirmation.body, "/comments/confirm/").removeprefix(settings.SITE_URL)
    Client().post(path)
    Client().post(path)
    run_mail_queue()

    assert [m.subject for m in mail.outbox[1:]] == ["[Newsportal] Your comment has been reviewed"]


def test_no_box_ticked_means_no_mail_to_the_commenter(reader, article, comment_form_data):
    post(reader, article, comment_form_data(article))

    assert mailed_to("maria@example.com") == []
    assert not CommenterAddress.objects.exists()


def test_a_confirmed_address_is_not_asked_again(article, submit):
    verify("maria@example.com")

    submit(article, notify=True)

    # Asked whether the comment is hers (anyone may type her address), never to confirm it.
    subjects = [m.subject for m in mailed_to("maria@example.com")]
    assert "[Newsportal] Please confirm your e-mail address" not in subjects


def test_a_stale_or_forged_confirmation_link_confirms_nothing(db, reader):
    for response in (reader.get("/comments/confirm/1/"), reader.post("/comments/confirm/1/")):
        assert response.status_code == 404
        assert "no longer works" in response.content.decode()


def test_a_reply_is_mailed_to_a_confirmed_subscriber_once(
    article, thread, moderator, settings, reader
):
    _, reply = thread

    approve(comment=reply, by=moderator)
    run_mail_queue()

    [message] = mail.outbox
    assert message.to == ["maria@example.com"]
    assert message.subject == "[Newsportal] Someone replied to your comment"
    assert "Bob replied to your comment" in message.body
    assert "Hi!" in message.body
    assert f"#comment-{reply.pk}" in message.body
    assert "/comments/stop-mail/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Bob fixes a typo: the reply goes back to the queue and is approved again.
    reader.post(reverse("comments:edit", args=[status_token(reply)]), {"body": "Hi there!"})
    approve(comment=Comment.objects.get(pk=reply.pk), by=moderator)
    run_mail_queue()

    assert len(mail.outbox) == 1


def test_a_reply_in_a_right_to_left_script_keeps_the_mail_s_line_in_order(
    article, thread, moderator
):
    _, reply = thread
    Comment.objects.filter(pk=reply.pk).update(name="محمد", body="مرحبا")

    approve(comment=Comment.objects.get(pk=reply.pk), by=moderator)
    run_mail_queue()

    [message] = mail.outbox
    html = message.alternatives[0][0]
    # The name and the words take their own direction, not the English line's around them.
    assert "<bdi>محمد</bdi>" in html
    assert re.search(r'<blockquote dir="auto"[^>]*>مرحبا</blockquote>', html)


def test_an_unconfirmed_subscriber_gets_no_reply_mail(article, thread, moderator):
    parent, reply = thread
    CommenterAddress.objects.filter(email=parent.email).update(verified_at=None)

    approve(comment=reply, by=moderator)
    run_mail_queue()

    assert mail.outbox == []


def test_nobody_is_told_of_their_own_reply(article, thread, moderator, make_comment):
    parent, _ = thread
    own = make_comment(article, parent=parent, email=parent.email)

    approve(comment=own, by=moderator)
    run_mail_queue()

    assert mail.outbox == []


def test_one_click_unsubscribe_answers_a_cookieless_post_and_is_honoured_at_once(
    article, thread, moderator, make_comment, settings
):
    parent, reply = thread
    approve(comment=reply, by=moderator)
    run_mail_queue()
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    second = make_comment(article, parent=parent, email="carol@example.com")
    approve(comment=second, by=moderator)  # its mail is queued, not sent yet

    # What a mail client sends: no cookie, no CSRF token, just the one field.
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix(settings.SITE_URL), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert not ReplySubscription.objects.filter(comment=parent).exists()
    run_mail_queue()
    assert len(mail.outbox) == 1  # the queued reply mail was not sent


def test_opening_the_unsubscribe_link_asks_before_acting(article, thread, moderator):
    parent, reply = thread
    approve(comment=reply, by=moderator)
    run_mail_queue()
    url = link_in(mail.outbox[0].body, "/comments/unsubscribe/")

    page = Client().get(url)

    assert page.status_code == 200
    assert "Unsubscribe</button>" in page.content.decode()
    assert ReplySubscription.objects.filter(comment=parent).exists()


def test_stopping_all_mail_stops_decision_and_reply_mail(article, thread, moderator, make_comment):
    parent, reply = thread
    approve(comment=reply, by=moderator)
    run_mail_queue()
    url = link_in(mail.outbox[0].body, "/comments/stop-mail/")

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    waiting = make_comment(article, email="maria@example.com", notify_on_decision=True)
    approve(comment=waiting, by=moderator)
    approve(comment=make_comment(article, parent=parent), by=moderator)
    run_mail_queue()

    assert response.status_code == 200
    assert "no more mail" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_forged_unsubscribe_link_is_not_found(db):
    for url in ["/comments/unsubscribe/42/", "/comments/stop-mail/42/"]:
        for response in [Client().get(url), Client().post(url)]:
            assert response.status_code == 404
            assert "This link no longer works" in response.content.decode()


def test_the_status_page_stops_reply_mail_with_one_button(reader, article, thread):
    parent, _ = thread

    page = reader.get(parent.status_url).content.decode()
    action = re.search(r'<form method="post" action="(/comments/unsubscribe/[^"]+)"', page).group(1)
    status = re.search(r'<input type="hidden" name="status" value="([^"]+)">', page).group(1)
    response = reader.post(action, {"status": status})

    assert "Stop mail about replies</button>" in page
    assert response.status_code == 200
    assert not ReplySubscription.objects.filter(comment=parent).exists()
    # The page done leads back to the comment's page, not only to the front page.
    back = f'<a href="/comments/status/{status}/">Back to your comment</a>'
    assert back in response.content.decode()  # the link it came from: a new one is signed anew
    assert "Stop mail about replies" not in reader.get(parent.status_url).content.decode()


def test_the_reply_mail_stop_leads_back_only_to_the_page_of_its_own_comment(
    reader, article, thread
):
    parent, reply = thread
    action = re.search(
        r'<form method="post" action="(/comments/unsubscribe/[^"]+)"',
        reader.get(parent.status_url).content.decode(),
    ).group(1)
    other = reply.status_url.rstrip("/").rsplit("/", 1)[1]

    done = reader.post(action, {"status": other}).content.decode()

    assert "No more mail about replies" in done and "Back to your comment" not in done


def test_reader_markup_in_a_reply_is_shown_as_text_in_the_html_mail(article, thread, moderator):
    _, reply = thread
    Comment.objects.filter(pk=reply.pk).update(body='<img src=x onerror="alert(1)"> hi')

    approve(comment=Comment.objects.get(pk=reply.pk), by=moderator)
    run_mail_queue()

    html = mail.outbox[0].alternatives[0].content
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; hi" in html


def test_a_no_javascript_send_from_the_shared_page_keeps_the_reply_mail_box_ticked(
    article, comment_form_data
):
    browser = Client(enforce_csrf_checks=True)
    data = comment_form_data(article, notify_reply="on", started="")

    page = browser.post(reverse("comments:post", args=[article.pk]), data).content.decode()

    box = re.search(r'<input[^>]*name="notify_reply"[^>]*>', page).group(0)
    assert "checked" in box
    assert not Comment.objects.exists()


def test_no_reply_mail_points_at_an_article_unpublished_meanwhile(article, thread, moderator):
    from articles.models import Article

    _, reply = thread
    approve(comment=reply, by=moderator)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    run_mail_queue()

    assert mail.outbox == []


def test_a_decision_mail_never_gives_the_address_of_an_article_off_the_site(
    article, make_comment, moderator
):
    # Pulled and renamed under embargo: the new address would name the story.
    from articles.models import Article

    verify("maria@example.com")
    comment = make_comment(article, email="maria@example.com", notify_on_decision=True)
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.DRAFT, slug="minister-named-in-fraud-probe"
    )
    approve(comment=comment, by=moderator)
    run_mail_queue()

    [message] = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    for text in (message.body, message.alternatives[0].content):
        assert "minister-named-in-fraud-probe" not in text
        assert "now published" not in text
        assert "It will show when the article is back on the site." in text
