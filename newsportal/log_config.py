"""The LOGGING setting: one line per event, to stderr, with the request id (the filters and
the formatter are in newsportal.middleware, beside the request id they read)."""

import logging


class WorkerStopIsNotAWarning(logging.Filter):
    """The mail worker's "Received Terminated - shutting down gracefully..." at INFO: a stop
    asked for (make serve's stop or reload), the task in hand finished first, is not a WARNING
    an operator learns to ignore. A second signal ("terminating current task") cuts a task short
    and stays a WARNING."""

    def filter(self, record):
        if record.levelno == logging.WARNING and str(record.msg).startswith(
            "Received %s - shutting down gracefully"
        ):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def logging_config(level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "newsportal.middleware.RequestIdFilter"},
            "redact": {"()": "newsportal.middleware.RedactEmailFilter"},
            "logged_outage": {"()": "newsportal.middleware.LoggedOutageFilter"},
            "security_event": {"()": "newsportal.middleware.SecurityEventFilter"},
            "worker_stop": {"()": "newsportal.log_config.WorkerStopIsNotAWarning"},
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
            "django_tasks_db": {"filters": ["worker_stop"]},
        },
    }
