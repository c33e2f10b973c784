"""Privacy: the comment policy page (written by staff) is linked from the form; a reader gets a
link mailed to their address to export (JSON) or erase every comment made with it; after an
erase no row holds the address; cron deletes old rejected comments and old IP addresses."""

import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.desk import add_note, block_sender, lift_block
from comments.models import (
    Block,
    Comment,
    CommenterAddress,
    CommentVersion,
    ModerationPolicy,
    ReplySubscription,
)
from comments.privacy import erase_comments
from comments.services import decide, submit_comment
from comments.tokens import status_token
from tests.mail_helpers import make_due, queued, run_mail_queue, verify

PRIVACY = "/comments/privacy/"


def mailed_to(address: str) -> list[mail.EmailMessage]:
    """What the worker sends to this address once everything queued is due (a mail put off
    for later would still go)."""
    make_due()
    run_mail_queue()
    return [m for m in mail.outbox if address in (to.lower() for to in m.to)]


def mailed_link(settings) -> str:
    [message] = mail.outbox
    return (
        re.search(r"https?://\S+/comments/privacy/\S+/", message.body)
        .group(0)
        .removeprefix(settings.SITE_URL)
    )


def test_the_comment_form_links_to_the_privacy_page_and_staff_write_it(
    reader, article, superuser_client
):
    page = reader.get(article.get_absolute_url()).content.decode()
    form = page[
        page.index('id="comment-form"') : page.index("</form>", page.index('id="comment-form"'))
    ]
    assert f'href="{PRIVACY}"' in form

    default = reader.get(PRIVACY)
    assert default.status_code == 200
    assert "Comments and your privacy" in default.content.decode()

    saved = superuser_client.post(
        "/admin/comments/commentpolicypage/add/",
        {"title": "House rules", "body": "Be kind.\n\nWe erase on request."},
    )
    assert saved.status_code == 302
    page = reader.get(PRIVACY).content.decode()
    assert "House rules" in page
    assert "<p>We erase on request.</p>" in page


def test_an_export_link_is_mailed_and_downloads_every_comment_as_json(
    reader, article, make_comment, settings
):
    mine = [
        make_comment(article, email="maria@example.com", body="First", status="approved"),
        make_comment(article, email="maria@example.com", body="Second", status="rejected"),
    ]
    make_comment(article, email="someone@example.com", body="Not mine")
    CommentVersion.objects.create(comment=mine[0], body="Frist", status="approved")

    response = reader.post(PRIVACY, {"email": "Maria@Example.com", "action": "export"})
    assert "Check your mail" in response.content.decode()
    run_mail_queue()
    link = mailed_link(settings)
    landing = reader.get(link)
    download = reader.get(link + "?download=1")

    assert "Download my comments" in landing.content.decode()
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="my-comments.json"'
    assert "private" in download["Cache-Control"]
    data = json.loads(download.getvalue())
    assert [c["body"] for c in data["comments"]] == ["First", "Second"]
    assert data["comments"][0]["earlier_versions"][0]["body"] == "Frist"
    assert data["comments"][0]["article_url"].startswith(settings.SITE_URL)


def test_whoever_gets_a_privacy_mail_they_did_not_ask_for_can_stop_every_mail(
    reader, article, make_comment, settings
):
    # Anyone who once typed the address in a comment can have this mail sent to it.
    make_comment(article, email="maria@example.com")
    reader.post(PRIVACY, {"email": "maria@example.com", "action": "erase"})
    run_mail_queue()
    [message] = mail.outbox
    stop = re.search(r"https?://\S+/comments/stop-mail/\S+/", message.body).group(0)

    assert message.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    Client().post(stop, {"List-Unsubscribe": "One-Click"})  # the mail client's one click
    mail.outbox.clear()
    # Past the ten minutes between two such mails.
    CommenterAddress.objects.update(privacy_mail_sent_at=timezone.now() - timedelta(minutes=11))
    reader.post(PRIVACY, {"email": "maria@example.com", "action": "erase"})
    run_mail_queue()
    assert mail.outbox == []


def test_an_address_without_comments_gets_the_same_answer_and_no_mail(reader, db):
    response = reader.post(PRIVACY, {"email": "nobody@example.com", "action": "erase"})

    assert response.status_code == 200
    assert "Check your mail" in response.content.decode()
    assert mailed_to("nobody@example.com") == []
    assert mail.outbox == []  # nor to anyone else


@pytest.mark.parametrize(
    "data, error",
    [
        ({"email": "maria@example.com"}, "Choose Export or Erase."),
        ({"email": "maria@example.com", "action": "sell"}, "Choose Export or Erase."),
        ({"action": "export"}, "This field is required."),
        ({}, "This field is required."),
    ],
)
def test_a_privacy_request_without_an_action_or_address_is_answered_with_the_form(
    reader, db, data, error
):
    response = reader.post(PRIVACY, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert error in page and "Check your mail" not in page
    assert data.get("email", "") in page
    make_due()
    run_mail_queue()
    assert mail.outbox == []


def test_one_address_gets_at_most_one_privacy_mail_in_ten_minutes(reader, article, make_comment):
    make_comment(article, email="maria@example.com")

    for _ in range(3):
        reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})

    assert len(queued("privacy-export")) == 1


