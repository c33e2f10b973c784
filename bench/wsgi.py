"""newsportal.wsgi with bench.urls as the URLconf: the production app plus the "ok" view."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
