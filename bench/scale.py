"""`make bench-scale`: "a newsroom after three years". Creates its own database,
newsportal_bench_scale, on the PostgreSQL server of DATABASE_URL (default 127.0.0.1:5432),
migrates, loads bench/scale_load.py's archive, then measures in-process, with Django's test
client, the pages and jobs whose cost grows with the data: the median of 3 runs' time and the
queries of the last, one line each. It writes bench-results/bench-scale.json (and a copy named
by the time), each figure under a stable key in `figures`, and drops the database at the end
(or at the next run's start, if this one was stopped).

Environment: DATABASE_URL (only its server is used), SCALE_FACTOR (default 1; 0.1 loads a tenth
of everything, for a quick run whose figures are not the ones to quote).
"""

import io
import json
import os
import secrets
import shutil
import statistics
import time
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench.report import log
from bench.setup import DEFAULT_DATABASE_URL, RESULTS, ROOT, load_average, server_sql

DATABASE = "newsportal_bench_scale"
RUNS = 3
MEDIA = RESULTS / "media-scale"
COMMENTS = "/admin/comments/comment/"
WORD = "tunnel"  # a word of the vocabulary: in many comments


def environment(database_url: str) -> dict:
    """The site's settings for an in-process run: production's (DEBUG off), without Redis, so
    no fragment cache spares a page its queries, and with its own media root."""
    return {
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "NEWSPORTAL_ENV_FILE": "",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "SITE_URL": "http://testserver",
        "MEDIA_ROOT": str(MEDIA),
        "STATIC_ROOT": str(RESULTS / "static"),  # the main bench's copy: the same files
        "LOG_LEVEL": "ERROR",
        "FRAGMENT_CACHE_SECONDS": "0",
    }


class Meter:
    """Runs each measurement, prints its line and keeps its row."""

    def __init__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.connection, self.capture = connection, CaptureQueriesContext
        self.rows: dict[str, dict] = {}

    def run(self, key: str, label: str, call, runs: int = RUNS) -> dict:
        """`call` does the work once and returns (status, bytes of the answer)."""
        timings = []
        for _ in range(runs):
            with self.capture(self.connection) as captured:
                started = time.perf_counter()
                status, size = call()
                timings.append((time.perf_counter() - started) * 1000)
        queries = captured.captured_queries
        row = {
            "label": label,
            "status": status,
            "ms": round(statistics.median(timings), 1),
            "runs_ms": [round(t, 1) for t in timings],
            "queries": len(queries),
            # As Django's debug cursor times them: to the millisecond.
            "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
            "bytes": size,
        }
        self.rows[key] = row
        log(
            f"{label:<56} {status!s:>4} {row['ms']:>9.1f} ms {row['queries']:>5} q "
            f"{row['sql_ms']:>6.0f} ms SQL {size / 1024:>7.1f} KB"
        )
        return row

    def page(self, key: str, label: str, client, path: str) -> dict:
        def call():
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            return response.status_code, len(body)

        return self.run(key, label, call)


def archive() -> dict:
    """What was loaded, and what the measurements ask for by name."""
    from django.contrib.admin.models import LogEntry
    from django.db.models import Count

    from articles.models import Article, Section, Tag
    from bench.scale_load import HEAVY
    from comments.models import Comment

    def most_stories(model) -> str:
        return model.objects.annotate(n=Count("articles")).order_by("-n", "pk")[0].slug

    by_status = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "articles_published": Article.objects.published().count(),
        "comments": sum(by_status.values()),
        "comments_by_status": by_status,
        "heavy_commenter_comments": Comment.objects.filter(email=HEAVY[1]).count(),
        "admin_log_entries": LogEntry.objects.count(),
        "popular_tag": most_stories(Tag),
        "busiest_section": most_stories(Section),
    }


