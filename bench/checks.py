"""Measurements made in-process against the bench database: the search plan, the queries of the
logged-in article page, and the admin's moderation queue (server time and queries, through
Django's test client)."""

import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, RelatedLink
from articles.search import search_articles
from comments.models import Comment

SEARCH_INDEX = "articles_article_search_gin"
QUEUE_URL = "/admin/comments/comment/"


def search_plan(word: str) -> dict:
    """EXPLAIN ANALYZE of the page the search view runs: the same queryset, first 10 rows."""
    queryset = search_articles(Article.objects.for_listing(), word)
    plan = queryset[:10].explain(analyze=True)
    return {
        "word": word,
        "matches": queryset.count(),
        "uses_gin_index": SEARCH_INDEX in plan,
        "plan": plan,
    }


def session_cookie(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _small_copy(article: Article) -> Article:
    """The article under test again, with 3 approved comments (one a reply) and 1 related link
    instead of 200 and 10."""
    authors, tags = list(article.authors.all()), list(article.tags.all())
    link = article.related_links.filter(target_article__isnull=False).first()
    skip = {"id", "slug", "search_vector", "approved_comment_count"}
    copy = Article.objects.create(
        slug=f"{article.slug}-few-comments",
        **{
            field.attname: getattr(article, field.attname)
            for field in Article._meta.concrete_fields
            if field.name not in skip
        },
    )
    copy.authors.set(authors)
    copy.tags.set(tags)
    RelatedLink.objects.create(
        article=copy, target_article_id=link.target_article_id, order=1, in_body_after_paragraph=2
    )
    now = timezone.now()
    approved = Comment.Status.APPROVED

    def comment(n: int, parent=None) -> Comment:
        return Comment.objects.create(
            article=copy,
            parent=parent,
            name=f"Reader {n}",
            email=f"reader{n}@example.com",
            body=f"A short comment, number {n}.",
            status=approved,
            created_at=now - timedelta(minutes=10 - n),
            moderated_at=now,
        )

    first = comment(1)
    comment(2)
    comment(3, parent=first)
    Article.objects.filter(pk=copy.pk).update(approved_comment_count=3)
    return copy


def article_queries(username: str, slug: str) -> dict:
    """Queries of the article page for a signed-in reader: the article under test (200 comments,
    10 related links) against a copy with 3 comments and 1 link, made in a transaction that is
    rolled back. Counted with the comment list drawn (its fragment cache off) and from the
    fragment cache; the count must not grow with the comments or the links."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    many = Article.objects.get(slug=slug)
    counts: dict[str, dict] = {}
    with transaction.atomic():
        few = _small_copy(many)
        pages = {
            "many": (many, many.approved_comment_count, many.related_links.count()),
            "few": (few, 3, 1),
        }
        for label, (article, n_comments, n_links) in pages.items():
            url = article.get_absolute_url()
            counts[label] = {"path": url, "comments": n_comments, "related_links": n_links}
            for mode, seconds in (("comments_drawn", 0), ("comments_from_fragment_cache", 3600)):
                with override_settings(FRAGMENT_CACHE_SECONDS=seconds):
                    client.get(url)  # warm: templates, session, the fragment cache
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(url)
                counts[label][mode] = len(captured.captured_queries)
                counts[label]["status"] = response.status_code
        transaction.set_rollback(True)
    modes = ("comments_drawn", "comments_from_fragment_cache")
    return {
        **counts,
        "constant": all(counts["many"][m] == counts["few"][m] for m in modes)
        and counts["many"]["status"] == counts["few"]["status"] == 200,
    }


def moderation_queue(username: str, repeats: int = 7) -> dict:
    """Time the pending queue's first page (the moderators' landing page) and count its
    queries; page 2 must cost the same number, however many comments wait."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    pages = {}
    for label, url in (("page_1", QUEUE_URL), ("page_2", QUEUE_URL + "?p=2")):
        response = client.get(url)  # warm: templates, permissions, connection
        timings = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            timings.append(elapsed * 1000)
        sql = [(q["sql"], float(q["time"])) for q in captured.captured_queries]
        slowest = max(sql, key=lambda item: item[1]) if sql else ("", 0.0)
        pages[label] = {
            "status": response.status_code,
            "ms": statistics.median(timings),
            "queries": len(sql),
            "sql_ms": sum(t for _, t in sql) * 1000,
            "count_queries": [s for s, _ in sql if "COUNT(" in s.upper()],
            "slowest_sql_ms": slowest[1] * 1000,
            "slowest_sql": slowest[0][:300],
        }
    return pages
