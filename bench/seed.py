"""The benchmark's archive, written straight to the database (bulk inserts, not the services).

Denormalised fields are set as the services would leave them: Article.approved_comment_count
is counted from the rows, hero renditions are made once for a handful of images that all 5,000
articles share, and search vectors come from the database trigger on insert.
"""

import hashlib
import io
import json
import random
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from articles.images import make_renditions
from articles.models import Article, Author, RelatedLink, Section, Tag
from articles.rendering import render_markdown
from articles.search import plain_text
from comments.models import Comment

SEED_VERSION = 3
SIZES = {
    "articles": 5_000,
    "comments": 100_000,
    "pending": 20_000,
    "rejected": 7_000,
    "spam": 3_000,
    "article_under_test_top_level": 150,
    "article_under_test_replies": 50,
    "related_links": 10,
}
SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Culture", "Sport", "Health"]
AUTHOR_COUNT = 40
TAG_COUNT = 200
HERO_IMAGES = 3
UNDER_TEST_SLUG = "bench-article-under-test"
# The "common word" of the search scenario: in about one article in ten, like a topical word
# in a real archive (the rest of the vocabulary never contains it).
SEARCH_WORD = "market"
SEARCH_WORD_SHARE = 0.10
READER = "bench-reader"
ADMIN = "bench-admin"
PASSWORD = "bench-password-not-secret"
META_TABLE = "bench_meta"

VOCABULARY = """
government minister council report city region people year week month change plan public
money budget school hospital road train station water energy power price cost company bank
worker union strike talks deal court judge law rule police fire storm flood heat weather
river coast island village farm food harvest science study research data team university
museum theatre film music festival book author artist game match season league player coach
goal record win loss final club fans stadium health doctor nurse patient care treatment
virus vaccine trial drug climate carbon emissions forest wildlife species ocean planet space
rocket satellite mission launch engineer software network phone computer chip battery car
electric factory export import trade tariff growth inflation rate interest loan housing rent
home family child parent teacher student exam history war peace border election vote party
leader campaign policy debate parliament senate president mayor officials residents experts
analysts investors shares profit revenue sales customers service delivery project building
bridge tunnel airport flight passengers ticket holiday tourism hotel restaurant chef recipe
""".split()  # noqa: SIM905
FILLER = "the a of and to in on for with that this from by at as is was will has have".split()  # noqa: SIM905


def signature() -> str:
    data = {"version": SEED_VERSION, "sizes": SIZES, "word": SEARCH_WORD}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def migrations_pending() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def stored_signature() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'signature'")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _sentence(rng: random.Random, words: int) -> str:
    picked = rng.choices(VOCABULARY + FILLER * 2, k=words)
    return " ".join(picked).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(4, 7)))


def _body(rng: random.Random, *, with_word: bool) -> str:
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(6, 9))]
    if with_word:
        i = rng.randrange(len(paragraphs))
        paragraphs[i] += f" The {SEARCH_WORD} reacted quickly to the news."
    paragraphs.insert(3, f"## {_sentence(rng, 5)[:-1]}")
    return "\n\n".join(paragraphs)


def _hero_files() -> list[tuple[str, dict, dict]]:
    """A few JPEGs and their renditions (JPEG, and AVIF and WebP), made once; every article
    points at one of them."""
    made = []
    for n in range(HERO_IMAGES):
        image = Image.new("RGB", (1600, 900), (30 + 60 * n, 90, 160 - 40 * n))
        draw = ImageDraw.Draw(image)
        for x in range(0, 1600, 80):
            draw.line([(x, 0), (x + 400, 900)], fill=(200, 200 - 50 * n, 80), width=6)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        name = default_storage.save(f"heroes/bench/hero-{n}.jpg", ContentFile(buffer.getvalue()))
        field = Article(hero_image=name).hero_image
        renditions = make_renditions(field)
        made.append((name, renditions.pop("image/jpeg"), renditions))
    return made


