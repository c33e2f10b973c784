"""The text part of every mail reads well on a narrow phone and in a wide client alike: no
paragraph is hard-wrapped (a long headline used to leave ragged lines), the client wraps it to
the screen; and every link stands whole on a line of its own, for a client to make clickable."""

import re

from django.core import mail

from articles.models import Article
from tests.test_mail_headers import _every_kind_of_mail

HEADLINE = (
    "Regional transport authority confirms the overnight closure of three central stations "
    "for the whole of the winter maintenance programme"
)
URL = re.compile(r"https?://\S+")


def test_no_paragraph_is_hard_wrapped_and_every_link_has_its_own_line(
    article, submit, make_comment, moderator, reader, settings
):
    Article.objects.filter(pk=article.pk).update(title=HEADLINE)

    sent = _every_kind_of_mail(article, submit, make_comment, moderator, reader, settings)

    assert len(mail.outbox) == 7  # an export's link and an erase's, under one subject
    for message in mail.outbox:
        subject = message.subject
        for line in message.body.splitlines():
            for url in URL.findall(line):
                assert line.strip() == url, (subject, line)
            if line.strip() and not URL.fullmatch(line.strip()) and not line.startswith("— "):
                # A sentence cut short by a hard wrap ends in the middle of it.
                assert line.rstrip()[-1] in '.,:!?)”"', (subject, line)
    decision = sent["Your comment has been reviewed"].body
    assert f"Thank you for your comment on “{HEADLINE}”.\n" in decision
    asked = sent["Is this comment yours?"].body
    assert f"Someone commented on “{HEADLINE}” on Newsportal with this address and asked" in asked
