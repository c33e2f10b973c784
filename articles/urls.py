from django.urls import path

from articles import feeds, views
from articles.pagecache import anonymous_page_cache, lists_version


def cached_feed(feed):
    # Feeds are polled hard by readers' apps: serve them from the page cache, with ETag/304.
    return anonymous_page_cache(lists_version)(feed)


app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("section/<slug:slug>/feed/", cached_feed(feeds.SectionFeed()), name="section-feed"),
    path("section/<slug:slug>/atom/", cached_feed(feeds.SectionAtomFeed()), name="section-atom"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("feed/", cached_feed(feeds.LatestArticlesFeed()), name="feed"),
    path("atom/", cached_feed(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
]
