"""An owner who stopped all mail and then erased their comments: the stop outlives the erase, so
a stranger who types the address again cannot have us mail it, while no row holds the address
in clear."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments import links
from comments.models import CommenterAddress, erased_email
from tests.test_commenter_privacy import PRIVACY, _rows_holding, mailed_to

EMAIL = "maria@example.com"


def _link(message, path: str, settings) -> str:
    return (
        re.search(rf"https?://\S+{path}\S+/", message.body).group(0).removeprefix(settings.SITE_URL)
    )


@pytest.fixture
def stopped_then_erased(reader, article, submit, settings):
    """Maria ticks the box, is mailed a confirmation, stops all mail from its link, and later
    erases everything with the erase link she was mailed before. Returns the links she kept."""
    submit(article, email=EMAIL, notify=True)
    [confirmation] = mailed_to(EMAIL)
    stop = _link(confirmation, "/comments/stop-mail/", settings)
    assert "No more mail from us" in reader.post(stop).content.decode()
    address = CommenterAddress.objects.get(email=EMAIL)
    erase = links.privacy_url(address.pk, "erase").removeprefix(settings.SITE_URL)

    landing = reader.get(erase).content.decode()
    assert "one-way fingerprint" in landing  # she is told what is kept, and why
    assert "Your comments are erased" in reader.post(erase).content.decode()
    mail.outbox.clear()
    return {"stop": stop, "erase": erase}


def test_a_stranger_typing_an_erased_address_whose_owner_stopped_mail_mails_nothing(
    reader, article, submit, stopped_then_erased
):
    assert _rows_holding(EMAIL) == []

    submit(article, name="Not Maria", email=EMAIL, notify=True, notify_reply=True)
    reader.post(PRIVACY, {"email": EMAIL, "action": "export"})
    reader.post(PRIVACY, {"email": EMAIL, "action": "erase"})

    assert mailed_to(EMAIL) == []
    assert CommenterAddress.objects.get(email=EMAIL).mail_stopped_at is not None


def test_after_the_erase_her_erase_link_is_spent_and_her_stop_link_still_resumes_mail(
    reader, article, submit, stopped_then_erased
):
    assert reader.get(stopped_then_erased["erase"]).status_code == 404
    assert "Mail is stopped" in reader.get(stopped_then_erased["stop"]).content.decode()

    reader.post(stopped_then_erased["stop"], {"resume": "1"})
    submit(article, email=EMAIL, notify=True)

    [confirmation] = mailed_to(EMAIL)
    assert "confirm" in confirmation.subject.lower()


def test_an_erase_without_a_stop_says_nothing_of_a_fingerprint(reader, article, submit, settings):
    submit(article, email=EMAIL, notify=True)
    address = CommenterAddress.objects.get(email=EMAIL)
    erase = links.privacy_url(address.pk, "erase").removeprefix(settings.SITE_URL)

    assert "fingerprint" not in reader.get(erase).content.decode()
    reader.post(erase)
    assert not CommenterAddress.objects.exists()


def test_the_stop_link_of_an_erased_address_has_nothing_to_export(reader, stopped_then_erased):
    # The page offers no export here; a button sent anyway gets the truth, not "No more mail".
    answered = reader.post(stopped_then_erased["stop"], {"export": "1"}).content.decode()

    assert "Nothing to export" in answered and "No more mail from us" not in answered
    assert mailed_to(EMAIL) == []


@pytest.mark.parametrize("spelling", ["maria+1@example.com", '"Maria"@example.com'])
def test_her_stop_holds_for_other_spellings_of_her_inbox_after_the_erase(
    reader, article, submit, stopped_then_erased, spelling
):
    """Her stop held for `maria+1@…` before she erased: after it, only for the address as
    she had typed it, and a stranger had her inbox mailed again under another spelling."""
    assert _rows_holding("maria@example.com") == []  # her inbox is not kept in clear either

    submit(article, name="Not Maria", email=spelling, notify=True, notify_reply=True)
    reader.post(PRIVACY, {"email": spelling, "action": "export"})

    assert mailed_to(spelling) == []
    assert mail.outbox == []


def test_a_stop_erased_before_inbox_hashes_learns_its_inbox_when_its_spelling_comes_back(
    article, submit
):
    """Erased before the release that kept the inbox's keyed hash, the row holds only the hash
    of the address as typed (migration 0019 gave it that as its mailbox): no migration can
    re-key it, since the address is nowhere in clear, and until that spelling is typed again,
    other spellings of the inbox are not held. Typed again, the row is taken back and its
    stop holds for every spelling from then on."""
    typed = "Maria.Lopez+news@gmail.com"
    hashed = erased_email(typed)
    CommenterAddress.objects.create(email=hashed, mailbox=hashed, mail_stopped_at=timezone.now())
    assert CommenterAddress.objects.get().mailbox == hashed  # as the older release left it

    submit(article, name="Not Maria", email=typed, notify=True, notify_reply=True)
    submit(article, name="Not Maria", email="marialopez@googlemail.com", notify=True)

    assert mailed_to("marialopez@googlemail.com") == [] and mail.outbox == []
    assert CommenterAddress.objects.get(email=typed.lower()).mailbox == "marialopez@gmail.com"


def test_her_stop_link_mails_a_link_to_the_comment_she_wrote_after_the_erase(
    reader, article, comment_form_data, settings
):
    """Maria stops all mail, erases everything, and writes again with her address, ticking no
    box. Her stop link's "Mail me a link to my comments" was gone (the stop was kept under a
    keyed hash only), and a press sent anyway said "We hold no comments from it": we do."""
    settings.COMMENTS_FLOOD_SECONDS = 0  # she writes again later
    post = reverse("comments:post", args=[article.pk])
    reader.post(post, comment_form_data(article, notify="on", body="Before I erase."))
    [confirmation] = mailed_to(EMAIL)
    stop = _link(confirmation, "/comments/stop-mail/", settings)
    reader.post(PRIVACY, {"email": EMAIL, "action": "erase"})
    erase = _link(mailed_to(EMAIL)[-1], "/comments/privacy/", settings)
    assert "No more mail from us" in reader.post(stop).content.decode()
    assert "Your comments are erased" in reader.post(erase).content.decode()
    reader.post(post, comment_form_data(article, body="Written after the erase."))
    mail.outbox.clear()

    page = reader.get(stop).content.decode()
    assert "Mail is stopped" in page and "Mail me a link to my comments" in page
    answered = reader.post(stop, {"export": "1"}).content.decode()

    assert "Check your mail" in answered and "We hold no comments" not in answered
    [export_mail] = mailed_to(EMAIL)
    export = _link(export_mail, "/comments/privacy/", settings)
    assert "Written after the erase." in reader.get(export).content.decode()
    # Still stopped: the export link alone came, as the stop page promises.
    assert CommenterAddress.objects.get(email=EMAIL).mail_stopped_at is not None


def test_her_erase_link_asks_to_erase_a_comment_she_wrote_since(
    reader, article, submit, stopped_then_erased
):
    """The comment written since takes back the row her stop was kept under: the link, hers,
    within its two days, shows it and erases it, her stop kept again as a hash."""
    submit(article, email=EMAIL, body="Written after the erase.")

    assert "We hold 1 comment made with your address" in (
        reader.get(stopped_then_erased["erase"]).content.decode()
    )
    assert "1 comment and your address" in (
        reader.post(stopped_then_erased["erase"]).content.decode()
    )
    assert _rows_holding(EMAIL) == []
    assert CommenterAddress.objects.get().mail_stopped_at is not None
