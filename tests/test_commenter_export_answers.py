"""What Export and Erase answer a commenter: asked from a comment's status page, the way back
to it; in the download, no article off the site named (the rest of the privacy requests:
tests/test_commenter_privacy.py)."""

import json
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import links
from comments.models import Comment, CommenterAddress, ReplySubscription
from comments.tokens import status_token
from tests.mail_helpers import run_mail_queue, verify


def _csrf_out(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)


def test_asked_from_the_status_page_the_answer_leads_back_to_the_comment(
    reader, article, make_comment
):
    comment = make_comment(article, email="maria@example.com")
    token = status_token(comment)
    url = reverse("comments:status-privacy", args=[token])
    back = f'<a href="{reverse("comments:status", args=[token])}">Back to your comment</a>'

    answers = [reader.post(url, {"action": "export"}) for _ in range(6)]

    # Sent, then refused by the hourly limit: both lead back to where the reader was.
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "Check your mail" in answers[0].content.decode()
    for answer in (answers[0], answers[-1]):
        assert back in answer.content.decode()


def test_the_download_does_not_name_an_article_taken_off_the_site(
    reader, make_article, make_comment, settings
):
    shown = make_article(title="Still on the site")
    pulled = make_article(title="Old headline")
    for article in (shown, pulled):
        make_comment(article, email="maria@example.com", status="approved")
    # Pulled and renamed under embargo: as its status page and mail, the export keeps it quiet.
    Article.objects.filter(pk=pulled.pk).update(
        status=Article.Status.DRAFT, title="Embargoed scoop", slug="embargoed-scoop"
    )
    reader.post("/comments/privacy/", {"email": "maria@example.com", "action": "export"})
    run_mail_queue()
    [message] = mail.outbox
    found = re.search(r"https?://\S+/comments/privacy/\S+/", message.body).group(0)
    link = found.removeprefix(settings.SITE_URL)

    download = reader.get(link + "?download=1").getvalue().decode()

    assert "Embargoed scoop" not in download and "embargoed-scoop" not in download
    exported = {c["article"]: c["article_url"] for c in json.loads(download)["comments"]}
    assert exported == {
        "Still on the site": settings.SITE_URL + shown.get_absolute_url(),
        "an article no longer on the site": None,
    }


def test_an_owner_asking_again_within_the_limit_is_told_no_new_link_went(
    reader, article, make_comment, settings
):
    """Export, then Export again from the stop link (which only the address's owner holds):
    the second press answered "we have mailed it a link", though the ten-minute limit held it
    back. The stop link's page tells its holder what happened."""
    comment = make_comment(article, email="maria@example.com")
    url = reverse("comments:status-privacy", args=[status_token(comment)])

    exported = reader.post(url, {"action": "export"}).content.decode()
    address = comment.email
    stop = Client().post(links.stop_mail_url(verify(address).pk), {"export": "1"})
    run_mail_queue()

    assert "we have mailed it a link" in exported
    assert "No new link yet" in stop.content.decode()
    assert "less than 10 minutes ago" in stop.content.decode()
    assert [m.subject for m in mail.outbox] == [
        "[Newsportal] Your comments: the link you asked for"
    ]


def test_a_status_page_does_not_tell_when_the_owner_last_asked_for_a_link(article, make_comment):
    """Confirming an address once vouched for every comment sent with it, a stranger's of those
    days too, and those rows stay vouched: a status page is no proof of owning the address, so
    its answer is the same whether or not the owner asked for a link a minute ago."""
    strangers = make_comment(article, email="maria@example.com")  # vouched by the old rule
    url = reverse("comments:status-privacy", args=[status_token(strangers)])

    nobody_asked = Client().post(url, {"action": "export"}).content.decode()
    Client().post(links.stop_mail_url(verify("maria@example.com").pk), {"export": "1"})
    owner_asked = Client().post(url, {"action": "erase"}).content.decode()

    assert "No new link yet" not in owner_asked
    assert _csrf_out(owner_asked) == _csrf_out(nobody_asked)


