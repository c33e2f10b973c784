"""Demo comments on the lead demo article, so a new moderator opens a queue that shows its work.

Every comment goes through comments.services, as a reader's would: the screen records its real
reasons (links, a moderation word, a first-time commenter), and the approved ones are approved
by the demo editor, moving the article's count and purging its pages like any decision.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from articles.demo_content import LEAD_SLUG
from articles.models import Article
from comments.closing import comments_open
from comments.models import Comment, ModerationPolicy
from comments.picks import pick
from comments.policy_services import update_policy
from comments.services import approve, submit_comment

DATA = json.loads(
    (Path(__file__).resolve().parents[2] / "demo_comments.json").read_text(encoding="utf-8")
)
# The purge queue too: the pages are purged as the load commits (newsportal.caching.purge);
# only the worker's second purge, for a page drawn meanwhile, is left out of a demo's load
# (the dummy backend refused the purge queue, and logged "purge not queued" once a comment).
NO_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["mail", "purge"]}
}
# Readers seem to arrive a few minutes apart after publication.
STEP = timedelta(minutes=6)


def demo_emails() -> set[str]:
    threads = DATA["threads"]
    emails = {c["email"] for c in threads} | {r["email"] for c in threads for r in c["replies"]}
    return emails | {c["email"] for c in DATA["pending"]}


class Command(BaseCommand):
    help = (
        "Load demo comments on the lead demo article: approved threads with replies, and a few "
        "waiting for moderation (safe to run again: once there, nothing changes)."
    )

    def handle(self, *args, **options):
        # By its old address too: an editor who corrected its headline's slug keeps the story.
        article = (
            Article.objects.filter(slug=LEAD_SLUG).first()
            or Article.objects.filter(old_slugs__slug=LEAD_SLUG).first()
        )
        if article is None:
            self.stderr.write("No demo article yet: run `manage.py load_demo_content` first.")
            return
        if Comment.objects.filter(article=article, email__in=demo_emails()).exists():
            if options["verbosity"]:
                self.stdout.write("Demo comments are already there.")
            return
        if not comments_open(article):
            # An old demo database: its lead is past the commenting window.
            if options["verbosity"]:
                self.stderr.write(f"Comments are closed on “{article.title}”: no demo comments.")
            return
        # The demo's comments are not readers waiting for an answer: nobody is mailed about them
        # (the mail queue's tasks go nowhere, whichever backend the site uses).
        no_mail = override_settings(TASKS=NO_TASKS)
        with no_mail, transaction.atomic():
            created = self._load(article)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo comments ready: {created} on “{article.title}”, "
                    f"{len(DATA['pending'])} waiting for moderation."
                )
            )

    def _load(self, article) -> int:
        if not ModerationPolicy.objects.filter(pk=1).exists():
            # A first policy with a few words to look at twice (staff edit it in the admin).
            update_policy(
                policy=ModerationPolicy(moderation_words="\n".join(DATA["moderation_words"]))
            )
        editor = (
            get_user_model()
            .objects.filter(username=os.environ.get("DEMO_ADMIN_USER") or "editor")
            .first()
        )
        start = max(article.published_at, timezone.now() - STEP * 40)
        comments = []
        addresses = {}  # each reader writes from one address (documentation range)

        def post(spec, *, parent=None, publish=True):
            comment = submit_comment(
                article=article,
                parent=parent,
                name=spec["name"],
                email=spec["email"],
                body=spec["body"],
                ip=addresses.setdefault(spec["email"], f"203.0.113.{len(addresses) + 10}"),
                notify=False,
                user=editor if spec.get("newsroom") else None,
            )
            if publish:
                approve(comment=comment, by=editor)
                comment.refresh_from_db()  # approved by an UPDATE: a reply checks its status
                if spec.get("pick"):
                    pick(comment=comment, by=editor, revision=comment.revision)
            comments.append(comment)
            return comment

        for thread in DATA["threads"]:
            parent = post(thread)
            for reply in thread["replies"]:
                post(reply, parent=parent)
        for spec in DATA["pending"]:
            post(spec, publish=False)

        # Spread over the time since publication (never in the future), oldest first, each
        # approved a few minutes after it came in.
        now = timezone.now()
        for index, comment in enumerate(comments):
            created_at = min(start + STEP * (index + 1), now)
            moderated = {"moderated_at": min(created_at + STEP / 2, now)}
            Comment.objects.filter(pk=comment.pk).update(
                created_at=created_at, **(moderated if comment.status != "pending" else {})
            )
        return len(comments)
