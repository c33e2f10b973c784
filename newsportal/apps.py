from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class NewsportalConfig(AppConfig):
    name = "newsportal"

    def ready(self):
        # A typo in EMAIL_BACKEND would drop every mail when it is sent: stop at start-up
        # instead. Checked here, not in settings, as a backend may read settings on import.
        try:
            import_string(settings.EMAIL_BACKEND)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"EMAIL_BACKEND must be an importable class, not {settings.EMAIL_BACKEND!r}: {exc}"
            ) from None
