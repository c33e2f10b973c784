"""What an article page shows, for the article view and for the comment views that draw the page
again with a reader's form (they may import this; nobody imports views)."""

from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.template.loader import render_to_string

from articles.context_processors import drawn_menus, strip_outlived
from articles.live_pages import live_coverage, live_update_url
from articles.models import Article
from articles.querysets import PAGE_BODY_FIELDS, detail_prefetches
from articles.rendering import body_with_inline_links, json_ld_script
from articles.search import plain_text
from newsportal.caching import (
    LATEST,
    LISTS,
    SITE,
    article_key,
    cached,
    fragments_kept,
    listed_key,
    section_key,
    tag_key,
)
from newsportal.context_processors import publisher_logo

RELATED_FALLBACK_COUNT = 5
LATEST_COUNT = 5
# No more than a page shows (live_pages.LIVE_UPDATES_PER_PAGE): each named is on the page.
LIVE_JSON_LD_UPDATES = 20


def article_page_parts(
    article: Article, *, shared: bool = True, shared_comments: bool = True
) -> dict:
    """The article's head meta and main part, drawn once for every reader (shared) until a
    write purges the article, the lists (any article it links to or lists may have changed)
    or the site (a renamed section, author or tag); and the surrogate keys of the page.

    With shared_comments it also keeps the comment section readers see first (its own
    fragment, purged by the article and the site, which purge this one too) and when comments
    close by age (the page is kept no longer): one cache round trip draws the whole page. A
    reader with a section of their own (a message waits for them, or their form comes back)
    gets the parts without it."""
    with_comments = shared and shared_comments and fragments_kept()

    def make():
        context = article_page_context(article)
        return {
            "article_head": render_to_string("includes/article_meta.html", context),
            "article_main": render_to_string("includes/article_main.html", context),
            "article_rail": render_to_string("includes/article_rail.html", context),
            # Kept only where the page's parts are kept (drawn each time, it would be drawn twice
            # for the reader who gets their own).
            "shared_comment_section": (
                render_to_string("includes/article_comments.html", context) if with_comments else ""
            ),
            "shared_comments_close_at": (
                render_to_string("includes/article_comments_close_at.html", context).strip()
                if with_comments
                else ""
            ),
            "surrogate_keys": context["surrogate_keys"],
            "shown_stories": context["shown_stories"],
            # The menu marks the article's section (the row alone does not carry it).
            **drawn_menus(current_section=article.section.slug, current_article=article.pk),
        }

    if not shared:
        return make()
    name = f"article-page|{article.pk}|with-menus|{with_comments}|closing|listed|breaking|shown"
    parts = cached(name, [SITE, LISTS, article_key(article.pk)], make)
    return make() if strip_outlived(parts) else parts


def article_page_context(article: Article) -> dict:
    """The template context of articles/article_detail.html, and the surrogate keys of
    everything on it (its own, and those of the articles it links to or lists)."""
    if any(name in article.get_deferred_fields() for name in PAGE_BODY_FIELDS):
        # The view read only the row's frame: read the whole row once, so the fragment is drawn
        # from one version of it (an edit in between would mix an old title with a new body),
        # and a row deleted in between is a 404, not an error.
        article = Article.objects.filter(pk=article.pk).first()
        if article is None:
            raise Http404("No article found")
    prefetch_related_objects([article], *detail_prefetches())
    links = article.visible_related_links
    fallback = [] if links else list(related_fallback(article))
    # From SITE_URL, not the request: the page is shared by every reader, whatever host or
    # scheme the first of them happened to use.
    share_url = settings.SITE_URL + article.get_absolute_url()
    images = share_images(article)
    # The rail's "Latest" leaves out what "Related" (and the body's links) already show.
    shown = [link.target_article_id for link in links if link.target_article_id]
    latest = latest_articles(article, leaving_out=[*shown, *(other.pk for other in fallback)])
    # Read only for a story that has some (Article.corrected_at): most never do.
    corrections = list(article.corrections.all()) if article.corrected_at else []
    # Likewise for live coverage (Article.live_since): its newest updates, the earlier ones on
    # pages of their own (articles.live_pages).
    live = live_coverage(article)
    # The rail's newest stories change with any publication: LATEST, not every article's key;
    # each one's listed key takes the page down for good with the story.
    keys = [article_key(article.pk), LATEST, *(listed_key(other.pk) for other in latest)]
    # Every story the page shows, by its listed key too: taken down, it leaves this page for
    # good (a hard purge), not after the stale copy's grace.
    shown_stories = [*shown, *(other.pk for other in fallback)]
    for pk in shown_stories:
        keys += [article_key(pk), listed_key(pk)]
    if not links:
        # A story published later in the same section or under a shared tag may join the list.
        keys.append(section_key(article.section_id))
        keys += [tag_key(tag.pk) for tag in article.tags.all()]
    return {
        "article": article,
        "json_ld": json_ld_script(
            news_article_json_ld(article, share_url, images, corrections, live["live_updates"])
        ),
        "corrections": corrections,
        **live,
        # Social cards: the widest shape (16:9), with its size so they draw before fetching it;
        # the newsroom's logo for a story without a picture (a card with none looks broken).
        "share_image": {**images[0], "alt": article.hero_alt} if images else publisher_logo(),
        "body_html": body_with_inline_links(article.body_html, links),
        "related_links": links,
        "related_fallback": fallback,
        "latest_articles": latest,
        "share_url": share_url,
        # Drawn for staff alone (never kept for readers): the page says what it is, not
        # "Published", and offers no sharing of an address readers cannot open yet.
        "is_preview": not article.is_public,
        "surrogate_keys": keys,
        # Past a CDN's limit on keys these may go, the page's own never (caching.shows_stories).
        "shown_stories": shown_stories,
        # The parts are drawn without a request, so without the context processors.
        "SITE_NAME": settings.SITE_NAME,
    }


