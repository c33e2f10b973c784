from django.utils.functional import SimpleLazyObject

from articles.models import Section


def navigation(request):
    # Lazy: only templates that draw the menu look it up (the outage page must not query).
    return {"nav_sections": SimpleLazyObject(lambda: list(Section.objects.for_navigation()))}
