from functools import cache
from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

# What every page's head links to (base.html).
HEAD_ASSETS = {
    "icon": "favicon.svg",
    "font": "vendor/source-serif-4/source-serif-4-latin-wght-normal.woff2",
    "bootstrap": "vendor/bootstrap/bootstrap.min.css",
    "fonts_css": "css/fonts.css",
    "site_css": "css/site.css",
    "lists_css": "css/lists.css",  # list and search pages (block stylesheets)
    "article_css": "css/article.css",  # article and comment pages (block stylesheets)
    "site_js": "js/site.js",
    # Article pages (articles/article_detail.html), in this order.
    "comments_js": "js/comments.js",
    "comments_writing_js": "js/comments-writing.js",
}


@cache
def site_urls() -> dict[str, str]:
    # Every page links to these; they only change with a deploy, so reverse them once.
    return {
        "home": reverse("articles:home"),
        "search": reverse("articles:search"),
        "feed": reverse("articles:feed"),
        "atom": reverse("articles:atom"),
        "sitemap": reverse("sitemap-index"),
        "privacy": reverse("comments:privacy"),  # the footer's, for every page
        "corrections": reverse("articles:corrections"),
    }


@cache
def asset_urls() -> dict[str, str]:
    # Their hashed names change only with a deploy (new processes): look them up once, as the
    # {% static %} tag would on every page.
    return {key: static(path) for key, path in HEAD_ASSETS.items()}


# The newsroom's logo (the favicon's mark, as a square PNG): the publisher's in the articles'
# JSON-LD, and the picture social cards show of a page that has none of its own.
PUBLISHER_LOGO = "logo.png"
PUBLISHER_LOGO_SIZE = 512


@cache
def _publisher_logo_path() -> str:
    return static(PUBLISHER_LOGO)


def publisher_logo() -> dict[str, str | int]:
    """{url, width, height, alt}, the address absolute from SITE_URL (shared pages)."""
    return {
        "url": urljoin(settings.SITE_URL + "/", _publisher_logo_path()),
        "width": PUBLISHER_LOGO_SIZE,
        "height": PUBLISHER_LOGO_SIZE,
        "alt": f"{settings.SITE_NAME} logo",
    }


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "site_urls": site_urls(),
        "assets": asset_urls(),
        "publisher_logo": publisher_logo(),
    }
