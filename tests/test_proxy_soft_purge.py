"""Purges keep the stale copies stale-if-error needs, without costing freshness.

Every article save purges `latest` (on every article page) and every approved comment `list`
(on every list, feed and sitemap), so a purge that deleted the stored copies would leave the
readers of nearly every page with an error page if the database went down after any edit. The
proxy soft-purges instead: the copies stay, for errors only. While the origin answers, the
next reader after a purge gets the new page (the proxy fetches it first); while it cannot,
they get the copy. And a reader who sends something (a comment) while the origin is down is
told it was not received and how to get their text back.

A stack of its own, on a Redis database of its own: these tests take its database down."""

import contextlib
import os
import re
import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from tests.page_forms import scrape_form
from tests.proxy_stack import Response, Stack, running_stack, warm
from tests.test_proxy_fake_origin import proxy_of_fake_origin  # noqa: F401  (a fixture)


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("soft-purge")) as running:
        yield running


def _slug(path: str) -> str:
    return path.strip("/").rsplit("/", 1)[-1]


def _retitle(stack: Stack, path: str, title: str) -> None:
    """An editor's save (the service the admin calls): purges the article, `list`, `latest`,
    its section and tags, after commit."""
    stack.manage(
        "shell",
        "-c",
        "from articles.models import Article\n"
        "from articles import services\n"
        f"article = Article.objects.get(slug={_slug(path)!r})\n"
        f"article.title = {title!r}\n"
        "services.save_article(article=article)",
    )


def _unpublish(stack: Stack, path: str) -> None:
    stack.manage(
        "shell",
        "-c",
        "from articles.models import Article\n"
        "from articles import services\n"
        f"services.unpublish_articles(queryset=Article.objects.filter(slug={_slug(path)!r}))",
    )


def _story(stack: Stack, path: str) -> tuple[str, str, str, str]:
    """A story's title, its section's page, another section's page, and the newest story in
    another section that neither links to it nor shares a tag with it (its page shows the
    story in its rail of newest stories only)."""
    with sqlite3.connect(stack.db_path, timeout=5) as db:
        pk, title, section_id, section = db.execute(
            "SELECT a.id, a.title, s.id, s.slug FROM articles_article a"
            " JOIN articles_section s ON s.id = a.section_id WHERE a.slug = ?",
            (_slug(path),),
        ).fetchone()
        [other_section] = db.execute(
            "SELECT slug FROM articles_section WHERE id != ? LIMIT 1", (section_id,)
        ).fetchone()
        [rail_only] = db.execute(
            "SELECT slug FROM articles_article WHERE status = 'published' AND section_id != ?"
            " AND id NOT IN (SELECT article_id FROM articles_article_tags WHERE tag_id IN"
            "  (SELECT tag_id FROM articles_article_tags WHERE article_id = ?))"
            " AND id NOT IN (SELECT article_id FROM articles_relatedlink"
            "  WHERE target_article_id = ?)"
            " ORDER BY published_at DESC LIMIT 1",
            (section_id, pk, pk),
        ).fetchone()
    return title, f"/section/{section}/", f"/section/{other_section}/", f"/articles/{rail_only}/"


def _approve_new_comment(stack: Stack, path: str, body: str) -> None:
    stack.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from articles.models import Article\n"
        "from comments.models import Comment\n"
        "from comments.services import decide\n"
        f"c = Comment.objects.create(article=Article.objects.get(slug={_slug(path)!r}),"
        f" name='Grace Hopper', email='grace@example.com', body={body!r},"
        " status=Comment.Status.PENDING)\n"
        "decide(Comment.objects.filter(pk=c.pk), status=Comment.Status.APPROVED,"
        " by=get_user_model().objects.get(username='editor'))",
    )


def _probe_says_down(stack: Stack) -> bool:
    # While the health probe says the origin is up, /healthz reaches Django (its own 503 JSON
    # when the database is down); once it says down, Varnish does not try and answers itself.
    return "Back in a moment" in stack.get("/healthz").text


def _wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.25)


