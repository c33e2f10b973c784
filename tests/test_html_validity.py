"""Every page type a reader can reach passes the W3C Nu HTML checker with no errors.

`make nu` (a prerequisite of `make test`) installs npm's vnu-jar into .vnu/ and Java when it is
missing. The checker runs once, on all pages, so the JVM starts once. Feeds and sitemaps are
XML, checked by their own tests.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.demo_content import LEAD_SLUG
from articles.live_pages import LIVE_UPDATES_PER_PAGE
from articles.live_services import post_update
from articles.models import Article
from comments.models import Comment

BASE_DIR = Path(__file__).resolve().parent.parent
VNU_JAR = BASE_DIR / ".vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(pages: dict[str, str], directory: Path) -> list[str]:
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), "The Nu HTML checker is missing: run `make nu`"
    files = []
    for name, html in pages.items():
        path = directory / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
    result = subprocess.run(
        [*command, "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr)["messages"]  # the checker reports on stderr
    return [
        f"{Path(m.get('url', '?')).stem}:{m.get('lastLine', '?')}: {m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


@pytest.fixture
def demo(db):
    call_command("load_demo_content", "--no-user", verbosity=0)
    call_command("load_demo_comments", verbosity=0)
    return Article.objects.get(slug=LEAD_SLUG)


def page(client, url, status=200, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    return response.content.decode()


def test_every_page_type_has_no_html_errors(demo, client, comment_form_data, settings, tmp_path):
    settings.DEBUG = False  # the real error pages
    tag = demo.tags.first()
    author = demo.authors.first()
    pending = Comment.objects.pending().filter(article=demo).first()
    pages = {
        "home": page(client, "/"),
        "home-page-2": page(client, "/?page=2"),
        "section": page(client, demo.section.get_absolute_url()),
        "follow": page(client, reverse("articles:follow")),
        "section-follow": page(
            client, reverse("articles:section-follow", args=[demo.section.slug])
        ),
        "tag": page(client, tag.get_absolute_url()),
        "author": page(client, author.get_absolute_url()),
        "article": page(client, demo.get_absolute_url()),  # with its correction and question
        "corrections": page(client, reverse("articles:corrections")),
        "search": page(client, reverse("articles:search") + "?q=Xiaomi"),
        "search-no-results": page(client, reverse("articles:search") + "?q=zzzzqqq"),
        "search-no-words": page(client, reverse("articles:search") + "?q=%22((%3C"),
        "not-found": page(client, "/articles/no-such-story/", status=404),
        "comment-status": page(client, pending.status_url),
    }
    assert 'id="corrections"' in pages["article"] and "DeepMotion" in pages["corrections"]
    assert 'class="readers-question"' in pages["article"]  # the demo asks its readers
    assert 'class="breaking-news' in pages["section"]  # and runs a breaking-news strip
    post_url = reverse("comments:post", args=[demo.pk])
    refused = client.post(post_url, comment_form_data(demo, body=""))
    pages["comment-form-errors"] = refused.content.decode()
    parent = Comment.objects.approved().filter(article=demo, parent__isnull=True).first()
    reply = client.post(post_url, comment_form_data(demo, body="", parent=str(parent.pk)))
    assert "Reply to" in reply.content.decode()
    pages["reply-form-errors"] = reply.content.decode()
    # No JavaScript, so no token from /comments/form-token/: the form back, to send once more.
    again = Client(enforce_csrf_checks=True).post(post_url, comment_form_data(demo))
    assert "once more" in again.content.decode()
    pages["send-once-more"] = again.content.decode()
    pages["comment-privacy"] = page(client, reverse("comments:privacy"))
    # A coverage longer than a page: the story's page leads to the earlier updates' own.
    live = Article.objects.filter(live_since__isnull=False).first()
    for n in range(LIVE_UPDATES_PER_PAGE):
        post_update(article=live, text=f"Update {n}", headline=f"Event {n}", key_event=n == 0)
    pages["live-story"] = page(client, live.get_absolute_url())
    assert "Earlier updates" in pages["live-story"]
    pages["live-earlier"] = page(client, reverse("articles:live-updates", args=[live.slug, 2]))
    sent = client.post(post_url, comment_form_data(demo), follow=True)
    assert b"Comment sent successfully!" in sent.content
    pages["comment-success"] = sent.content.decode()

    errors = nu_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
