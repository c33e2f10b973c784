"""What a write to articles purges from the shared caches (newsportal.caching): the keys of
every page that shows the stories written (articles.services)."""

from articles.models import Article, BreakingNews
from newsportal.caching import (
    ALL_LISTED,
    LATEST,
    LISTS,
    SITE,
    article_key,
    listed_key,
    purge,
    section_key,
    tag_key,
)


def article_keys(*, article_ids, section_ids=(), tag_ids=(), for_good=False) -> list[str]:
    """Every page that shows these articles: their own pages, the pages that link to them
    (they carry the linked article's key), every list, every article page's newest stories,
    and the related-story fallbacks drawn from their sections and tags (a newly published
    story may belong there). `for_good`: taken off the site, or its words changed, the pages
    that list them are purged for good too (their listed keys): the wide keys alone leave stale
    copies an outage would serve (a pulled story, a headline corrected for legal reasons)."""
    return [
        *(article_key(pk) for pk in article_ids),
        *((*(listed_key(pk) for pk in article_ids), ALL_LISTED) if for_good else ()),
        LISTS,
        LATEST,
        *(section_key(pk) for pk in section_ids),
        *(tag_key(pk) for pk in tag_ids),
    ]


def purge_articles(**kwargs) -> None:
    """Purge these articles' pages (article_keys, whose arguments it takes)."""
    purge(*article_keys(**kwargs))


def queryset_keys(queryset, *, for_good=False) -> list[str]:
    """article_keys of these articles, under the sections and tags they have now."""
    rows = list(queryset.values_list("pk", "section_id"))
    tag_ids = set(
        Article.tags.through.objects.filter(article_id__in=[pk for pk, _ in rows]).values_list(
            "tag_id", flat=True
        )
    )
    keys = article_keys(
        article_ids=[pk for pk, _ in rows],
        section_ids={section_id for _, section_id in rows},
        tag_ids=tag_ids,
        for_good=for_good,
    )
    # The breaking-news strip leads to its story only while the story is out: every page
    # shows it, so a story going out or off under a strip that is up purges the site.
    under_strip = BreakingNews.objects.live().filter(article_id__in=[pk for pk, _ in rows])
    return [*keys, SITE] if under_strip.exists() else keys


def purge_queryset(queryset, *, for_good=False) -> None:
    purge(*queryset_keys(queryset, for_good=for_good))
