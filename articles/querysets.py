from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, When
from django.db.models.expressions import RawSQL
from django.utils import timezone


class SectionQuerySet(models.QuerySet):
    def for_navigation(self):
        return self.only("name", "slug").order_by("order", "name")


# What only the drawn page shows of the row (see ArticleQuerySet.for_page_frame).
PAGE_BODY_FIELDS = (
    "body",
    "body_html",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "hero_renditions",
    "hero_modern_renditions",
    "hero_crops",
)


# Authors in a story's byline order (articles.models.Byline), ties (stories given their authors
# without an order: a script's authors.set()) by name, as bylines read before they had one. In a
# prefetch of Article.authors, the ordering reuses the prefetch's own join of the bylines.
BYLINE_ORDER = ("bylines__position", "name", "pk")
# The same order of the bylines themselves (articles.models.Byline rows).
LINE_ORDER = ("position", "author__name", "author_id")


def last_worked_on():
    """The admin list's order (articles.admin_lists): a draft (a story taken down too) by when
    it was last worked on, a story out or scheduled by its publication time. An index holds it
    (Article.Meta, article_worked_on_idx): the planner uses one only for this very expression,
    so both take it from here. 'draft' is written into the SQL, not sent as a parameter: SQLite
    matches no index's literal to a bound parameter, and sorted the archive row by row."""
    is_draft = Q(status=RawSQL("'draft'", ()))
    return Case(When(is_draft, then=F("worked_on_at")), default=F("published_at"))


def in_byline_order(authors):
    """Authors (a story's, or a prefetch's queryset of them) in its byline's order."""
    return authors.order_by(*BYLINE_ORDER)


def with_stories_out(entries, field: str):
    """The authors or tags (`field`: the Article field naming them) with a story on the site:
    one named only on drafts and stories under embargo is printed on no page readers see."""
    from articles.models import Article

    out = Article.objects.published().filter(**{field: OuterRef("pk")})
    return entries.filter(Exists(out))


class ArticleQuerySet(models.QuerySet):
    """Every read defers search_vector and body_text: a few KB of tsvector, and the body's text
    again, per row, that only search needs (PostgreSQL's WHERE and ORDER BY, SQLite's search
    and snippets, which ask for it)."""

    def published(self):
        return self.filter(status="published", published_at__lte=timezone.now())

    def moved_from(self, slug: str):
        """The story on the site whose address was this slug before the newsroom changed it
        (None: none was): old addresses lead on to it."""
        return self.published().filter(old_slugs__slug=slug).only("pk", "slug").first()

    def gone_out(self):
        """Stories readers have read, on the site now or taken down since (Article.has_gone_out)."""
        return self.filter(first_published_at__lte=timezone.now())

    def for_page_frame(self):
        """What the article view reads of the row on every request: whether it is public, its
        title for the page's head, the comment section's switches. The rest goes into the
        page's fragment; articles.pages loads it (one query) when that is drawn again."""
        return self.defer(*PAGE_BODY_FIELDS)

    def for_listing(self):
        return self.published().for_cards()

    def for_cards(self):
        # Everything a list card shows (section, bylines, comment count) in a fixed number of
        # queries, whatever the page size.
        from articles.models import Author

        return (
            self.select_related("section")
            .prefetch_related(
                Prefetch("authors", queryset=in_byline_order(Author.objects.only("name", "slug")))
            )
            .defer("body", "hero_caption", "hero_credit")
            .order_by("-published_at", "-pk")
        )


def detail_prefetches() -> list:
    """What the article page shows besides the article row: bylines, tags, visible links."""
    from articles.models import Author, RelatedLink, Tag

    now = timezone.now()
    visible_links = (
        RelatedLink.objects.filter(
            Q(target_article__isnull=True)
            | Q(target_article__status="published", target_article__published_at__lte=now)
        )
        .select_related("target_article")
        .only(
            "article_id",
            "url",
            "title",
            "order",
            "in_body_after_paragraph",
            "target_article__title",
            "target_article__slug",
        )
        .order_by("order", "pk")
    )
    return [
        Prefetch("authors", queryset=in_byline_order(Author.objects.all())),
        Prefetch("tags", queryset=Tag.objects.all()),
        Prefetch("related_links", queryset=visible_links, to_attr="visible_related_links"),
    ]


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer("search_vector", "body_text")