@contextlib.contextmanager
def database_down(stack: Stack, *, until_the_probe_says_so: bool = False):
    """The database goes away (as PostgreSQL stopping would): every new connection fails, so
    /healthz and every page Django draws fail. The SQLite files are moved aside (each request
    opens its own connection) and a file that is not a database takes their place."""
    files = [Path(f"{stack.db_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    aside = {path: path.with_name(path.name + ".aside") for path in files if path.exists()}
    for path, moved in aside.items():
        os.rename(path, moved)
    stack.db_path.write_bytes(b"not a database " * 512)
    try:
        if until_the_probe_says_so:
            _wait_for(lambda: _probe_says_down(stack), 20, "the health probe never said down")
        yield
    finally:
        for path in files:
            path.unlink(missing_ok=True)
        for path, moved in aside.items():
            os.rename(moved, path)
        # Leave the stack as found: the probe says up again before the next test.
        _wait_for(lambda: stack.get("/healthz").status == 200, 30, "the origin did not come back")


def _title(page: Response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S).group(1).strip()


# --- 1. A purge keeps the copies stale-if-error needs ---------------------------------------------


def test_after_an_unrelated_edit_a_cached_article_is_still_served_while_the_database_is_down(
    own_stack,
):
    stack = own_stack
    reader = stack.articles[0]
    page = warm(stack, reader)
    assert page.header("X-Cache") == "HIT"
    # A story the page does not show (a story it links to changed under it: that copy goes),
    # from every story: its rail shows the newest ones and those of its section.
    every = re.findall(
        r"<loc>[^<]*?(/articles/[^<]+/)</loc>", stack.get("/sitemap-articles.xml").text
    )
    [edited, *_] = [path for path in every if path != reader and f'href="{path}"' not in page.text]

    # Another story is edited: its save purges `latest`, which every article page carries.
    _retitle(stack, edited, f"An unrelated story, retitled {uuid.uuid4().hex[:8]}")

    with database_down(stack):
        # The probe still says up: the proxy asks Django first, then falls back to its copy.
        response = stack.get(reader)
        assert response.status == 200, (response.status, response.header("X-Cache"))
        assert response.body == page.body
        # Once the probe says down, the copy is served without asking.
        _wait_for(lambda: _probe_says_down(stack), 20, "the health probe never said down")
        response = stack.get(reader)
        assert response.status == 200, (response.status, response.header("X-Cache"))
        assert response.body == page.body


# --- 2. ...and the next reader after a purge still gets the new page ------------------------------


def test_after_a_purge_the_very_next_reader_gets_the_new_page(own_stack):
    stack = own_stack
    article = stack.articles[1]
    for path in (article, "/"):
        assert warm(stack, path).header("X-Cache") == "HIT"

    title = f"Retitled through the proxy {uuid.uuid4().hex[:8]}"
    _retitle(stack, article, title)
    first = stack.get(article)
    assert first.status == 200
    assert _title(first) == title  # the first request after the write, not the second
    assert first.header("X-Cache") == "MISS"
    assert title in stack.get("/").text
    assert stack.get(article).header("X-Cache") == "HIT"  # stored again, for the next readers

    body = f"Approved, shown to the very next reader {uuid.uuid4().hex}."
    _approve_new_comment(stack, article, body)
    assert body in stack.get(article).text


def test_a_purge_of_a_page_already_past_its_freshness_reaches_the_next_reader(
    proxy_of_fake_origin,  # noqa: F811
):
    """Against an origin the test controls (s-maxage=2, stale-while-revalidate=3): a copy that
    has expired but is still within its stale-while-revalidate window is not merely handed
    out with a background refresh once it has been purged."""
    proxy, origin = proxy_of_fake_origin
    # A purge before the copies were stored does not concern them.
    proxy.fetch("PURGE", "/", headers={"xkey-purge": "elsewhere"}, port=proxy.purge_port)
    assert proxy.get("/page").body == b"v1"
    assert proxy.get("/other").body == b"v1"
    time.sleep(2.5)  # past s-maxage, within stale-while-revalidate
    origin.body = b"v2"
    # Not purged since it expired: the old copy at once, refreshed in the background.
    assert proxy.get("/other").body == b"v1"

    purge = proxy.fetch("PURGE", "/", headers={"xkey-purge": "page"}, port=proxy.purge_port)
    assert purge.status == 200
    assert proxy.get("/page").body == b"v2"


def test_a_taken_down_comment_or_story_never_comes_back_from_the_cache_during_an_outage(
    own_stack,
):
    """What a write names itself (`article-N`: the page a comment was taken down from, a
    story pulled) is purged for good; only the wide keys keep their copies for errors."""
    stack = own_stack
    page = warm(stack, stack.articles[1])
    assert page.header("X-Cache") == "HIT"
    _retitle(stack, stack.articles[1], f"Pulled for legal reasons {uuid.uuid4().hex[:8]}")

    with database_down(stack, until_the_probe_says_so=True):
        response = stack.get(stack.articles[1])
        assert response.status == 503
        assert response.body != page.body


def test_a_story_taken_down_leaves_every_list_that_showed_it_even_during_an_outage(own_stack):
    """A pulled story's headline, lead and snippet are on the home page, its section, the
    feeds, search results and other stories' rails too: those copies go for good with it
    (`listed-N`); a list that never showed it keeps its copy for the outage."""
    stack = own_stack
    story = stack.articles[3]
    title, section, elsewhere, rail_only = _story(stack, story)
    word = max(re.findall(r"\w+", title), key=len)
    showing = ["/", "/feed/", section, f"/search/?q={word}", rail_only]
    for path in showing:
        page = warm(stack, path)
        assert page.header("X-Cache") == "HIT", path
        assert f"/articles/{_slug(story)}/" in page.text, path
    kept = warm(stack, elsewhere)
    assert kept.header("X-Cache") == "HIT"
    assert f"/articles/{_slug(story)}/" not in kept.text

    _unpublish(stack, story)

    with database_down(stack, until_the_probe_says_so=True):
        gone = {path: stack.get(path) for path in showing}
        still = stack.get(elsewhere)
    assert {path: response.status for path, response in gone.items()} == dict.fromkeys(showing, 503)
    assert not [path for path, response in gone.items() if _slug(story) in response.text]
    assert (still.status, still.body) == (200, kept.body)


def test_a_purged_copy_is_served_when_the_origin_is_gone(proxy_of_fake_origin):  # noqa: F811
    proxy, origin = proxy_of_fake_origin
    assert proxy.get("/page").body == b"v1"
    assert proxy.get("/page").header("X-Cache") == "HIT"
    purge = proxy.fetch("PURGE", "/", headers={"xkey-purge": "site"}, port=proxy.purge_port)
    assert purge.status == 200
    assert purge.text.strip() == "Purged 1 objects"

    origin.shutdown()
    origin.server_close()
    response = proxy.get("/page")
    assert (response.status, response.body) == (200, b"v1")
    # A page never stored has nothing to fall back on.
    response = proxy.get("/never-stored")
    assert response.status == 503
    assert "Back in a moment" in response.text


def test_a_purged_copy_is_served_within_seconds_when_the_origin_hangs(
    proxy_of_fake_origin,  # noqa: F811
):
    # Hung, not down: its health check still passes, so only the fetch's own timeout can tell.
    proxy, origin = proxy_of_fake_origin
    assert proxy.get("/page").body == b"v1"
    proxy.fetch("PURGE", "/", headers={"xkey-purge": "site"}, port=proxy.purge_port)

    origin.answering.clear()
    try:
        started = time.monotonic()
        response = proxy.get("/page", timeout=60)
        waited = time.monotonic() - started
    finally:
        origin.answering.set()
    assert (response.status, response.body) == (200, b"v1")
    assert waited < 10  # not gunicorn's timeout and more (35 s) for a page the proxy holds


# --- 3. What a reader sent while the origin was down ----------------------------------------------


def test_a_comment_sent_while_the_origin_is_down_is_said_not_received(own_stack):
    stack = own_stack
    article = stack.articles[2]
    action, fields = scrape_form(warm(stack, article).text, "comment-form")
    body = f"Sent while the site was down {uuid.uuid4().hex}."
    fields.update(name="Ada Reader", email="ada.reader@example.com", body=body)

    with database_down(stack, until_the_probe_says_so=True):
        sent = stack.post(action, fields)
        reading = stack.get(f"/never-stored-{uuid.uuid4().hex}/")

    assert sent.status == 503, sent.text[:2000]
    assert sent.header("X-Cache") == "PASS"
    text = re.sub(r"\s+", " ", sent.text)
    assert "was not received" in text
    assert "Back button" in text and "your text" in text
    assert body not in sent.text  # nothing of what was sent comes back in the page
    assert "<script" not in sent.text
    assert sent.header("Retry-After") == "5"
    assert sent.header("Cache-Control") == "no-store"
    assert sent.header("Content-Security-Policy") == "default-src 'none'"
    assert stack.comment_status(body) is None

    # A reader who was only reading gets the page they always got.
    assert reading.status == 503
    assert "Back in a moment" in reading.text
    assert "not received" not in reading.text
    assert reading.header("Retry-After") == "5"