def test_the_download_holds_the_mail_wishes_kept_about_the_address(article, make_comment, settings):
    """What we hold about the address, all of it: which comments ask for mail about replies
    (the subscription is a row of ours), and when its owner stopped all mail."""
    following = make_comment(article, email="maria@example.com", body="Tell me of replies")
    make_comment(article, email="maria@example.com", body="No mail for this one")
    ReplySubscription.objects.create(comment=following)
    stopped = timezone.now()
    address = CommenterAddress.objects.claim("maria@example.com")
    CommenterAddress.objects.filter(pk=address.pk).update(mail_stopped_at=stopped)
    link = links.privacy_url(address.pk, "export").removeprefix(settings.SITE_URL)

    data = json.loads(Client().get(link + "?download=1").getvalue())

    assert data["all_mail_stopped_at"] == stopped.isoformat()
    assert {c["body"]: c["mail_on_reply"] for c in data["comments"]} == {
        "Tell me of replies": True,
        "No mail for this one": False,
    }


def test_the_mailed_erase_link_works_in_a_browser_that_keeps_no_cookies(
    article, make_comment, settings
):
    """The link mailed to the address is the key, as the other mailed links (confirm, stop):
    a reader who blocks cookies got the "Please try again" page at every press, and could not
    erase their comments at all."""
    make_comment(article, email="maria@example.com", body="Please forget me")
    address = CommenterAddress.objects.claim("maria@example.com")
    link = links.privacy_url(address.pk, "erase").removeprefix(settings.SITE_URL)
    no_cookies = Client(enforce_csrf_checks=True)

    page = no_cookies.get(link)
    no_cookies.cookies.clear()  # blocked: nothing the site set comes back
    erased = no_cookies.post(link)

    assert "Erase all my comments" in page.content.decode()
    assert settings.CSRF_COOKIE_NAME not in page.cookies  # nothing to block, either
    assert erased.status_code == 200
    assert "Your comments are erased" in erased.content.decode()
    assert not Comment.objects.filter(email="maria@example.com").exists()


def test_an_address_whose_comments_were_all_deleted_is_not_told_of_0_comments(
    reader, article, comment_form_data
):
    """Delete your comment, then erase your data: the address stays on record a day after we
    mailed it (README, Delete). The mail said "(0 now)", the page "We hold 0 comments made
    with your address" over "Erasing deletes them all", and the answer "0 comments and your
    address are gone from our site. Where others had replied…"."""
    data = comment_form_data(article, notify="on", body="Mine, deleted before I erase.")
    reader.post(reverse("comments:post", args=[article.pk]), data)
    run_mail_queue()  # the confirmation mail went: the address is kept a day once deleted
    delete = reverse("comments:delete", args=[status_token(Comment.objects.get())])
    reader.get(delete)
    reader.post(delete)
    pages = {}
    for action in ("export", "erase"):
        CommenterAddress.objects.update(privacy_mail_sent_at=None)
        reader.post(reverse("comments:privacy"), {"email": "maria@example.com", "action": action})
        run_mail_queue()
        said = mail.outbox[-1].body
        assert "(0 now)" not in said
        assert "every comment made with this address (none now)" in said
        link = re.search(r"https?://\S+/comments/privacy/\S+/", said).group(0)
        pages[action] = Client().get(link).content.decode()

    for page in pages.values():
        assert "We hold 0 comments" not in page
        assert "We hold no comments made with your address any more." in page
    assert "deletes them all" not in pages["erase"]
    assert "Erasing forgets your address. It cannot be undone." in pages["erase"]
    erased, again = (Client().post(link).content.decode() for _ in range(2))  # a double click
    assert "0 comments" not in erased and "Where others had replied" not in erased
    for answer in (erased, again):
        assert "Your address is erased" in answer
        assert "It is gone from our site; no comments made with it were left." in answer
    assert not CommenterAddress.objects.exists()
