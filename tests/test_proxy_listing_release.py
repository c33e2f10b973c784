"""A tag's or an author's page under a story scheduled for later answers "not found" until the
story's time, from the proxy too (tests/test_listing_unpublished_entries.py), and opens on time:
no write happens then, and the worker's release purges the lists, whose key that "not found"
carries, as it does for the home page and the sections."""

import re
import time
import uuid

from tests.proxy_stack import warm

LEAD_SECONDS = 12  # time enough to start manage.py's shell and warm the pages before then


def test_pages_kept_as_not_found_open_within_ten_seconds_of_their_story_s_time(stack):
    mark = uuid.uuid4().hex[:8]
    tag_path, author_path = f"/tag/rumour-{mark}/", f"/author/newhire-{mark}/"
    out = stack.manage(
        "shell",
        "-c",
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from articles.listing_services import save_listing_entries\n"
        "from articles.models import Article, Author, Section, Tag\n"
        "from articles.services import save_article, set_bylines\n"
        f"tag = Tag(name='Rumour {mark}', slug='rumour-{mark}')\n"
        f"writer = Author(name='Newhire {mark}', slug='newhire-{mark}', bio='Rival Times.')\n"
        "save_listing_entries(objs=[tag, writer])\n"
        f"when = timezone.now() + timedelta(seconds={LEAD_SECONDS})\n"
        "story = save_article(article=Article(\n"
        f"    title='Embargoed {mark}', slug='embargoed-{mark}', standfirst='Soon.',\n"
        "    body='Not yet.', section=Section.objects.first(),\n"
        "    status=Article.Status.PUBLISHED, published_at=when))\n"
        "story.tags.set([tag])\n"
        "set_bylines(article=story, authors=[writer])\n"
        "print(f'at={when.timestamp()}')",
    )
    goes_out = float(re.search(r"at=([0-9.]+)", out)[1])
    try:
        for path in (tag_path, author_path):
            kept = warm(stack, path)
            assert (kept.status, kept.header("X-Cache")) == (404, "HIT"), path
            assert mark not in kept.text
        assert time.time() < goes_out, "too slow to see the pages before the story's time"

        for path in (tag_path, author_path):
            while (page := stack.get(path)).status == 404:
                assert time.time() < goes_out + 10, f"{path} did not open within 10 s"
                time.sleep(0.25)
            assert page.status == 200 and f"Embargoed {mark}" in page.text, path
    finally:
        # The stack is every proxy test's: its home page lists the demo's stories again.
        stack.manage(
            "shell",
            "-c",
            "from articles.listing_services import delete_listing_entries\n"
            "from articles.models import Article, Author, Tag\n"
            "from articles.services import delete_articles\n"
            f"delete_articles(queryset=Article.objects.filter(slug='embargoed-{mark}'))\n"
            f"delete_listing_entries(queryset=Tag.objects.filter(slug='rumour-{mark}'))\n"
            f"delete_listing_entries(queryset=Author.objects.filter(slug='newhire-{mark}'))",
        )
