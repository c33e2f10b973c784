"""Settings for newsportal, read from the environment (see the table in README.md).

Defaults are safe for production (DEBUG off, secure cookies when HTTPS is on) and friendly for a
laptop: with no DATABASE_URL the site uses an embedded SQLite file, with no REDIS_URL a
per-process memory cache. The readers are newsportal/env.py's (one variable each) and
newsportal/env_settings.py's (a setting made of several); a bad value stops start-up with an
ImproperlyConfigured naming the variable.
"""

from pathlib import Path
from urllib.parse import urlsplit

from newsportal.env import (
    env_bool,
    env_email,
    env_emails,
    env_hosts,
    env_image_max_bytes,
    env_int,
    env_ips,
    env_log_level,
    env_redis_url,
    env_str,
    env_surrogate_key_header,
    env_time_zone,
    env_url_list,
    env_url_path,
    load_variables_file,
)
from newsportal.env_settings import (
    env_caches,
    env_databases,
    env_email_tls,
    env_mail_queue,
    env_secret_keys,
    env_site_url,
)
from newsportal.log_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

# A laptop's own settings: `make run` writes a git-ignored .env (debug on, a secret key, the demo
# password); real variables win. Tests and production set NEWSPORTAL_ENV_FILE empty: none. A
# SCRIPT_NAME, there or in the environment, stops start-up (gunicorn would read it). The same
# reading as gunicorn.conf.py's and deploy/serve.py's, so they all take the file's values.
ENV_FILE = load_variables_file()

DEBUG = env_bool("DJANGO_DEBUG", False)

# The key, the keys before a rotation (what they signed or hashed still checks out), and leaked
# ones kept only to recognise what was hashed under them (deploy/README.md, "Rotating").
SECRET_KEY, SECRET_KEY_FALLBACKS, SECRET_KEYS_HASH_ONLY = env_secret_keys(debug=DEBUG)

