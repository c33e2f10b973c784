"""The archive of `make bench-scale`, "a newsroom after three years", loaded into an empty,
migrated database by bulk inserts (not the services), with the derived fields set as the
services leave them: body_html (render_markdown), first_published_at and updated_at, hero
renditions and crops (three shared pictures), search_vector (the database's trigger),
approved_comment_count (Comment.objects.counted()), moderated_by/at, and one admin log entry per
moderator's decision, as comments.audit.record writes them.

Sizes are in SIZES, at a scale factor of 1 (bench.scale passes SCALE_FACTOR). Seeded: two
loads at one factor hold the same rows (their dates move with the day it runs).
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from articles.images import make_crops
from articles.models import Article, Author, OldSlug, RelatedLink, Section, Tag
from articles.rendering import render_markdown
from articles.search import plain_text
from bench.scale_desk import admin_log, moderators_desk
from bench.seed import SECTIONS, VOCABULARY, _hero_files, _paragraph, _sentence
from comments.models import (
    Comment,
    CommenterAddress,
)

# At SCALE_FACTOR=1. Every count is scaled (at least 1), the hot articles' comments too.
SIZES = {
    "articles": 10_000,  # published over three years, one every 2.6 hours
    "drafts": 150,
    "scheduled": 10,  # published in the next three days
    "old_slugs": 500,
    "addresses": 30_000,
    "comments": 300_000,
    "pending": 20_000,
    "rejected": 15_000,
    "spam": 10_000,
    # The six stories of the week readers argued over, by comments.
    "hot_articles": (3_600, 3_000, 2_800, 2_600, 2_500, 2_400),
    "withdrawn": 300,  # placeholders of comments withdrawn under their replies
    "reported_comments": 1_200,
    "open_reports": 250,
    "blocks": 300,
    "notes": 500,
    "versions": 3_000,
    "subscriptions": 5_000,
    "logged_articles": 8_000,  # an addition and up to two edits each in the admin log
}
# Not scaled: one commenter's page (more than a page of 100), and the names pages list.
HEAVY = ("Heavy Commenter", "heavy@example.com", "198.51.100.7")
HEAVY_COMMENTS = 520
TAGS, AUTHORS, MODERATORS = 50, 30, 4
ADMIN, MODERATOR = "scale-admin", "scale-mod0"
COMMON_WORD = "government"  # in the vocabulary: in most stories
TOPICAL_WORD = "market"  # one story in ten
RARE_WORD = "zeppelin"  # five stories
SECTION_WEIGHTS = [3, 3, 2, 2, 1, 1, 2, 1]
FIRST = "Ann Ben Carla Dev Emma Farid Gia Hugo Ines Jon Kofi Lena Mia Nils Olga Rosa Sam".split()  # noqa: SIM905
LAST = "Smith Jones Lopez Chen Novak Okafor Berg Rossi Silva Kim Meyer Dubois Khan".split()  # noqa: SIM905
HELD = [["first-time commenter"], ["links: 2"], ["moderation word: idiot"], []]
PENDING, APPROVED = Comment.Status.PENDING, Comment.Status.APPROVED
REJECTED, SPAM = Comment.Status.REJECTED, Comment.Status.SPAM


class Random(random.Random):
    def pick(self, population, n: int) -> list:
        """A sample of n, or of all there is (a small SCALE_FACTOR leaves few)."""
        return self.sample(population, min(len(population), n))


def scaled(factor: float) -> dict:
    def one(n: int) -> int:
        return max(1, round(n * factor))

    return {k: tuple(map(one, v)) if isinstance(v, tuple) else one(v) for k, v in SIZES.items()}


def load(factor: float, log=print) -> None:
    """Fill the empty, migrated database."""
    sizes = scaled(factor)
    rng = Random(20261204)
    now = timezone.now()
    admin, moderators = _staff()
    # Three pictures, their renditions (JPEG, AVIF, WebP) and crops, made once: each story has one.
    pictures = [
        (name, rend, modern, make_crops(Article(hero_image=name).hero_image))
        for name, rend, modern in _hero_files()
    ]
    with transaction.atomic():
        published = _articles(rng, now, sizes, pictures, log)
        addresses = _addresses(rng, now, sizes)
        hot = published[2 : 2 + len(sizes["hot_articles"])]  # a day old: open, in the news sitemap
        made, replies = _comments(rng, now, sizes, published, hot, addresses, moderators)
        log(f"  {len(addresses) + 1} addresses, {made} comments, {replies} approved replies")
        _withdraw_and_count(now, sizes)
        moderators_desk(rng, now, sizes, addresses, moderators, heavy_email=HEAVY[1])
        admin_log(rng, published, sizes, admin)
    with connection.cursor() as cursor:
        # Bulk loading leaves stale statistics and GIN pending lists that autovacuum would have
        # cleared on a live site: without this the planner misjudges the indexes.
        cursor.execute("VACUUM ANALYZE")


def _staff():
    User = get_user_model()
    admin = User.objects.create_superuser(ADMIN, f"{ADMIN}@example.com", None)
    group = Group.objects.get(name="Moderators")  # made by a migration, with its permissions
    moderators = [
        User.objects.create_user(f"scale-mod{i}", f"mod{i}@example.com", None, is_staff=True)
        for i in range(MODERATORS)
    ]
    group.user_set.add(*moderators)
    return admin, moderators


def _body(rng, extra) -> str:
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(6, 10))]
    for words in extra:
        paragraphs[rng.randrange(len(paragraphs))] += f" {words.capitalize()} came up again."
    paragraphs.insert(3, f"## {_sentence(rng, 5)[:-1]}")
    return "\n\n".join(paragraphs)


def _articles(rng, now, sizes, pictures, log) -> list[Article]:
    sections = Section.objects.bulk_create(
        Section(name=name, slug=slugify(name), order=i) for i, name in enumerate(SECTIONS)
    )
    authors = Author.objects.bulk_create(
        Author(name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", slug=f"author-{i:02d}")
        for i in range(AUTHORS)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"{word.capitalize()} {i}", slug=f"{word}-{i}")
        for i, word in enumerate(rng.sample(VOCABULARY, TAGS))
    )
    count = sizes["articles"]
    step = timedelta(days=3 * 365) / count
    rare = set(rng.pick(range(count), 5))
    articles = []
    for i in range(count + sizes["drafts"] + sizes["scheduled"]):
        extra = [f"the {TOPICAL_WORD} reacted"] if rng.random() < 0.10 else []
        if i in rare:
            extra.append(f"a {RARE_WORD} over the city")
        status, first = Article.Status.PUBLISHED, None
        if i < count:  # newest first
            published = first = now - timedelta(hours=1) - step * i
        elif i < count + sizes["drafts"]:
            status, published = Article.Status.DRAFT, now - timedelta(days=rng.randint(0, 30))
        else:
            published = first = now + timedelta(hours=rng.randint(2, 72))
        name, renditions, modern, crops = pictures[i % 3]
        hero = {
            "hero_image": name,
            "hero_renditions": renditions,
            "hero_modern_renditions": modern,
            "hero_crops": crops,
        }
        hero.update(hero_alt=_sentence(rng, 6), hero_caption=_sentence(rng, 10), hero_credit="AP")
        title, body = _sentence(rng, rng.randint(6, 10))[:-1], _body(rng, extra)
        articles.append(
            Article(
                title=title,
                slug=f"{slugify(title)[:150]}-{i}",
                standfirst=_sentence(rng, rng.randint(18, 30)),
                body=body,
                body_html=(body_html := render_markdown(body)),
                body_text=plain_text(body_html),
                **(hero if rng.random() < 0.9 else {}),  # one story in ten without a picture
                section=rng.choices(sections, weights=SECTION_WEIGHTS)[0],
                status=status,
                published_at=published,
                first_published_at=first,
                updated_at=published + timedelta(hours=3 if rng.random() < 0.2 else 0),
                comments_enabled=rng.random() > 0.03,
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=500)
    log(f"  {len(articles)} articles ({count} published)")

    author_links, tag_links = [], []
    for article in articles:
        for author in rng.sample(authors, rng.choice((1, 1, 1, 2))):
            author_links.append(Article.authors.through(article=article, author=author))
        chosen = rng.sample(tags[1:], rng.randint(1, 3))
        if rng.random() < 0.3:
            chosen.append(tags[0])  # the tag of a running story: three stories in ten
        tag_links += [Article.tags.through(article=article, tag=tag) for tag in chosen]
    Article.authors.through.objects.bulk_create(author_links, batch_size=5000)
    Article.tags.through.objects.bulk_create(tag_links, batch_size=5000)
    published = articles[:count]
    links = []
    for i, article in enumerate(published):
        older = published[i + 1 : i + 400]
        if older and rng.random() < 0.4:
            targets = enumerate(rng.pick(older, rng.randint(1, 4)))
            links += [RelatedLink(article=article, target_article=t, order=n) for n, t in targets]
    RelatedLink.objects.bulk_create(links, batch_size=5000)
    moved = rng.pick(published, sizes["old_slugs"])
    OldSlug.objects.bulk_create(OldSlug(slug=f"old-{a.slug}"[:200], article=a) for a in moved)
    log(f"  {len(tags)} tags, {len(authors)} authors, {len(links)} related links")
    return published


def _addresses(rng, now, sizes) -> list[tuple[str, str, str]]:
    addresses = []
    for i in range(sizes["addresses"]):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        ip = f"10.{i // 250 % 256}.{i % 250}.{rng.randrange(1, 255)}"
        addresses.append((name, f"{slugify(name)}.{i}@example.com", ip))
    days = timedelta(days=1)
    CommenterAddress.objects.bulk_create(
        (
            CommenterAddress(
                email=email,
                created_at=now - rng.randint(0, 1000) * days,
                verified_at=now - rng.randint(0, 900) * days if rng.random() < 0.4 else None,
                mail_stopped_at=now - 3 * days if rng.random() < 0.01 else None,
            )
            for _, email, _ in [*addresses, HEAVY]
        ),
        batch_size=5000,
    )
    return addresses


def _comments(rng, now, sizes, published, hot, addresses, moderators) -> tuple[int, int]:
    """Every comment, in the order they came; how many, and how many approved replies."""
    # A few addresses write most comments (Zipf-like); recent stories get more (by age, so the
    # share of recent comments is the same at any scale), and how popular a story is follows a
    # long tail, cut below the hot stories.
    cum_weights, total = [], 0.0
    for i in range(len(addresses)):
        total += 1 / (1 + i) ** 0.8
        cum_weights.append(total)
    hot_ids = {a.pk for a in hot}
    weights = [
        0
        if a.pk in hot_ids
        else min(20, rng.paretovariate(1.5)) / (1 + (now - a.published_at).days / 87)
        for a in published
    ]
    targets = [a for a, n in zip(hot, sizes["hot_articles"], strict=True) for _ in range(n)]
    rest = sizes["comments"] - len(targets) - HEAVY_COMMENTS
    targets += rng.choices(published, weights=weights, k=max(0, rest))
    recent = published[: max(1, len(published) * 3 // 10)]
    people = [
        rng.choices(addresses, cum_weights=cum_weights)[0]
        if rng.random() < 0.7
        else rng.choice(addresses)
        for _ in targets
    ]
    targets += rng.choices(recent, k=HEAVY_COMMENTS)
    people += [HEAVY] * HEAVY_COMMENTS
    rows = []
    for article, (name, email, ip) in zip(targets, people, strict=True):
        delay = timedelta(seconds=rng.expovariate(1 / (18 * 3600)))
        created = min(now - timedelta(seconds=30), article.published_at + delay)
        rows.append(
            Comment(
                article_id=article.pk,
                name=name,
                email=email,
                body=" ".join(_sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(1, 4))),
                status=APPROVED,
                # Kept COMMENTS_KEEP_IP_DAYS (30): five days' worth awaits the retention job.
                ip_address=ip if now - created < timedelta(days=35) else None,
                created_at=created,
                moderated_at=created + timedelta(minutes=rng.randint(5, 600)),
                moderated_by=rng.choice(moderators),
            )
        )
    _undecided(rng, now, sizes, rows, hot_ids)
    rows.sort(key=lambda c: c.created_at)
    replies = _threads(rng, rows, hot[0].pk)
    Comment.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:  # the next comment's id follows the ones given
        cursor.execute(connection.ops.sequence_reset_sql(no_style(), [Comment])[0])
        cursor.execute(f"ANALYZE {Comment._meta.db_table}")  # the next statements plan with them
    return len(rows), replies


def _undecided(rng, now, sizes, rows, hot_ids) -> None:
    """Of the comments approved so far, the pending backlog of the last 40 days, and rejected
    and spam ones of the last 95: kept COMMENTS_KEEP_REJECTED_DAYS (90) after the decision,
    five days' worth awaits the retention job. The hot stories' comments are mostly approved
    (a moderator on shift kept up)."""
    pool = [c for c in rows if c.article_id not in hot_ids or rng.random() < 0.15]
    for status, days in ((PENDING, 40), (REJECTED, 95), (SPAM, 95)):
        young = [c for c in pool if c.status == APPROVED and now - c.created_at < timedelta(days)]
        for c in rng.pick(young, sizes[status]):
            c.status, c.held_because = status, rng.choice(HELD)
            if status == PENDING:
                c.moderated_at = c.moderated_by = None
            elif status == REJECTED:
                c.rejection_reason = "Off-topic"
            elif rng.random() < 0.5:
                c.moderated_by = None  # caught by the screen: nobody to name


def _threads(rng, rows, first_hot: int) -> int:
    """About a third of approved comments answer an earlier approved top-level one of their
    story; on the first hot story a fifth answer its first comment (a thread of hundreds). A
    quarter of the others answer the last published comment before them. Ids are given here,
    in the order comments came, so replies can name them before the insert."""
    tops, replies = {}, 0
    for pk, c in enumerate(rows, start=1):
        c.pk = pk
        earlier = tops.setdefault(c.article_id, [])
        if c.status != APPROVED:
            c.parent_id = earlier[-1].pk if earlier and pk % 4 == 0 else None
            continue
        big_thread = c.article_id == first_hot and earlier and rng.random() < 0.2
        if earlier and (big_thread or rng.random() < 0.35):
            c.parent_id = earlier[0].pk if big_thread else rng.choice(earlier[-40:]).pk
            replies += 1
        else:
            earlier.append(c)
    return replies


def _withdraw_and_count(now, sizes) -> None:
    # Placeholders: comments their authors withdrew, emptied, with published replies under them.
    answered = Comment.objects.filter(status=APPROVED, parent=None, replies__status=APPROVED)
    withdrawn = answered.order_by("pk").distinct().values_list("pk", flat=True)
    Comment.objects.filter(pk__in=list(withdrawn[: sizes["withdrawn"]])).update(
        withdrawn_at=now - timedelta(days=1), name="", email="", body="", ip_address=None
    )
    counted = Comment.objects.counted().filter(article=OuterRef("pk")).order_by().values("article")
    counted = counted.annotate(n=Count("pk")).values("n")
    Article.objects.update(approved_comment_count=Coalesce(Subquery(counted), Value(0)))