def seed(log=print) -> dict:
    """Fill an empty, migrated database. Returns facts the benchmark needs (ids, slugs)."""
    rng = random.Random(20240501)
    now = timezone.now()
    media = Path(settings.MEDIA_ROOT)
    for sub in ("heroes/bench", "renditions"):
        shutil.rmtree(media / sub, ignore_errors=True)
    heroes = _hero_files()

    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(name=name, slug=slugify(name), order=i) for i, name in enumerate(SECTIONS)
        )
        authors = Author.objects.bulk_create(
            Author(name=f"Author {i:02d}", slug=f"author-{i:02d}", bio=_sentence(rng, 12))
            for i in range(AUTHOR_COUNT)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"{word} {i}", slug=f"{word}-{i}")
            for i, word in enumerate(rng.choices(VOCABULARY, k=TAG_COUNT))
        )
        log(f"  {len(sections)} sections, {len(authors)} authors, {len(tags)} tags")

        articles = []
        for i in range(SIZES["articles"]):
            title = _sentence(rng, rng.randint(6, 10))[:-1]
            hero_name, renditions, modern = heroes[i % len(heroes)]
            articles.append(
                Article(
                    title=title,
                    slug=UNDER_TEST_SLUG if i == 0 else f"{slugify(title)[:150]}-{i}",
                    standfirst=_sentence(rng, rng.randint(18, 30)),
                    # The article under test always holds the word, so it is a search hit too.
                    body=(body := _body(rng, with_word=i == 0 or rng.random() < SEARCH_WORD_SHARE)),
                    body_html=(body_html := render_markdown(body)),
                    body_text=plain_text(body_html),
                    hero_image=hero_name,
                    hero_alt=_sentence(rng, 6),
                    hero_caption=_sentence(rng, 10),
                    hero_credit="Bench Photo Agency",
                    hero_renditions=renditions,
                    hero_modern_renditions=modern,
                    section=sections[0] if i == 0 else rng.choice(sections),
                    status=Article.Status.PUBLISHED,
                    # Newest first: the article under test was published an hour ago, so its
                    # comments are open; the archive goes back about two years.
                    published_at=now - timedelta(hours=1 + i * 3.5),
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=500)
        log(f"  {len(articles)} published articles")
        author_links = []
        tag_links = []
        for article in articles:
            for author in rng.sample(authors, rng.choice((1, 1, 1, 2))):
                author_links.append(Article.authors.through(article=article, author=author))
            for tag in rng.sample(tags, rng.randint(2, 4)):
                tag_links.append(Article.tags.through(article=article, tag=tag))
        Article.authors.through.objects.bulk_create(author_links, batch_size=5000)
        Article.tags.through.objects.bulk_create(tag_links, batch_size=5000)

        under_test = articles[0]
        links = [
            RelatedLink(
                article=under_test,
                target_article=articles[n],
                order=n,
                in_body_after_paragraph=2 if n == 1 else None,
            )
            for n in range(1, 8)
        ] + [
            RelatedLink(
                article=under_test,
                url=f"https://example.org/background/{n}",
                title=f"Background reading {n}",
                order=10 + n,
                in_body_after_paragraph=5 if n == 1 else None,
            )
            for n in range(1, 4)
        ]
        RelatedLink.objects.bulk_create(links)

        _seed_comments(rng, now, articles)
        _count_approved()
        _users()
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value text)"
            )
            cursor.execute(
                f"INSERT INTO {META_TABLE} VALUES ('signature', %s) "  # noqa: S608
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [signature()],
            )
    with connection.cursor() as cursor:
        # Bulk loading leaves GIN pending lists and stale statistics that autovacuum would
        # clear on a live site; without this the planner misjudges the search index.
        cursor.execute("VACUUM ANALYZE")
    return facts()


def _comment(rng, article, status, created_at, **extra) -> Comment:
    n = rng.randrange(1_000_000)
    return Comment(
        article_id=article.pk,
        name=f"Reader {n}",
        email=f"reader{n}@example.com",
        body=" ".join(_sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(1, 4))),
        status=status,
        held_because=["first-time commenter"] if status == Comment.Status.PENDING else [],
        ip_address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        created_at=created_at,
        moderated_at=None if status == Comment.Status.PENDING else created_at,
        **extra,
    )


def _seed_comments(rng, now, articles) -> None:
    under_test, others = articles[0], articles[1:]
    # Readers comment on recent articles most: weight by recency.
    weights = [1 / (1 + i / 200) for i in range(len(others))]
    approved = Comment.Status.APPROVED
    top = [
        _comment(rng, under_test, approved, now - timedelta(minutes=59) + timedelta(seconds=15 * i))
        for i in range(SIZES["article_under_test_top_level"])
    ]
    top = Comment.objects.bulk_create(top)
    replies = []
    for i in range(SIZES["article_under_test_replies"]):
        parent = rng.choice(top)
        replies.append(
            _comment(
                rng,
                under_test,
                approved,
                parent.created_at + timedelta(seconds=5 + i),
                parent=parent,
            )
        )
    Comment.objects.bulk_create(replies)

    rest = SIZES["comments"] - len(top) - len(replies)
    statuses = (
        [Comment.Status.PENDING] * SIZES["pending"]
        + [Comment.Status.REJECTED] * SIZES["rejected"]
        + [Comment.Status.SPAM] * SIZES["spam"]
    )
    statuses += [approved] * (rest - len(statuses))
    rng.shuffle(statuses)
    targets = rng.choices(others, weights=weights, k=rest)
    batch = []
    for status, article in zip(statuses, targets, strict=True):
        age = (now - article.published_at).total_seconds()
        created = article.published_at + timedelta(
            seconds=rng.uniform(60, max(120, min(age, 3 * 86400)))
        )
        batch.append(_comment(rng, article, status, min(created, now)))
        if len(batch) == 10_000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)


def _count_approved() -> None:
    article_table = Article._meta.db_table
    comment_table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {article_table} a SET approved_comment_count = c.n "  # noqa: S608
            f"FROM (SELECT article_id, count(*) AS n FROM {comment_table} "
            "WHERE status = 'approved' GROUP BY article_id) c WHERE a.id = c.article_id"
        )


def _users() -> None:
    User = get_user_model()
    User.objects.create_superuser(ADMIN, "bench-admin@example.com", PASSWORD)
    User.objects.create_user(READER, "bench-reader@example.com", PASSWORD)


def facts() -> dict:
    article = Article.objects.get(slug=UNDER_TEST_SLUG)
    counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "article_id": article.pk,
        "article_path": article.get_absolute_url(),
        "article_approved_comments": article.approved_comment_count,
        "article_related_links": article.related_links.count(),
        "section_path": article.section.get_absolute_url(),
        "search_word": SEARCH_WORD,
        "articles_published": Article.objects.published().count(),
        "articles_with_hero": Article.objects.exclude(hero_renditions={}).count(),
        "comments": sum(counts.values()),
        "comments_by_status": counts,
    }
