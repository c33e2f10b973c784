"""Write paths for articles: publishing and hero renditions."""

from django.db import transaction
from django.utils import timezone

from articles.images import make_renditions
from articles.models import Article


def refresh_hero_renditions(*, article: Article) -> None:
    """Make the srcset renditions once, when the hero image is set or replaced."""
    renditions = make_renditions(article.hero_image) if article.hero_image else {}
    Article.objects.filter(pk=article.pk).update(hero_renditions=renditions)
    article.hero_renditions = renditions


def publish_articles(*, queryset) -> int:
    """Publish drafts; an article with a future time stays scheduled until then."""
    with transaction.atomic():
        return queryset.filter(status=Article.Status.DRAFT).update(
            status=Article.Status.PUBLISHED, updated_at=timezone.now()
        )


def unpublish_articles(*, queryset) -> int:
    with transaction.atomic():
        return queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )
