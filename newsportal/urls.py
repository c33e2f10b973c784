import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from newsportal import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("", include("articles.sitemap_urls")),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # Fine for one box; a larger deployment serves media from its storage backend instead.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            views.media,
        )
    ]

handler400 = "newsportal.views.bad_request"
handler404 = "newsportal.views.page_not_found"
handler500 = "newsportal.views.server_error"
