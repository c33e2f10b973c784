"""An owner who stopped all mail and then erased their comments: the stop outlives the erase, so
a stranger who types the address again cannot have us mail it, while no row holds the address
in clear."""

import re

import pytest
from django.core import mail

from comments import links
from comments.models import CommenterAddress
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
