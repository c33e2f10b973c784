"""Test settings: the real settings module, with a throwaway key when none is given."""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + secrets.token_hex(16))
# A developer's .env (written by `make run`: debug on, a demo password) is not read: tests see
# only what they set. Subprocesses the tests start inherit this (those that start from a clean
# environment set it themselves).
os.environ["NEWSPORTAL_ENV_FILE"] = ""

from newsportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
# Most tests read pages right after changing rows behind the ORM's back; the cached comment list
# has its own tests (tests/test_http_caching.py), which switch it on.
FRAGMENT_CACHE_SECONDS = 0
# Every test client loads the middleware afresh, and WhiteNoise then indexes all ~600 collected
# files (0.1 s, about 200 s of a suite run). Looked up per request instead, with the same
# headers; production's indexing is what the proxy tests' stacks run (newsportal.settings).
WHITENOISE_AUTOREFRESH = True
