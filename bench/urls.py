"""The site's URLs plus one view that answers "ok" through the full middleware stack.

Only bench.wsgi points ROOT_URLCONF here, so nothing of the benchmark ships in the site itself.
"""

from django.http import HttpResponse
from django.urls import path

from newsportal.urls import handler404, handler500
from newsportal.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok, name="bench-ok"), *site_urlpatterns]