def absolute(path: str) -> str:
    return urljoin(settings.SITE_URL + "/", path)


def share_images(article) -> list[dict]:
    """The hero as absolute URLs: its 16:9, 4:3 and 1:1 crops ({url, width, height}), or, for
    an image saved before crops were made, its rendition up to the crops' width (size unknown;
    images.fallback_rendition)."""
    crops = article.hero_crop_images
    if crops:
        return [{**crop, "url": absolute(crop["url"])} for crop in crops]
    return [{"url": absolute(article.hero_fallback_url)}] if article.hero_renditions else []


def news_article_json_ld(
    article, url: str, images: list[dict], corrections=(), live_updates=()
) -> dict:
    logo = publisher_logo()
    data = {
        "@context": "https://schema.org",
        # Live coverage as search engines read it (their "Live" label on a result).
        "@type": "LiveBlogPosting" if live_updates else "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": article.published_at.isoformat(timespec="seconds"),
        "dateModified": article.updated_at.isoformat(timespec="seconds"),
        "articleSection": article.section.name,
        "author": [
            {"@type": "Person", "name": a.name, "url": absolute(a.get_absolute_url())}
            for a in article.authors.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": logo["url"],
                "width": logo["width"],
                "height": logo["height"],
            },
        },
    }
    if images:
        data["image"] = [image["url"] for image in images]
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(timespec="seconds"),
            }
            for correction in corrections
        ]
    if live_updates:
        data.update(_live_json_ld(article, url, live_updates))
    return data


def _live_json_ld(article, url: str, live_updates) -> dict:
    coverage = {"coverageStartTime": article.live_since.isoformat(timespec="seconds")}
    if article.live_ended_at:
        coverage["coverageEndTime"] = article.live_ended_at.isoformat(timespec="seconds")
    # The latest only: search engines show a few, and every update again in the page's head
    # would double a long coverage's weight for each reader's poll (js/live.js).
    coverage["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": update.headline or article.title,
            # Its own address, which finds it when newer updates have moved it off this page.
            "url": absolute(live_update_url(article, update.pk)),
            "datePublished": update.posted_at.isoformat(timespec="seconds"),
            "articleBody": plain_text(update.text_html),
        }
        for update in live_updates[:LIVE_JSON_LD_UPDATES]
    ]
    return coverage


def related_fallback(article):
    """Recent articles from the same section or sharing a tag, when no links were curated."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    return (
        Article.objects.for_listing()
        .filter(Q(section_id=article.section_id) | Q(tags__in=tag_ids))
        .exclude(pk=article.pk)
        .distinct()[:RELATED_FALLBACK_COUNT]
    )


def latest_articles(article, leaving_out=()):
    """The newest published stories but this one and those left out, for the rail: titles and
    times, one query."""
    return list(
        Article.objects.published()
        .exclude(pk__in=[article.pk, *leaving_out])
        .only("title", "slug", "published_at")
        .order_by("-published_at", "-pk")[:LATEST_COUNT]
    )