ALLOWED_HOSTS = env_hosts("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_url_list("DJANGO_CSRF_TRUSTED_ORIGINS", schemes=("https", "http"))
# Shared pages carry no CSRF token: a comment posted without one (no JavaScript) gets its form
# back with a token and the text kept, to send once more (see comments/csrf_views.py).
CSRF_FAILURE_VIEW = "comments.csrf_views.csrf_failure"

SITE_NAME = env_str("SITE_NAME") or "Newsportal"  # empty, as unset: never a nameless site
# Absolute base used in feeds, sitemaps, share links and e-mails, e.g. https://news.example.com
SITE_URL = env_site_url()
# Shared feeds and sitemaps are drawn as if asked for at SITE_URL, so its host is always allowed.
if urlsplit(SITE_URL).hostname not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(urlsplit(SITE_URL).hostname)

INSTALLED_APPS = [
    "newsportal.admin_site.NewsportalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "newsportal",  # before django_tasks_db: its db_worker command is newsportal's
    "django_tasks",
    "django_tasks_db",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "newsportal.middleware.HeadWithoutBodyMiddleware",  # outermost: any layer's HEAD answer
    "newsportal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "comments.token_addresses.TokenAddressMiddleware",  # inside it: Security's is a default
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below the header middleware, so static files carry every security header too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags from the content (the same in every process); 304s keep the Content-Type.
    "newsportal.middleware.ConditionalGetMiddleware",
    # A response that says nothing about caching is nobody else's to keep.
    "newsportal.middleware.PrivateByDefaultMiddleware",
    "newsportal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsportal.urls"
WSGI_APPLICATION = "newsportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsportal.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL (SQLite's db.sqlite3 when unset), with its connection's age and timeout.
DATABASES = env_databases(BASE_DIR)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when shared between processes, otherwise one per process ----------------
REDIS_URL = env_redis_url("REDIS_URL")
CACHES = env_caches(REDIS_URL)

# --- Shared caches in front (a CDN, or the Varnish in deploy/) ---------------------------------
# Anonymous pages may be kept this long by shared caches; writes purge them sooner through
# FRONT_CACHE_PURGE_URLS. Behind a cache that cannot purge, set it to the staleness you accept.
EDGE_CACHE_SECONDS = env_int("EDGE_CACHE_SECONDS", 300, minimum=0)
# After that, a cache may answer with the old copy while it fetches a new one in the background.
EDGE_STALE_SECONDS = env_int("EDGE_STALE_SECONDS", 30, minimum=0)
# ...and with the old copy for this long while the site answers errors (a database outage).
EDGE_STALE_IF_ERROR_SECONDS = env_int("EDGE_STALE_IF_ERROR_SECONDS", 86400, minimum=0)
# A CDN in front reads each shared page's keys from this header (README.md, "Behind a CDN").
EDGE_SURROGATE_KEY_HEADER = env_surrogate_key_header()
# Where purges go: each URL gets `PURGE` with an `xkey-purge: <keys>` header (see deploy/).
FRONT_CACHE_PURGE_URLS = env_url_list("FRONT_CACHE_PURGE_URLS", schemes=("http", "https"))
FRONT_CACHE_PURGE_TIMEOUT = env_int("FRONT_CACHE_PURGE_TIMEOUT", 2, minimum=1)
# Purges are sent again (see caching.send_purge): soon (0 = not), and after gunicorn's timeout.
FRONT_CACHE_PURGE_SOON_SECONDS = env_int("FRONT_CACHE_PURGE_SOON_SECONDS", 2, minimum=0)
FRONT_CACHE_PURGE_AGAIN_SECONDS = env_int(
    "FRONT_CACHE_PURGE_AGAIN_SECONDS", env_int("GUNICORN_TIMEOUT", 30, minimum=1) + 5, minimum=1
)
# Parts of pages shared by every reader (lists, an article's body, its comments, the menu) are
# kept until a write purges them, at most this long (0 = never); only with a shared cache, since
# a purge must reach every process (a scheduled article shows within this + EDGE_CACHE_SECONDS).
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 60 if REDIS_URL else 0, minimum=0)

# Sessions (the signed-in only: anonymous pages open none) live in the database alone: through
# Redis (cached_db), every signed-in page failed while Redis was away, for no speed gained.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Flash messages in a cookie of their own: showing one opens no session (Varnish passes it on);
# what its 2 KB cannot hold (a sweep's Undo) goes to the session, not dropped without a word.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"  # when `next` is missing or leads off the site
# Login throttling (django-axes): failed logins are counted in the database, which every
# gunicorn process shares. After LOGIN_FAILURE_LIMIT failures for one username, or from one
# address, within LOGIN_COOLOFF_MINUTES, every login attempt for it is refused at once (the right
# password too) until the cool-off ends: no sleeping worker, no password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_USE_ATTEMPT_EXPIRATION = True  # "5 failures within 15 minutes", not 5 ever
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = False  # a sign-in wiped the failures of its whole address (see README)
AXES_VERBOSE = False  # no banner on every manage.py start (it buried `make run`'s login)
AXES_LOCKOUT_CALLABLE = "newsportal.views.locked_out"  # our page, with Retry-After
# The reader's address as the comment rate limits see it (our proxy's header; IPv6 by its /64).
AXES_CLIENT_IP_CALLABLE = "comments.ratelimit.login_sender"

# --- Time: stored in UTC (USE_TZ), shown in TIME_ZONE; English (Django's default language) ------
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_TZ = True
FORMAT_MODULE_PATH = "newsportal.formats"  # dates as the pages write them, in the admin too

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
# Empty, as unset: an empty path is the checkout, served whole (.env, the SQLite file, the code).
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served at the root: /favicon.ico and the like, asked for whatever a page links to.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# They keep their names across releases (not `immutable`, as the hashed names are), but
# WhiteNoise's 60 s had browsers and the proxy ask again every minute: a day. (Unhashed names
# under /static/ too, which pages name only with DEBUG on: then 0, so edits show at once.)
WHITENOISE_MAX_AGE = 0 if DEBUG else 86400
MEDIA_URL = env_url_path("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media is served by Django only when SERVE_MEDIA is on (a laptop or a single box); a bigger
# deployment points the default storage at shared object storage instead.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Uploads: refuse oversized requests before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMAGE_MAX_BYTES = env_image_max_bytes()  # 30 MB, and the proxy lets it through (deploy/)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000, minimum=1)

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"  # empty: no server at all, every send failed
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS, EMAIL_USE_SSL = env_email_tls()  # STARTTLS or implicit TLS, not both
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")  # the file backend's directory (newsportal/apps.py)
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_REPLY_TO = env_email("MAIL_REPLY_TO", "")  # a mailbox people read; none: "do not reply"

# --- Forms ----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------------
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    # Only trust X-Forwarded-Proto when a proxy we control sets it (see README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if SECURE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain and its subdomains, and is slow to undo: an explicit
    # opt-in (DJANGO_HSTS_PRELOAD=true, see README), not a warning everyone learns to ignore.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# nosniff, X-Frame-Options: DENY, COOP same-origin and HttpOnly sessions are Django's defaults.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Comments -------------------------------------------------------------------------------
# Comments close by themselves this many days after publication (0 = never).
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30, minimum=0)
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5, minimum=1)
COMMENTS_RATE_WINDOW_SECONDS = env_int("COMMENTS_RATE_WINDOW_SECONDS", 600, minimum=1)
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15, minimum=0)
COMMENTS_MIN_FORM_SECONDS = env_int("COMMENTS_MIN_FORM_SECONDS", 3, minimum=0)
COMMENTS_MAX_FORM_AGE_SECONDS = env_int("COMMENTS_MAX_FORM_AGE_SECONDS", 2 * 86400, minimum=60)
COMMENTS_MODERATOR_MAIL_INTERVAL = env_int("COMMENTS_MODERATOR_MAIL_INTERVAL", 300, minimum=0)
COMMENTS_MODERATOR_EMAILS = env_emails("COMMENTS_MODERATOR_EMAILS", [])
# Behind our own proxy: the header it writes the reader's address into (e.g. X-Forwarded-For);
# empty means REMOTE_ADDR is the reader (no proxy), so rate limits key on the right address.
COMMENTS_CLIENT_IP_HEADER = env_str("COMMENTS_CLIENT_IP_HEADER", "")
# ...which is believed only when the request comes from one of these addresses (the proxy).
TRUSTED_PROXY_IPS = env_ips("TRUSTED_PROXY_IPS", ["127.0.0.1", "::1"])
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 25, minimum=1)
# Readers' reports of published comments, per address: a reader flags a few, a bot flags them all.
COMMENTS_REPORT_LIMIT = env_int("COMMENTS_REPORT_LIMIT", 10, minimum=1)
COMMENTS_REPORT_WINDOW_SECONDS = env_int("COMMENTS_REPORT_WINDOW_SECONDS", 3600, minimum=1)
# A commenter may edit their words while they wait, and this long after approval.
COMMENTS_EDIT_MINUTES = env_int("COMMENTS_EDIT_MINUTES", 15, minimum=0)
# `manage.py prune_comments` (cron, daily) deletes rejected and spam comments this many days
# after the decision, and clears the IP address of every comment this many days old (and the
# other IP addresses we hold: notes, ended blocks, staff sign-ins; comments.privacy).
COMMENTS_KEEP_REJECTED_DAYS = env_int("COMMENTS_KEEP_REJECTED_DAYS", 90, minimum=1)
COMMENTS_KEEP_IP_DAYS = env_int("COMMENTS_KEEP_IP_DAYS", 30, minimum=1)
# One confirmation mail per address; another only after this many hours (a lost mail).
COMMENTS_CONFIRM_RESEND_HOURS = env_int("COMMENTS_CONFIRM_RESEND_HOURS", 24, minimum=1)

# --- Mail queue ---------------------------------------------------------------------------------
# "database": task rows written with the change, sent by `manage.py db_worker` and retried while
# the mail server is away; "immediate": sent after commit in the process (DEBUG's default).
MAIL_QUEUE, TASKS = env_mail_queue(debug=DEBUG)
# Attempts per mail, and the first wait between them (doubled each time, at most an hour).
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 30, minimum=1)  # about a day
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 30, minimum=1)

# --- Logging: one line per event, to stderr, with the request id --------------------------------
# One handler: the request id, e-mail addresses and secret links redacted, a traceback folded
# onto the line (django.security's events, which anyone can cause, are a WARNING without one).
# Request data is never formatted (only AdminEmailHandler would; it is not used).
LOG_LEVEL = env_log_level("LOG_LEVEL")
LOGGING = logging_config(LOG_LEVEL)
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN")  # /healthz's details for monitors, via the proxy too