def measure(facts: dict) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from articles.models import Article, Section
    from bench import scale_load as data
    from comments import links
    from comments.models import Comment, CommenterAddress

    def client(username: str | None = None) -> Client:
        c = Client()
        if username:
            c.force_login(get_user_model().objects.get(username=username))
        return c

    meter = Meter()
    anonymous, moderator, admin = client(), client(data.MODERATOR), client(data.ADMIN)
    hot = Article.objects.order_by("-approved_comment_count", "pk").first()
    # Pages are of threads (replies count in the approved count, not in pages): past the last
    # one the article answers a redirect, not a page to time.
    threads = Comment.objects.top_level_for(hot).count()
    last_page = max(1, -(-threads // settings.COMMENTS_PER_PAGE))
    section = Section.objects.get(slug=facts["busiest_section"])
    facts["hot_article"] = {"path": hot.get_absolute_url(), "approved": hot.approved_comment_count}
    log(
        f"Most commented: {hot.approved_comment_count} approved ({last_page} pages); commenter "
        f"{data.HEAVY[1]}: {facts['heavy_commenter_comments']} comments\n"
    )
    log(
        f"{'measurement':<56} {'code':>4} {'median':>12} {'queries':>7} {'in SQL':>11} {'size':>10}"
    )

    for key, label, path in [
        ("home", "home", "/"),
        ("home_page_300", "home ?page=300", "/?page=300"),
        ("section", f"section {section.slug}", section.get_absolute_url()),
        (
            "tag",
            f"tag {facts['popular_tag']} (three stories in ten)",
            f"/tag/{facts['popular_tag']}/",
        ),
        ("article_most_comments", "article with the most comments", hot.get_absolute_url()),
        (
            "article_most_comments_last_page",
            f"  its last comment page ({last_page})",
            f"{hot.get_absolute_url()}?comments-page={last_page}",
        ),
        ("search_common", f"search '{data.COMMON_WORD}'", f"/search/?q={data.COMMON_WORD}"),
        ("search_common_page_200", "  page 200", f"/search/?q={data.COMMON_WORD}&page=200"),
        (
            "search_topical",
            f"search '{data.TOPICAL_WORD}' (one story in ten)",
            f"/search/?q={data.TOPICAL_WORD}",
        ),
        (
            "search_rare",
            f"search '{data.RARE_WORD}' (five stories)",
            f"/search/?q={data.RARE_WORD}",
        ),
        ("feed_rss", "feed (RSS)", "/feed/"),
        ("feed_atom", "feed (Atom)", "/atom/"),
        ("feed_section", "section feed", f"{section.get_absolute_url()}feed/"),
        ("sitemap_index", "sitemap index", "/sitemap.xml"),
        ("sitemap_articles_1", "  its first article page", "/sitemap-articles.xml?p=1"),
        ("sitemap_news", "news sitemap", "/sitemap-news.xml"),
    ]:
        meter.page(key, label, anonymous, path)

    heavy_query = urlencode({"email": data.HEAVY[1]})
    for key, label, path in [
        ("admin_index", "admin index (moderator)", "/admin/"),
        ("queue_pending", "pending queue, page 1", COMMENTS),
        ("comments_all", "comment list ?status=all, page 1", f"{COMMENTS}?status=all"),
        ("comments_search_email", "  search an e-mail", f"{COMMENTS}?status=all&q={data.HEAVY[1]}"),
        ("comments_search_ip", "  search an IP", f"{COMMENTS}?status=all&q={data.HEAVY[2]}"),
        ("comments_search_word", f"  search a word ('{WORD}')", f"{COMMENTS}?status=all&q={WORD}"),
        ("commenter_page", "commenter's page (heavy@)", f"{COMMENTS}commenter/?{heavy_query}"),
    ]:
        meter.page(key, label, moderator, path)

    decided = Comment.objects.filter(article=hot, moderated_by__isnull=False).order_by("pk").first()
    for key, label, path in [
        ("blocks", "Blocks list (superuser)", "/admin/comments/block/"),
        ("comment_history", "a comment's History", f"{COMMENTS}{decided.pk}/history/"),
        ("article_admin_list", "article admin list", "/admin/articles/article/"),
        (
            "article_change_form",
            "  change form (most commented)",
            f"/admin/articles/article/{hot.pk}/change/",
        ),
    ]:
        meter.page(key, label, admin, path)

    # The mailed links of the privacy page, as the heavy commenter follows them.
    address = CommenterAddress.objects.get(email=data.HEAVY[1])
    site = len(settings.SITE_URL)
    export = links.privacy_url(address.pk, "export")[site:]
    erase = links.privacy_url(address.pk, "erase")[site:]
    meter.page(
        "privacy_export", "privacy export, download (heavy@)", anonymous, f"{export}?download=1"
    )

    def erase_rolled_back():
        # Rolled back, so the next run erases the same comments.
        with transaction.atomic():
            response = anonymous.post(erase)
            transaction.set_rollback(True)
        return response.status_code, len(response.content)

    meter.run("privacy_erase", "privacy erase, POST (heavy@, rolled back)", erase_rolled_back)

    said = io.StringIO()

    def prune():
        said.seek(0)
        said.truncate()
        call_command("prune_comments", stdout=said)
        return "-", 0

    # Once each: the job changes the data (the first run deletes, the second is a day's run).
    for key, label in (("prune_first", "prune_comments, first run"), ("prune_second", "  again")):
        meter.run(key, label, prune, runs=1)
        meter.rows[key]["said"] = said.getvalue().strip()
        log(f"    {meter.rows[key]['said']}")
    return meter.rows


def main() -> None:
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    database_url = urlunsplit(parts._replace(path=f"/{DATABASE}"))
    os.environ.pop("REDIS_URL", None)
    os.environ.update(environment(database_url))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    load_at_start = load_average()
    started = time.monotonic()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench import scale_load

    factor = float(os.environ.get("SCALE_FACTOR") or 1)
    log(f"Scale benchmark {stamp}: database {DATABASE} on {parts.hostname}:{parts.port or 5432}")
    log(f"Load average at the start: {' '.join(map(str, load_at_start))} ({os.cpu_count()} CPUs)")
    shutil.rmtree(MEDIA, ignore_errors=True)
    server_sql(database_url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    server_sql(database_url, f'CREATE DATABASE "{DATABASE}"')
    try:
        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)  # pages name hashed files
        log(f"Loading at SCALE_FACTOR={factor:g}")
        load_started = time.monotonic()
        scale_load.load(factor, log=log)
        facts = {"scale_factor": factor, "load_s": round(time.monotonic() - load_started)}
        facts |= archive()
        log(
            f"  loaded in {facts['load_s']} s: {facts['articles_published']} published stories, "
            f"{facts['comments']} comments {facts['comments_by_status']}, "
            f"{facts['admin_log_entries']} admin log entries"
        )
        rows = measure(facts)
    finally:
        connections.close_all()
        server_sql(database_url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        shutil.rmtree(MEDIA, ignore_errors=True)

    results = {
        "timestamp": stamp,
        "git_commit": os.popen("git rev-parse --short HEAD").read().strip(),  # noqa: S605
        "cpu_count": os.cpu_count(),
        # Other work on the machine skews every figure: keep the load average with them.
        "load_average_at_start": load_at_start,
        "load_average_at_end": load_average(),
        "runs": RUNS,
        "archive": facts,
        "measurements": rows,
        "elapsed_s": round(time.monotonic() - started),
    }
    results["figures"] = {
        f"{key}.{field}": row[field] for key, row in rows.items() for field in ("ms", "queries")
    } | {"scale_factor": factor, "load_average_at_start": load_at_start}
    log(
        f"\nLoad average: {' '.join(map(str, load_at_start))} at the start, "
        f"{' '.join(map(str, results['load_average_at_end']))} at the end"
    )
    if load_at_start[0] > 1.0:
        log(f"NOTE: load average {load_at_start[0]:.1f} at the start: other work shared the CPUs")
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(results, indent=2, default=str)
    (RESULTS / f"bench-scale-{stamp}.json").write_text(text)
    (RESULTS / "bench-scale.json").write_text(text)
    log(
        f"Wrote {(RESULTS / 'bench-scale.json').relative_to(ROOT)} and bench-scale-{stamp}.json "
        f"({results['elapsed_s']} s; database {DATABASE} dropped)"
    )


if __name__ == "__main__":
    main()
