"""Where each comment stands in the JSON download, as its status page and the export page say
it: the download never tells its owner one thing and the pages another."""

import json
import re

from django.test import Client
from django.utils import timezone

from comments import links
from comments.models import Comment
from comments.screening import BLOCKED_EMAIL
from tests.mail_helpers import verify


def _said(page: str) -> list[str]:
    """What each "Status:" on a page says, in plain words."""
    found = re.findall(r'class="comment-status">Status:(.*?)</(?:p|div)>', page, flags=re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", "", said).split()) for said in found]


def test_the_download_says_where_each_comment_stands_as_its_pages_do(
    article, make_comment, moderator, settings
):
    def mine(**fields):
        return make_comment(article, email="maria@example.com", **fields)

    waits_again = make_comment(article, status="approved", email="ana@example.com")
    comments = {
        "held for its address": mine(status="spam", held_because=[BLOCKED_EMAIL]),
        "held by the filters": mine(status="spam", held_because=["blocked word: casino"]),
        "marked spam": mine(status="spam", moderated_by=moderator, moderated_at=timezone.now()),
        "waiting": mine(),
        "published": mine(status="approved"),
        "off while its parent waits": mine(status="approved", parent=waits_again),
        "rejected": mine(status="rejected", rejection_reason="Off topic."),
        "taken down": mine(status="rejected", taken_down_at=timezone.now()),
    }
    Comment.objects.filter(pk=waits_again.pk).update(status="pending")
    link = links.privacy_url(verify("maria@example.com").pk, "export")
    link = link.removeprefix(settings.SITE_URL)

    download = json.loads(Client().get(link + "?download=1").getvalue())
    exported = {c["id"]: c for c in download["comments"]}
    listed = _said(Client().get(link).content.decode())

    status = {what: exported[c.pk]["status"] for what, c in comments.items()}
    assert status == {
        # Held for its address alone: waiting, as its writer's pages say (comments/status.py).
        "held for its address": "waiting",
        "held by the filters": "spam-by-filters",
        "marked spam": "spam-by-moderator",
        "waiting": "waiting",
        "published": "published",
        "off while its parent waits": "off-while-parent-waits",
        "rejected": "rejected",
        "taken down": "taken-down",
    }
    for what, comment in comments.items():
        words = exported[comment.pk]["status_words"]
        assert words in listed, what
        # Its own page may add where readers see it ("approved and published: see it on ...").
        [on_its_page] = _said(Client().get(comment.status_url).content.decode())
        assert on_its_page.startswith(words.removesuffix(".")), what
    held = exported[comments["held for its address"].pk]
    assert held["status_words"] == (
        "waiting for review. We review comments in the order they came in, usually within a few "
        "hours."
    )
    assert "spam" not in json.dumps(held)
    # What the moderator wrote to its writer is still theirs to keep.
    assert exported[comments["rejected"].pk]["rejection_reason"] == "Off topic."