def test_the_status_page_offers_export_and_erase(reader, article, make_comment):
    comment = make_comment(article, email="maria@example.com")

    page = reader.get(comment.status_url).content.decode()
    response = reader.post(
        reverse("comments:status-privacy", args=[status_token(comment)]), {"action": "erase"}
    )

    assert 'value="export">Export</button>' in page
    assert 'value="erase">Erase</button>' in page
    assert response.status_code == 200
    assert [m["kind"] for m in queued()] == ["privacy-erase"]


def test_a_stranger_typing_a_stopped_address_mails_nothing_but_its_owner_still_can(
    reader, article, make_comment
):
    comment = make_comment(article, email="maria@example.com")
    CommenterAddress.objects.create(email="maria@example.com", mail_stopped_at=timezone.now())

    typed = reader.post(PRIVACY, {"email": "maria@example.com", "action": "export"})
    assert "Check your mail" in typed.content.decode()  # the same answer for every address
    assert mailed_to("maria@example.com") == []

    reader.post(
        reverse("comments:status-privacy", args=[status_token(comment)]), {"action": "export"}
    )
    assert [m["kind"] for m in queued()] == ["privacy-export"]


def test_a_stranger_posting_with_a_stopped_address_cannot_mail_it_from_the_status_page(
    reader, article, make_comment, submit
):
    make_comment(article, email="maria@example.com")  # hers, vouched for
    CommenterAddress.objects.create(email="maria@example.com", mail_stopped_at=timezone.now())
    strangers = submit(article, name="Not Maria", email="maria@example.com")

    answer = reader.post(
        reverse("comments:status-privacy", args=[status_token(strangers)]), {"action": "erase"}
    )
    assert "Check your mail" in answer.content.decode()  # the same answer as ever
    assert mailed_to("maria@example.com") == []


def _rows_holding(text: str) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                lookup = {f"{field.attname}__icontains": text}
                if model._default_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def test_after_an_erase_no_row_holds_the_address(
    reader, article, make_comment, moderator, settings
):
    email = "maria@example.com"
    parent = make_comment(article, email=email, name="Maria Lopez", body="Mine, answered")
    decide([parent], status="approved", by=moderator)  # logged: "Comment 1 by Maria Lopez"
    make_comment(article, parent=parent, email="bob@example.com", status="approved", body="Reply")
    make_comment(article, email=email, body="Mine, waiting", notify_on_decision=True)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    ReplySubscription.objects.create(comment=parent)
    CommentVersion.objects.create(comment=parent, body="Mine, first", status="approved")
    verify(email)
    # The moderator's desk, as moderators use it: each act is in the admin's log.
    add_note(by=moderator, text="Regular, friendly.", email=email)
    block = block_sender(kind="email", value=email, period="1", by=moderator)
    lift_block(block=block, by=moderator)
    block_sender(kind="email", value=email, period="forever", by=moderator, reason="Spammer")
    assert "LogEntry.object_repr" in " ".join(_rows_holding(email))
    reader.post(PRIVACY, {"email": email, "action": "erase"})
    run_mail_queue()
    link = mailed_link(settings)

    landing = reader.get(link)
    response = reader.post(link)

    assert "Erase all my comments" in landing.content.decode()
    assert "Your comments are erased" in response.content.decode()
    assert _rows_holding(email) == []
    assert _rows_holding("Mine,") == []
    assert _rows_holding("Maria Lopez") == []
    assert LogEntry.objects.count() == 5  # what the moderator did stays in the log
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "withdrawn by its author" in page
    assert "Reply" in page
    article.refresh_from_db()
    assert article.approved_comment_count == 1
    spent = reader.get(link)
    assert spent.status_code == 404  # the address is gone: the link is spent
    # ...and the page leads to where a new one is asked for, as its words say.
    assert '<a href="/comments/privacy/">Ask for a new link on the privacy page</a>' in (
        spent.content.decode()
    )


def test_deleting_ones_only_comment_leaves_no_row_holding_the_address_or_name(
    reader, article, make_comment, moderator
):
    email = "eve@example.com"
    comment = make_comment(article, email=email, name="Eve Adams", notify_on_decision=True)
    decide([comment], status="approved", by=moderator)  # logged: "Comment N by Eve Adams"
    verify(email)  # she had asked for mail and confirmed

    reader.post(reverse("comments:delete", args=[status_token(comment)]))

    assert _rows_holding(email) == []
    assert _rows_holding("Eve Adams") == []
    assert LogEntry.objects.count() == 1  # what the moderator did stays in the log


