from django.urls import path
from django.views.decorators.http import require_safe

from articles import feeds, views
from newsportal.caching import LISTS, links_from_site_url, shared


def feed_view(feed):
    # Polled hard by readers' apps: shared caches answer them (with ETag / 304).
    return require_safe(shared(LISTS)(links_from_site_url(feed)))


app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("section/<slug:slug>/feed/", feed_view(feeds.SectionFeed()), name="section-feed"),
    path("section/<slug:slug>/atom/", feed_view(feeds.SectionAtomFeed()), name="section-atom"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("feed/", feed_view(feeds.LatestArticlesFeed()), name="feed"),
    path("atom/", feed_view(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
]
