from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.utils.module_loading import import_string


def shared_cache(app_configs, **kwargs):
    """The rate limits, the moderators' mail interval and the fragments that purges empty live
    in Django's cache: a per-process cache holds a copy in each process, so a limit counts
    per gunicorn worker and a purge reaches one of them."""
    if settings.DEBUG or "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        return []
    return [
        checks.Warning(
            "REDIS_URL is unset: rate limits, the moderators' mail interval and cached "
            "fragments are kept apart in each process.",
            hint="Set REDIS_URL (required with more than one process or server).",
            id="newsportal.W001",
        )
    ]


def mail_delivered(app_configs, **kwargs):
    """The console backend (the default, for a laptop) writes every mail, with its address
    and its signed links, to the log, and delivers none."""
    if settings.DEBUG or settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
        return []
    return [
        checks.Warning(
            "EMAIL_BACKEND is the console backend: mail is written to the log (addresses and "
            "private links with it) and never reaches anyone.",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
            id="newsportal.W002",
        )
    ]


class NewsportalConfig(AppConfig):
    name = "newsportal"

    def ready(self):
        checks.register(shared_cache, checks.Tags.caches, deploy=True)
        checks.register(mail_delivered, deploy=True)
        # A typo in EMAIL_BACKEND would drop every mail when it is sent: stop at start-up
        # instead. Checked here, not in settings, as a backend may read settings on import.
        try:
            backend = import_string(settings.EMAIL_BACKEND)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"EMAIL_BACKEND must be an importable class, not {settings.EMAIL_BACKEND!r}: {exc}"
            ) from None
        # Without a directory the file backend fails on every mail, which the queue takes for a
        # refusal and drops; an empty path would write mail into whatever directory we run in.
        file_backend = isinstance(backend, type) and issubclass(backend, FileEmailBackend)
        if file_backend and not settings.EMAIL_FILE_PATH:
            raise ImproperlyConfigured(
                "EMAIL_FILE_PATH must be set (the directory mail is written to) when "
                "EMAIL_BACKEND is the file backend"
            )
