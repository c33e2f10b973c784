from email.utils import parseaddr
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.utils.module_loading import import_string

from newsportal.checks import shared_cache_answers


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


def site_address(app_configs, **kwargs):
    """Links in mail, feeds, sitemaps and shared pages are written with SITE_URL, and mail goes
    out from DEFAULT_FROM_EMAIL: their defaults are for a laptop and pass every other check."""
    if settings.DEBUG:
        return []
    found = []
    if urlsplit(settings.SITE_URL).hostname in ("127.0.0.1", "localhost", "::1"):
        found.append(
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL}: links in mail, feeds, sitemaps and shared "
                "pages point at this machine, not at the site readers use.",
                hint="Set SITE_URL to the site's address, e.g. https://news.example.com.",
                id="newsportal.W003",
            )
        )
    elif settings.SECURE_SSL_REDIRECT and settings.SITE_URL.startswith("http:"):
        found.append(
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL} while the site redirects to https: every link "
                "in mail and feeds takes a redirect, and feed readers see each story twice.",
                hint="Start SITE_URL with https://.",
                id="newsportal.W004",
            )
        )
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2].lower()
    if domain == "localhost" or domain.endswith(".localhost"):
        found.append(
            checks.Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL}: mail servers refuse or "
                "junk mail from an address at localhost.",
                hint="Set DEFAULT_FROM_EMAIL to an address at the newsroom's domain.",
                id="newsportal.W005",
            )
        )
    return found


class NewsportalConfig(AppConfig):
    name = "newsportal"

    def ready(self):
        checks.register(shared_cache, checks.Tags.caches, deploy=True)
        checks.register(shared_cache_answers, checks.Tags.caches, deploy=True)
        checks.register(mail_delivered, deploy=True)
        checks.register(site_address, deploy=True)
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