def test_an_address_whose_comments_are_all_deleted_can_still_ask_for_an_erase(
    reader, article, make_comment
):
    make_comment(article, email="eve@example.com")
    verify("eve@example.com")
    Comment.objects.all().delete()  # deleted before addresses were forgotten with them

    reader.post(PRIVACY, {"email": "eve@example.com", "action": "erase"})

    assert [m["kind"] for m in queued()] == ["privacy-erase"]


def test_an_erase_takes_the_commenters_name_out_of_what_moderators_wrote_about_them(
    article, make_comment, moderator
):
    email = "maria@example.com"
    first = make_comment(article, email=email, name="Maria Lopez", body="Buy cheap watches")
    second = make_comment(article, email=email, name="maria", body="Buy them now")
    other = make_comment(article, email="ann@example.com", name="Ann", body="Annual report?")
    decide([first], status="rejected", by=moderator, reason="Maria Lopez again: adverts")
    decide([second], status="rejected", by=moderator, reason="MARIA, same adverts")
    decide([other], status="rejected", by=moderator, reason="Off-topic, Maria is not Ann")
    block_sender(kind="email", value=email, period="forever", by=moderator, reason="Maria spams")

    erase_comments(email=email)

    # Left only where it is about someone else's comment: not the erased commenter's to take.
    assert _rows_holding("Maria") == [
        "admin.LogEntry.change_message",
        "comments.Comment.rejection_reason",
    ]
    assert Comment.objects.get(pk=other.pk).rejection_reason == "Off-topic, Maria is not Ann"
    messages = sorted(LogEntry.objects.values_list("change_message", flat=True))
    assert "Rejected: [name erased] again: adverts" in " ".join(messages)
    assert "Rejected: [name erased], same adverts" in " ".join(messages)
    assert Block.objects.get().reason == "[name erased] spams"


def test_a_block_outlives_the_erase_of_its_address_without_holding_it(
    reader, article, make_comment, moderator
):
    email = "maria@example.com"
    make_comment(article, email=email, body="Buy now")
    block_sender(kind="email", value=email, period="forever", by=moderator, reason="Spammer")
    ModerationPolicy.objects.create(blocked_emails="Maria@Example.com\n@spam.example")

    erase_comments(email=email)

    assert _rows_holding(email) == []
    [block] = Block.objects.all()
    assert "erased" in str(block) and block.is_active
    comment = submit_comment(
        article=article, name="Maria", email="Maria@Example.com", body="Back", ip=None, notify=False
    )
    assert comment.status == Comment.Status.SPAM
    assert "E-mail address blocked by a moderator" in comment.held_because
    assert "blocked e-mail address" in comment.held_because  # the policy's list
    assert "@spam.example" in ModerationPolicy.current().blocked_emails
    assert list(Block.objects.matching("email", email)) == [block]  # the commenter's page


def test_prune_deletes_old_rejected_and_spam_comments_and_clears_old_ip_addresses(
    article, make_comment, settings
):
    settings.COMMENTS_KEEP_REJECTED_DAYS = 90
    settings.COMMENTS_KEEP_IP_DAYS = 30
    long_ago = timezone.now() - timedelta(days=91)
    old_reject = make_comment(article, status="rejected", moderated_at=long_ago)
    old_spam = make_comment(article, status="spam", created_at=long_ago)
    fresh_reject = make_comment(article, status="rejected", moderated_at=timezone.now())
    old_approved = make_comment(article, status="approved", created_at=long_ago)
    recent = make_comment(article, status="pending")

    call_command("prune_comments")

    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert remaining == {fresh_reject.pk, old_approved.pk, recent.pk}
    assert old_reject.pk not in remaining and old_spam.pk not in remaining
    old_approved.refresh_from_db()
    recent.refresh_from_db()
    assert old_approved.ip_address is None
    assert recent.ip_address == "203.0.113.9"


def test_a_comment_taken_down_today_is_kept_with_its_reports_though_approved_long_ago(
    article, make_comment, moderator, settings
):
    from comments.models import Report
    from comments.privacy import prune_old_data
    from comments.services import take_down

    settings.COMMENTS_KEEP_REJECTED_DAYS = 90
    long_ago = timezone.now() - timedelta(days=100)
    libel = make_comment(article, status="approved", created_at=long_ago, moderated_at=long_ago)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    Report.objects.create(comment=libel, reason="abuse", reporter="k")
    assert take_down(Comment.objects.filter(pk=libel.pk), by=moderator, reason="Libel") == 1

    call_command("prune_comments")

    assert Comment.objects.filter(pk=libel.pk, status="rejected").exists()
    assert Report.objects.filter(comment=libel).exists()
    prune_old_data(now=timezone.now() + timedelta(days=91))
    assert not Comment.objects.filter(pk=libel.pk).exists()


@pytest.mark.parametrize("path", ["/comments/privacy/x/", "/comments/privacy/"])
def test_privacy_pages_are_never_shared(reader, db, path):
    response = reader.get(path)

    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response
