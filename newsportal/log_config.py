"""The LOGGING setting: one line per event, to stderr, with the request id (the filters and
the formatter are in newsportal.middleware, beside the request id they read)."""


def logging_config(level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "newsportal.middleware.RequestIdFilter"},
            "redact": {"()": "newsportal.middleware.RedactEmailFilter"},
            "logged_outage": {"()": "newsportal.middleware.LoggedOutageFilter"},
            "security_event": {"()": "newsportal.middleware.SecurityEventFilter"},
        },
        "formatters": {
            "line": {
                "()": "newsportal.middleware.OneLineFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "filters": ["security_event", "request_id", "redact", "logged_outage"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
            "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            # runserver prints "Watching for file changes" itself; logged too, it says it twice.
            "django.utils.autoreload": {"level": "WARNING"},
            # django-axes writes four INFO lines per staff sign-in and two per nightly prune
            # ("Reset 0 access logs..."), which cron would mail every night. Its failures and
            # lockouts are WARNINGs, and every sign-in stays in its AccessLog table.
            "axes": {"level": "WARNING"},
        },
    }
