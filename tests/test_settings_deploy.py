"""Production settings: `check --deploy` is clean, and a bad variable stops start-up by name.

Each case runs manage.py in a subprocess with a clean environment, as a deployment starts it.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(**overrides):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "NEWSPORTAL_ENV_FILE": "",  # a developer's .env is not a deployment's
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "news.example.com",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.com",
        "DJANGO_SECURE_HTTPS": "true",
        "DJANGO_BEHIND_PROXY": "true",
        "SITE_URL": "https://news.example.com",
        # As README's production example; nothing here connects to the database. `check
        # --deploy` writes to Redis (newsportal.E001), so that one is the tests' own.
        "DATABASE_URL": "postgres://newsportal:secret@db.internal:5432/newsportal",
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.internal",
        "DEFAULT_FROM_EMAIL": "The Newsroom <newsroom@news.example.com>",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_prints_no_warning_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_reports_the_hsts_preload_choice_only_when_it_is_made():
    # The one silenced check is HSTS preload (an opt-in); turning preload on leaves nothing
    # silenced and still nothing to warn about.
    env = production_env(DJANGO_HSTS_PRELOAD="true")
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_https_is_turned_off():
    # Proves the clean result above means something: the same check does complain.
    result = manage("check", "--deploy", env=production_env(DJANGO_SECURE_HTTPS="false"))

    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be true or false, not 'maybe'"),
        ("DATABASE_CONN_MAX_AGE", "abc", "DATABASE_CONN_MAX_AGE must be a whole number, not 'abc'"),
        ("DJANGO_HSTS_SECONDS", "-1", "DJANGO_HSTS_SECONDS must be at least 0, not -1"),
        ("DJANGO_SECURE_HTTPS", "yes please", "DJANGO_SECURE_HTTPS must be true or false"),
        ("EDGE_CACHE_SECONDS", "5m", "EDGE_CACHE_SECONDS must be a whole number, not '5m'"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL is not a valid database URL"),
        ("REDIS_URL", "127.0.0.1:6379", "REDIS_URL must be a URL like redis://host"),
        ("SITE_URL", "news.example.com", "SITE_URL must be a URL like https://host"),
        # Every link would carry the path, and a trusted origin without its scheme never matches.
        ("SITE_URL", "https://news.example.com/news/", "SITE_URL must be the site's address"),
        ("SITE_URL", "https://news.example.com/?x=1", "SITE_URL must be the site's address"),
        (
            "DJANGO_CSRF_TRUSTED_ORIGINS",
            "news.example.com",
            "DJANGO_CSRF_TRUSTED_ORIGINS must be a URL like https://host",
        ),
        ("TIME_ZONE", "Mars/Olympus", "TIME_ZONE must be a time zone name"),
        # Typos that were taken silently: every mail dropped, a proxy never trusted, a host
        # never matched, mail refused by every server, media links off the site's root.
        (
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackent",
            "EMAIL_BACKEND must be an importable class",
        ),
        ("TRUSTED_PROXY_IPS", "10.0.0.300", "TRUSTED_PROXY_IPS must be IP addresses"),
        (
            "DJANGO_ALLOWED_HOSTS",
            "https://news.example.com",
            "DJANGO_ALLOWED_HOSTS must hold host names such as news.example.com",
        ),
        ("DEFAULT_FROM_EMAIL", "not an address", "DEFAULT_FROM_EMAIL must hold e-mail addresses"),
        ("MAIL_REPLY_TO", "letters at example.com", "MAIL_REPLY_TO must hold e-mail addresses"),
        (
            "COMMENTS_MODERATOR_EMAILS",
            "desk@example.com, mod at example.com",
            "COMMENTS_MODERATOR_EMAILS must hold e-mail addresses, not 'mod at example.com'",
        ),
        # Taken as one address (the first) by the check, refused by every send: no moderator
        # was ever mailed.
        (
            "COMMENTS_MODERATOR_EMAILS",
            "desk@example.com;night@example.com",
            "COMMENTS_MODERATOR_EMAILS must hold e-mail addresses, not "
            "'desk@example.com;night@example.com' (separate addresses with commas)",
        ),
        (
            "COMMENTS_MODERATOR_EMAILS",
            "Desk <desk@example.com> night@example.com",
            "COMMENTS_MODERATOR_EMAILS must hold e-mail addresses",
        ),
        # A typo, or a mount not there yet: the site started on other settings (its defaults).
        (
            "NEWSPORTAL_ENV_FILE",
            "/etc/newsportal.evn",
            "NEWSPORTAL_ENV_FILE names no file: '/etc/newsportal.evn'",
        ),
        ("EMAIL_PORT", "70000", "EMAIL_PORT must be at most 65535, not 70000"),
        ("MEDIA_URL", "media/", "MEDIA_URL must be a path like /media/"),
        ("MEDIA_URL", "https://media.example.com", "(ending with a slash)"),
        # Gunicorn run on an app machine, not by serve.py (which refuses it): every link Django
        # drew, in pages shared caches keep for everyone, moved under /news.
        (
            "SCRIPT_NAME",
            "/news",
            "SCRIPT_NAME is set ('/news') in the environment: gunicorn would mount the site",
        ),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(name, value, expected):
    result = manage("check", env=production_env(**{name: value}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert expected in result.stderr


def test_a_bad_database_connect_timeout_stops_start_up_on_sqlite_too():
    # Read on PostgreSQL only, it let a SQLite site start with a value that would stop it the
    # day it moved to PostgreSQL.
    env = production_env(DATABASE_URL="sqlite:////tmp/np-unused.sqlite3")
    assert manage("check", env=env).returncode == 0
    result = manage("check", env={**env, "DATABASE_CONNECT_TIMEOUT": "3s"})

    assert result.returncode != 0
    assert "DATABASE_CONNECT_TIMEOUT must be a whole number, not '3s'" in result.stderr


def test_starttls_and_implicit_tls_together_stop_start_up():
    result = manage("check", env=production_env(EMAIL_USE_TLS="true", EMAIL_USE_SSL="true"))

    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive" in result.stderr


def test_the_file_mail_backend_writes_each_mail_into_email_file_path(tmp_path):
    env = production_env(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    )
    code = "from django.core.mail import send_mail; send_mail('Hello', 'Body', None, ['a@b.c'])"
    result = manage("shell", "-v", "0", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    [written] = tmp_path.iterdir()
    assert "Subject: Hello" in written.read_text()


def test_the_file_mail_backend_without_email_file_path_refuses_to_start():
    env = production_env(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_FILE_PATH must be set" in result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=None))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_on_without_a_secret_key_starts_for_local_development():
    env = production_env(DJANGO_SECRET_KEY=None, DJANGO_DEBUG="true", DJANGO_SECURE_HTTPS=None)
    result = manage("check", env=env)

    assert result.returncode == 0, result.stderr


def test_an_empty_site_url_means_the_default_as_other_empty_variables_do():
    code = "from django.conf import settings; print(settings.SITE_URL, settings.ALLOWED_HOSTS)"
    result = manage("shell", "-v", "0", "-c", code, env=production_env(SITE_URL=""))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "http://127.0.0.1:8000"
    assert "None" not in result.stdout


@pytest.mark.parametrize(
    ("name", "setting", "default"),
    [
        # An empty path is the directory the site runs in, the checkout: WhiteNoise served it
        # under /static/ and the media view under /media/ (.env, db.sqlite3, the code).
        ("STATIC_ROOT", "STATIC_ROOT", str(BASE_DIR / "staticfiles")),
        ("MEDIA_ROOT", "MEDIA_ROOT", str(BASE_DIR / "media")),
        # A header and mail without the site's name; mail sent to no server at all.
        ("SITE_NAME", "SITE_NAME", "Newsportal"),
        ("EMAIL_HOST", "EMAIL_HOST", "localhost"),
        # Start-up stopped, as for a level misspelt.
        ("LOG_LEVEL", "LOG_LEVEL", "INFO"),
    ],
)
def test_a_path_or_name_set_empty_means_its_default(name, setting, default):
    code = f"from django.conf import settings; print(settings.{setting})"
    result = manage("shell", "-v", "0", "-c", code, env=production_env(**{name: ""}))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == default


@pytest.mark.parametrize(("name", "path"), [("STATIC_ROOT", "/static/"), ("MEDIA_ROOT", "/media/")])
def test_the_checkout_is_not_served_when_a_files_root_is_set_empty(name, path):
    # No database or Redis here: the 404 page may fail to draw; what matters is what is sent.
    env = production_env(**{name: ""}, DATABASE_URL="sqlite:///:memory:", REDIS_URL=None)
    code = (
        "from django.test import Client\n"
        "response = Client(raise_request_exception=False).get(\n"
        f"    '{path}manage.py', secure=True, headers={{'host': 'news.example.com'}}\n"
        ")\n"
        "print(response.status_code)\n"
        "body = response.streaming_content if response.streaming else [response.content]\n"
        "print(b''.join(body))"
    )
    result = manage("shell", "-v", "0", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] != "200"
    assert "DJANGO_SETTINGS_MODULE" not in result.stdout  # manage.py's own text


def test_good_values_of_the_checked_variables_start():
    result = manage(
        "check",
        env=production_env(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            TRUSTED_PROXY_IPS="10.0.0.3, ::1",
            DJANGO_ALLOWED_HOSTS="news.example.com,.example.org,[::1]",
            DEFAULT_FROM_EMAIL="The Newsroom <newsroom@news.example.com>",
            COMMENTS_MODERATOR_EMAILS="desk@news.example.com,Night Desk <night@news.example.com>",
            MEDIA_URL="https://media.news.example.com/",
        ),
    )

    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_when_the_cache_is_not_shared_between_processes():
    # Without Redis each gunicorn worker would count the rate limits on its own.
    result = manage("check", "--deploy", env=production_env(REDIS_URL=None))

    assert "newsportal.W001" in result.stderr
    assert "REDIS_URL is unset" in result.stderr


def test_check_deploy_warns_when_mail_would_go_to_the_log_instead_of_readers():
    result = manage("check", "--deploy", env=production_env(EMAIL_BACKEND=None))

    assert "newsportal.W002" in result.stderr
    assert "never reaches anyone" in result.stderr


@pytest.mark.parametrize(
    ("variables", "warning", "words"),
    [
        ({"SITE_URL": None}, "newsportal.W003", "point at this machine"),
        ({"SITE_URL": "http://localhost:8000"}, "newsportal.W003", "point at this machine"),
        ({"SITE_URL": "http://news.example.com"}, "newsportal.W004", "takes a redirect"),
        ({"DEFAULT_FROM_EMAIL": None}, "newsportal.W005", "from an address at localhost"),
    ],
)
def test_check_deploy_warns_when_links_or_mail_would_carry_a_laptops_address(
    variables, warning, words
):
    result = manage("check", "--deploy", env=production_env(**variables))

    assert warning in result.stderr
    assert words in result.stderr


def test_serve_refuses_several_workers_without_a_shared_cache():
    env = production_env(REDIS_URL=None, PORT="8191")
    serve = [sys.executable, "deploy/serve.py"]
    refused = subprocess.run(
        serve, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert refused.returncode == 2
    assert "REDIS_URL must be set when gunicorn runs more than one worker" in refused.stderr


def test_an_env_file_that_is_no_regular_file_but_reads_empty_is_taken():
    # /dev/null (or a shell's <(...)): "read nothing", as an empty name says.
    result = manage("check", env=production_env(NEWSPORTAL_ENV_FILE="/dev/null"))

    assert result.returncode == 0, result.stderr
