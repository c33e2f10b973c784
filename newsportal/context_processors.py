from functools import cache

from django.conf import settings
from django.urls import reverse


@cache
def site_urls() -> dict[str, str]:
    # Every page links to these; they only change with a deploy, so reverse them once.
    return {
        "home": reverse("articles:home"),
        "search": reverse("articles:search"),
        "feed": reverse("articles:feed"),
        "atom": reverse("articles:atom"),
        "sitemap": reverse("sitemap-index"),
    }


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "site_urls": site_urls(),
    }
