from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    from articles.pagecache import navigation_sections

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Lazy: only templates that draw the menu look it up.
        "nav_sections": SimpleLazyObject(navigation_sections),
    }
