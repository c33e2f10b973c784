import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe

from articles.sitemaps import SITEMAPS, NewsSitemap
from newsportal import views
from newsportal.caching import LISTS, links_from_site_url, shared


def sitemap_view(view):
    return require_safe(shared(LISTS)(links_from_site_url(view)))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap-news.xml",
        sitemap_view(sitemap_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news-sitemap",
    ),
    # An index of sitemaps, each paged at ArticleSitemap.limit URLs: however large the archive
    # grows, every article is in a sitemap the index names.
    path(
        "sitemap.xml",
        sitemap_view(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-part"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_view(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-part",
    ),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Fine for one box; a larger deployment serves media from its storage backend instead.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            views.media,
        )
    ]

handler404 = "newsportal.views.page_not_found"
handler500 = "newsportal.views.server_error"
