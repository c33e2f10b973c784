"""Write paths for articles: publishing and hero renditions."""

from django.db import transaction
from django.utils import timezone

from articles import pagecache
from articles.images import make_renditions
from articles.models import Article


def purge_article_pages(*, slugs, editorial: bool = True) -> None:
    """Readers see an edit at once: drop cached pages of these articles and of all lists.

    An editorial change (not a comment decision) also moves every article page, since any of
    them may link to these articles or list them among the related ones.
    """
    for slug in set(slugs):
        pagecache.purge_article(slug)
    pagecache.purge_lists(catalogue=editorial)


def refresh_hero_renditions(*, article: Article) -> None:
    """Make the srcset renditions once, when the hero image is set or replaced."""
    renditions = make_renditions(article.hero_image) if article.hero_image else {}
    Article.objects.filter(pk=article.pk).update(hero_renditions=renditions)
    article.hero_renditions = renditions
    transaction.on_commit(lambda: purge_article_pages(slugs=[article.slug]))


def publish_articles(*, queryset) -> int:
    """Publish drafts. A draft dated in the past goes out now, as news of today (not backdated
    to when it was started); one with a future time stays scheduled until then."""
    now = timezone.now()
    with transaction.atomic():
        drafts = queryset.filter(status=Article.Status.DRAFT)
        slugs = list(drafts.values_list("slug", flat=True))
        count = drafts.filter(published_at__gt=now).update(
            status=Article.Status.PUBLISHED, updated_at=now
        )
        count += drafts.update(status=Article.Status.PUBLISHED, published_at=now, updated_at=now)
        transaction.on_commit(lambda: purge_article_pages(slugs=slugs))
    return count


def unpublish_articles(*, queryset) -> int:
    with transaction.atomic():
        published = queryset.filter(status=Article.Status.PUBLISHED)
        slugs = list(published.values_list("slug", flat=True))
        count = published.update(status=Article.Status.DRAFT, updated_at=timezone.now())
        transaction.on_commit(lambda: purge_article_pages(slugs=slugs))
    return count
