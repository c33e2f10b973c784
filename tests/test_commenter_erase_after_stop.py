"""An owner who stopped all mail from the first mail we sent, without confirming the address,
and later wants every comment erased: the stop link, theirs alone, mails the erase link, as its
page says ("Only a link to export or erase your comments still comes, if you ask for one from
the status page of a comment you wrote or from this link")."""

import re

from django.core import mail
from django.urls import reverse

from comments.models import Comment, CommenterAddress
from comments.tokens import status_token
from tests.test_commenter_privacy import mailed_to

EMAIL = "maria@example.com"


def _link(message, path: str, settings) -> str:
    found = re.search(rf"https?://\S+{path}\S+/", message.body).group(0)
    return found.removeprefix(settings.SITE_URL)


def test_a_stopped_owner_who_never_confirmed_gets_the_erase_link_from_the_stop_link(
    reader, article, comment_form_data, settings
):
    """Her status page's Erase mails nothing to a stopped address for a comment she never
    vouched for (anyone may post with it), and her stop link offered only the export: she had
    no way to erase everything short of sending mail again."""
    post = reverse("comments:post", args=[article.pk])
    reader.post(post, comment_form_data(article, notify="on"))
    [confirmation] = mailed_to(EMAIL)
    stop = _link(confirmation, "/comments/stop-mail/", settings)
    assert "No more mail from us" in reader.post(stop).content.decode()
    mail.outbox.clear()
    status = reverse("comments:status", args=[status_token(Comment.objects.get())])
    reader.post(status + "privacy/", {"action": "erase"})
    assert mailed_to(EMAIL) == []  # as before: the status page alone does not speak for her

    page = reader.get(stop).content.decode()
    assert "Mail me a link to erase my comments" in page
    answered = reader.post(stop, {"erase": "1"}).content.decode()

    assert "a link to erase your comments" in answered
    [message] = mailed_to(EMAIL)
    erase = _link(message, "/comments/privacy/", settings)
    assert "Erase all my comments" in reader.get(erase).content.decode()
    assert "Your comments are erased" in reader.post(erase).content.decode()
    assert not Comment.objects.exists()
    # Her stop outlives the erase (as a keyed hash), as for any owner who stopped mail.
    assert CommenterAddress.objects.get().mail_stopped_at is not None


def test_the_erase_button_never_stops_or_starts_mail(reader, article, submit, settings):
    submit(article, email=EMAIL, notify=True)
    [confirmation] = mailed_to(EMAIL)
    stop = _link(confirmation, "/comments/stop-mail/", settings)
    mail.outbox.clear()

    # Mail not stopped: the page asks to stop it and offers no link; a press sent anyway
    # (a page drawn while it was stopped) mails the link and stops nothing.
    assert "Mail me a link to erase" not in reader.get(stop).content.decode()
    reader.post(stop, {"erase": "1"})

    assert CommenterAddress.objects.get(email=EMAIL).mail_stopped_at is None
    [message] = mailed_to(EMAIL)
    assert "Erase all my comments" in message.body
