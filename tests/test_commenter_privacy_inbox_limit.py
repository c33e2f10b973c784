"""A stranger rotating IP addresses asks, again and again, for the privacy link ("send me my
data / erase") to be mailed to someone's inbox: the limit per IP never held them, and the ten
minutes per inbox let 144 links a day through. Asks about one inbox, however its address is
spelt and wherever they come from, are counted for the day in the shared cache; past
PRIVACY_ASKS_PER_DAY (five) the asker reads why, in words that say nothing of the address.
The address's owner is not counted where she shows it is hers: on the status page of a comment
she vouched for, and on the privacy page in the browser that wrote one."""

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommenterAddress
from comments.tokens import status_token
from tests.mail_helpers import make_due, run_mail_queue

PRIVACY = "/comments/privacy/"
ASKS_A_DAY = 5  # comments.privacy.PRIVACY_ASKS_PER_DAY
SPELLINGS = ["maria@example.com", "MARIA@example.com", "Maria@example.com"]


def _ask(n: int, email: str, path: str = PRIVACY, **data):
    # A new IP address each time, well inside the limit of five asks an hour per IP.
    client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
    return client.post(path, {"email": email, "action": "export", **data})


def _ten_minutes_pass():
    earlier = timezone.now() - timedelta(minutes=11)
    CommenterAddress.objects.update(privacy_mail_sent_at=earlier)


def test_a_stranger_rotating_ips_gets_an_inbox_mailed_five_times_a_day_at_most(
    article, make_comment
):
    make_comment(article, email="maria@example.com")
    answers = []
    for n in range(ASKS_A_DAY + 3):
        answers.append(_ask(n, SPELLINGS[n % len(SPELLINGS)]))
        _ten_minutes_pass()
    make_due()
    run_mail_queue()

    assert [a.status_code for a in answers] == [200] * 5 + [429] * 3
    assert len(mail.outbox) == ASKS_A_DAY
    refused = answers[-1]
    assert int(refused["Retry-After"]) <= 86400
    page = refused.content.decode()
    assert "Links for this address were asked for 5 times today" in page
    assert "nothing was mailed" in page and "Check your mail" not in page
    assert 'value="MARIA@example.com"' in page  # kept in the form, to send later


def _words(response) -> str:
    page = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]+@[^"]+"', "", page)


def test_the_refusal_reads_the_same_for_an_address_without_comments(article, make_comment):
    make_comment(article, email="maria@example.com")
    for n in range(ASKS_A_DAY):
        _ask(n, "maria@example.com")
        _ask(n, "nobody@example.com")

    known = _ask(9, "maria@example.com")
    unknown = _ask(9, "nobody@example.com")

    assert known.status_code == unknown.status_code == 429
    assert _words(known) == _words(unknown)


def test_asks_from_a_status_page_count_with_the_privacy_pages(article, make_comment):
    """A stranger who posted with the address gets a status page, and asks from there."""
    comment = make_comment(article, email="maria+news@example.com", owner_vouched=False)
    from_status = reverse("comments:status-privacy", args=[status_token(comment)])
    for n in range(ASKS_A_DAY):
        _ask(n, "maria@example.com")

    refused = _ask(7, "", path=from_status)

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Links for this address were asked for 5 times today" in page
    assert "Back to your comment" in page


def test_a_stranger_s_asks_never_lock_the_owner_out_of_their_status_page(article, make_comment):
    # Her comment, vouched for (she confirmed the address); a stranger spends the day's asks.
    comment = make_comment(article, email="maria@example.com", owner_vouched=True)
    own_status = reverse("comments:status-privacy", args=[status_token(comment)])
    for n in range(ASKS_A_DAY):
        assert _ask(n, "maria@example.com").status_code == 200
    assert _ask(6, "maria@example.com").status_code == 429
    _ten_minutes_pass()

    answer = _ask(7, "", path=own_status)
    make_due()
    run_mail_queue()

    assert answer.status_code == 200
    assert "Check your mail" in answer.content.decode()
    assert mail.outbox[-1].to == ["maria@example.com"]


def test_the_owner_s_own_asks_tell_a_stranger_nothing(article, make_comment):
    comment = make_comment(article, email="maria@example.com", owner_vouched=True)
    own_status = reverse("comments:status-privacy", args=[status_token(comment)])
    for n in range(3):
        _ask(n, "", path=own_status)

    probes = [_ask(10 + n, "maria@example.com").status_code for n in range(ASKS_A_DAY)]
    control = [_ask(20 + n, "nobody@example.com").status_code for n in range(ASKS_A_DAY)]

    assert probes == control == [200] * ASKS_A_DAY


def _write_from(browser, article, comment_form_data, email: str, body: str) -> Comment:
    """A comment sent from this browser, which keeps its signed comments_written cookie."""
    data = comment_form_data(article, email=email, body=body)
    assert browser.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    return Comment.objects.get(body=body)


def test_a_stranger_s_asks_never_lock_the_owner_out_of_the_privacy_page_in_her_browser(
    article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    hers = Client(REMOTE_ADDR="198.51.100.7")
    mine = _write_from(hers, article, comment_form_data, "maria@example.com", "Mine")
    Comment.objects.filter(pk=mine.pk).update(owner_vouched=True)  # she confirmed it
    for n in range(ASKS_A_DAY):
        assert _ask(n, "maria@example.com").status_code == 200
    assert _ask(6, "maria@example.com").status_code == 429
    _ten_minutes_pass()

    answer = hers.post(PRIVACY, {"email": "Maria@Example.com", "action": "export"})
    make_due()
    run_mail_queue()

    assert answer.status_code == 200
    assert "Check your mail" in answer.content.decode()
    assert mail.outbox[-1].to == ["maria@example.com"]
    assert _ask(8, "maria@example.com").status_code == 429  # the stranger still is refused


def test_the_owner_s_asks_from_her_browser_tell_a_stranger_nothing(
    article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    hers = Client(REMOTE_ADDR="198.51.100.7")
    mine = _write_from(hers, article, comment_form_data, "maria@example.com", "Mine")
    Comment.objects.filter(pk=mine.pk).update(owner_vouched=True)
    for _ in range(3):
        hers.post(PRIVACY, {"email": "maria@example.com", "action": "erase"})

    probes = [_ask(10 + n, "maria@example.com").status_code for n in range(ASKS_A_DAY)]

    assert probes == [200] * ASKS_A_DAY


def test_a_browser_that_wrote_with_the_address_unvouched_is_counted_as_anyone(
    article, comment_form_data, settings
):
    """Anyone may type the address into the comment form: a stranger's browser then holds a
    comment written with it, which its owner never said is hers."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    strangers = Client(REMOTE_ADDR="198.51.100.9")
    _write_from(strangers, article, comment_form_data, "maria@example.com", "Typed by him")
    for n in range(ASKS_A_DAY):
        _ask(n, "maria@example.com")

    answer = strangers.post(PRIVACY, {"email": "maria@example.com", "action": "export"})

    assert answer.status_code == 429
