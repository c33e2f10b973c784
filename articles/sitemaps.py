from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models import Article, Author, Section, Tag
from articles.querysets import with_stories_out
from newsportal.caching import changes_at

_SLUG_MARK = "slug-goes-here"


def _seconds(moment):
    """Every sitemap dates to the second: the index and the news sitemap wrote microseconds
    where the article sitemap wrote none."""
    return moment.replace(microsecond=0) if moment else moment


class ArticleSitemap(Sitemap):
    """A page names 5,000 stories: each costs a dict, not a model instance and a reverse()."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        # pk too: a batch published at once shares its time, and a page must end at the
        # same story every time it is drawn (none skipped or repeated between pages).
        return (
            Article.objects.published()
            .values("slug", "updated_at")
            .order_by("-published_at", "-pk")
        )

    @cached_property
    def _around_slug(self) -> tuple[str, str]:
        # The story's address, reversed once: what comes before and after the slug. A slug
        # (letters, digits, - and _, as SlugField and the <slug:> converter allow) needs no
        # quoting, so each one set in between is what get_absolute_url() would reverse.
        before, _, after = reverse("articles:detail", args=[_SLUG_MARK]).rpartition(_SLUG_MARK)
        return before, after

    def location(self, item):
        before, after = self._around_slug
        return f"{before}{item['slug']}{after}"

    def lastmod(self, item):
        return _seconds(item["updated_at"])

    def get_latest_lastmod(self):
        # What the index dates each page by: one MAX, not every story loaded to compare (Django's
        # default asks lastmod() of each item: 10,000 rows drawn for one date).
        return _seconds(self.items().order_by().aggregate(latest=Max("updated_at"))["latest"])


class ListingSitemap(Sitemap):
    """The front page, and the page of every section, and of each author and tag with a story
    out (one with none is an empty page not worth a crawler's visit): sitemap-sections.xml."""

    changefreq = "hourly"
    priority = 0.8

    def items(self):
        authors = with_stories_out(Author.objects.all(), "authors")
        tags = with_stories_out(Tag.objects.all(), "tags")
        return [None, *Section.objects.all(), *authors.order_by("slug"), *tags.order_by("slug")]

    def location(self, item):
        return item.get_absolute_url() if item else reverse("articles:home")


class NewsSitemap(Sitemap):
    """Google News sitemap: articles published in the last two days."""

    limit = 1000
    window = timedelta(days=2)

    def items(self):
        since = timezone.now() - self.window
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "title", "published_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return _seconds(item.published_at)

    def leaves_at(self):
        """When the oldest story listed leaves: no write happens then, so nothing purges."""
        oldest = self.items().values_list("published_at", flat=True).last()
        return oldest + self.window if oldest else None


def news_sitemap(request, **kwargs):
    """Django's sitemap view, kept by shared caches no longer than its oldest story is listed."""
    leaves_at = NewsSitemap().leaves_at()
    if leaves_at:
        changes_at(request, leaves_at)
    return sitemap_views.sitemap(request, **kwargs)


SITEMAPS = {"articles": ArticleSitemap, "sections": ListingSitemap}
