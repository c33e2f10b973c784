from django.conf import settings


def site(request):
    from articles.models import Section

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # A lazy queryset: evaluated only by templates that draw the navigation.
        "nav_sections": Section.objects.for_navigation(),
    }
