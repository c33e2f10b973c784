"""Moderator mail that would go to nobody (no moderator or superuser with an e-mail address, and
COMMENTS_MODERATOR_EMAILS empty) is not lost in silence: each comment that should have been
announced logs a WARNING naming the setting, and the admin's front page tells superusers."""

import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.mail_helpers import queued, run_mail_queue

WARNING_ID = "moderator-mail-nobody"


@pytest.fixture
def nobody_to_mail(settings, moderator, superuser):
    settings.COMMENTS_MODERATOR_EMAILS = []
    moderator.email = ""
    moderator.save()
    superuser.email = ""
    superuser.save()


def _notice(page: str) -> str:
    found = re.search(rf'<p class="[^"]*" id="{WARNING_ID}">(.*?)</p>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


def test_a_comment_nobody_can_be_mailed_about_logs_a_warning_naming_the_setting(
    submit, committed, article, nobody_to_mail, caplog
):
    with caplog.at_level(logging.WARNING, logger="comments.moderator_mail"):
        committed(submit, article)
    run_mail_queue()

    assert queued() == [] and mail.outbox == []
    [record] = [r for r in caplog.records if r.name == "comments.moderator_mail"]
    assert record.levelno == logging.WARNING
    assert "COMMENTS_MODERATOR_EMAILS" in record.getMessage()
    assert "no moderator" in record.getMessage()


def test_no_warning_while_a_moderator_has_an_address(submit, committed, article, moderator, caplog):
    with caplog.at_level(logging.WARNING, logger="comments.moderator_mail"):
        committed(submit, article)
    run_mail_queue()

    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert [r for r in caplog.records if r.name == "comments.moderator_mail"] == []


def test_the_admin_front_page_tells_a_superuser_that_moderator_mail_goes_nowhere(
    superuser_client, nobody_to_mail
):
    said = _notice(superuser_client.get("/admin/").content.decode())

    assert "New comments are mailed to nobody" in said
    assert "COMMENTS_MODERATOR_EMAILS" in said


def test_the_notice_is_a_line_of_the_moderation_panel_not_a_warning_across_the_page(
    superuser_client, nobody_to_mail
):
    page = superuser_client.get("/admin/").content.decode()

    # Said where the queue's numbers are, once; the page's warnings are for what is broken now
    # (mail not going out at all, a scheduled job not running).
    assert 'class="messagelist"' not in page
    panel = page[page.index('id="moderation-summary"') : page.index('class="moderation-chart')]
    assert "New comments are mailed to nobody" in _notice(panel)
    assert "Users" in _notice(panel) and "COMMENTS_MODERATOR_EMAILS" in _notice(panel)


def test_no_notice_once_someone_can_be_mailed(superuser_client, nobody_to_mail, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]

    page = superuser_client.get("/admin/").content.decode()

    assert WARNING_ID not in page


def test_staff_who_are_not_superusers_are_not_shown_the_notice(moderator_client, nobody_to_mail):
    page = moderator_client.get("/admin/")

    assert page.status_code == 200
    assert WARNING_ID not in page.content.decode()


def test_the_log_says_it_once_a_day_not_for_every_comment_and_every_reminder(
    submit, committed, article, nobody_to_mail, caplog
):
    # remind_moderators runs every five minutes from cron, which mails whatever it logs.
    with caplog.at_level(logging.WARNING, logger="comments.moderator_mail"):
        committed(submit, article, email="first@example.com")
        committed(submit, article, email="second@example.com")
        for _ in range(3):
            call_command("remind_moderators", verbosity=0)

    said = [r for r in caplog.records if r.name == "comments.moderator_mail"]
    assert len(said) == 1
    assert "COMMENTS_MODERATOR_EMAILS" in said[0].getMessage()
