"""A reader who lost a comment's private status link, and gets no mail from us, finds their way
back to it (to edit or delete it) through the export link mailed to their address: its page
lists each comment with its status page. Nobody learns anything by typing someone's address;
an owner who stopped all mail asks from the stop link of one of our mails."""

import re

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from comments import links
from comments.models import CommenterAddress
from comments.services import approve
from comments.tokens import comment_id_from_token
from tests.mail_helpers import make_due, run_mail_queue, verify
from tests.test_commenter_mail import link_in

PRIVACY = "/comments/privacy/"


def _mailed(to: str) -> list:
    make_due()
    run_mail_queue()
    return [m for m in mail.outbox if m.to == [to]]


def _export_page(message, settings) -> str:
    assert "links to each comment's private status page" in message.body
    url = link_in(message.body, "/comments/privacy/").removeprefix(settings.SITE_URL)
    return Client().get(url).content.decode()


def _status_links(page: str) -> list[str]:
    return re.findall(r'href="(/comments/status/[^"/]+/)"', page)


def _linked_comments(page: str) -> list[int]:
    """The comments the page's status links open (a link signed a second later differs)."""
    return [comment_id_from_token(link.split("/")[-2]) for link in _status_links(page)]


def test_the_export_link_leads_back_to_each_comment_to_edit_or_delete_it(
    reader, article, make_comment, moderator, settings
):
    waiting = make_comment(article, email="maria@example.com", body="Still waiting")
    published = make_comment(article, email="maria@example.com", body="Out there")
    approve(comment=published, by=moderator)
    make_comment(article, email="someone@example.com", body="Not hers")

    asked = reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    [message] = _mailed("maria@example.com")
    page = _export_page(message, settings)

    assert "Check your mail" in asked.content.decode()
    assert _linked_comments(page) == [published.pk, waiting.pk]  # newest first
    assert f"Your comment on “{article.title}”</a>" in page
    assert "waiting for review" in page and "approved" in page
    # Two comments on one story: their first words tell them apart.
    assert "“Still waiting”" in page and "“Out there”" in page
    status = Client().get(_status_links(page)[1]).content.decode()
    assert "Still waiting" in status
    assert ">Edit</a>" in status and ">Delete</a>" in status


def test_asking_for_someone_elses_address_reads_the_same_and_shows_nothing(
    reader, article, make_comment
):
    make_comment(article, email="maria@example.com")

    theirs = reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    cache.clear()  # another minute, another address: no limit in play
    nobodys = reader.post(PRIVACY, {"email": "nobody@example.com", "action": "export"})

    assert theirs.status_code == nobodys.status_code == 200
    assert theirs.content == nobodys.content
    assert "/comments/status/" not in theirs.content.decode()
    assert _mailed("nobody@example.com") == []


def test_an_owner_who_stopped_all_mail_asks_from_the_stop_link_of_an_old_mail(
    article, make_comment, moderator, settings, reader
):
    verify("maria@example.com")
    comment = make_comment(article, email="maria@example.com", notify_on_decision=True)
    approve(comment=comment, by=moderator)
    [decision] = _mailed("maria@example.com")
    stop = link_in(decision.body, "/comments/stop-mail/").removeprefix(settings.SITE_URL)
    Client().post(stop, {"List-Unsubscribe": "One-Click"})
    mail.outbox.clear()
    # The privacy page mails nothing to a stopped address (anyone may type it) ...
    reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    assert _mailed("maria@example.com") == []
    cache.clear()

    offered = Client().get(stop).content.decode()
    answered = Client(enforce_csrf_checks=True).post(stop, {"export": "1"})

    assert "Mail me a link to my comments</button>" in offered
    assert "Check your mail" in answered.content.decode()
    assert "leads to each comment’s status page" in answered.content.decode()  # as the site types
    [message] = _mailed("maria@example.com")
    assert _linked_comments(_export_page(message, settings)) == [comment.pk]
    # ... and its owner's stop still holds for everything else.
    assert CommenterAddress.objects.get().mail_stopped_at is not None


def test_the_status_page_says_where_to_go_if_its_link_is_lost(reader, article, make_comment):
    comment = make_comment(article)

    page = reader.get(comment.status_url).content.decode()

    assert "If you lose it, ask for an export link on the" in page
    assert f'<a href="{reverse("comments:privacy")}">privacy page</a>' in page


def test_the_export_button_pressed_after_mail_started_again_does_not_stop_it(
    article, make_comment, settings
):
    address = verify("maria@example.com")
    comment = make_comment(article, email="maria@example.com")
    stop = links.stop_mail_url(address.pk).removeprefix(settings.SITE_URL)

    answered = Client().post(stop, {"export": "1"})  # a page opened while mail was stopped

    assert "Check your mail" in answered.content.decode()
    assert CommenterAddress.objects.get().mail_stopped_at is None
    [message] = _mailed("maria@example.com")
    assert _linked_comments(_export_page(message, settings)) == [comment.pk]
