"""The sitemaps, at the site's root (included by newsportal.urls, by name: newsportal imports no
app)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles.sitemaps import SITEMAPS, NewsSitemap, news_sitemap
from articles.urls import shared_list_view
from newsportal.caching import ALL_LISTED

urlpatterns = [
    path(
        "sitemap-news.xml",
        # Sitemaps name more stories than a header could carry keys for: ALL_LISTED instead, so
        # any takedown or edit of a story's words purges them for good.
        shared_list_view(news_sitemap, ALL_LISTED),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news-sitemap",
    ),
    # An index of sitemaps, each paged at ArticleSitemap.limit URLs: however large the archive
    # grows, every article is in a sitemap the index names.
    path(
        "sitemap.xml",
        shared_list_view(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-part"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        shared_list_view(sitemap_views.sitemap, ALL_LISTED),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-part",
    ),
]
