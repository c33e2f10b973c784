from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
]
