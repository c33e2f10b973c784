"""Measurements made in-process against the bench database: the search plan and the admin's
moderation queue (server time and queries, through Django's test client)."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.search import search_articles

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
    return client.cookies["sessionid"].value


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
