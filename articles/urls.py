from django.urls import path, re_path

from articles import feeds, live_views, views
from newsportal.caching import LISTS, links_from_site_url, shared
from newsportal.methods import read_only


def shared_list_view(view, *keys):
    """Feeds and sitemaps: polled hard by readers' apps and crawlers, answered by shared caches
    (with ETag / 304), their links from SITE_URL."""
    return read_only(shared(LISTS, *keys)(links_from_site_url(view)))


app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("section/<slug:slug>/", views.listing, {"kind": "section"}, name="section"),
    path("section/<slug:slug>/follow/", views.follow, name="section-follow"),
    path("section/<slug:slug>/feed/", shared_list_view(feeds.SectionFeed()), name="section-feed"),
    path(
        "section/<slug:slug>/atom/", shared_list_view(feeds.SectionAtomFeed()), name="section-atom"
    ),
    path("author/<slug:slug>/", views.listing, {"kind": "author"}, name="author"),
    path("tag/<slug:slug>/", views.listing, {"kind": "tag"}, name="tag"),
    path("follow/", views.follow, name="follow"),
    path("corrections/", views.corrections, name="corrections"),
    path("feed.xsl", feeds.stylesheet, name="feed-stylesheet"),
    path("feed/", shared_list_view(feeds.LatestArticlesFeed()), name="feed"),
    path("atom/", shared_list_view(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    # A page number is one plain positive number: any other spelling is no page (a 404), so a
    # made-up value is not a second address of a real page.
    re_path(
        r"^articles/(?P<slug>[-a-zA-Z0-9_]+)/updates/(?P<number>[1-9][0-9]{0,8})/$",
        live_views.live_updates_page,
        name="live-updates",
    ),
    # An update's own address (its time link's), leading to the page it is on now: an id is
    # one plain positive number, as a page's.
    re_path(
        r"^articles/(?P<slug>[-a-zA-Z0-9_]+)/updates/at/(?P<pk>[1-9][0-9]{0,17})/$",
        live_views.live_update_at,
        name="live-update",
    ),
]
