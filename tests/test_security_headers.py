"""Security headers on every response, a strict CSP on the public site, and the admin working
under its CSP."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.headers import csp_directives

BASE_DIR = Path(__file__).resolve().parent.parent
PUBLIC_URLS = ["/", "/search/?q=cars", "/healthz", "/robots.txt", "/no-such-page/", "/feed/"]
STRICT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-chief-1")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_response_carries_the_security_headers(client, url):
    response = client.get(url)

    assert response.status_code in (200, 404)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert csp_directives(response) == STRICT_CSP


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert csp_directives(response) == STRICT_CSP


def test_static_files_carry_the_security_headers_too(client, db):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert_security_headers(response)


def test_article_pages_and_comment_answers_carry_the_security_headers(
    client, article, comment_form_data, settings
):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.FRAGMENT_CACHE_SECONDS = 300
    for _ in range(2):  # the comment list drawn, then from the cache
        assert_security_headers(client.get(article.get_absolute_url()))
    url = f"/comments/post/{article.pk}/"
    errors = client.post(url, {**comment_form_data(article), "email": "nope"})
    assert errors.status_code == 200
    assert_security_headers(errors)
    # A form sent back is not a comment: the one comment of the window comes first.
    assert client.post(url, comment_form_data(article)).status_code == 302
    limited = client.post(url, comment_form_data(article, body="One more thought"))
    assert limited.status_code == 429
    assert_security_headers(limited)


def test_the_outage_page_carries_the_security_headers(client, db):
    from unittest import mock

    from django.db import OperationalError, connections

    client.raise_request_exception = False
    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = client.get("/")

    assert response.status_code == 503
    assert_security_headers(response)


@pytest.mark.django_db
def test_public_csp_allows_no_inline_code_and_no_other_origin(client):
    header = client.get("/")["Content-Security-Policy"]

    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "sha256-" not in header
    assert "http" not in header and "*" not in header


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_or_style(client):
    html = client.get("/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_pages_full_of_content_have_no_inline_script_or_style(
    client, article, approved_comment, make_comment, tag
):
    from comments.models import Comment
    from tests.test_article_metadata import with_hero

    with_hero(article)
    article.tags.add(tag)
    make_comment(article, parent=approved_comment, status=Comment.Status.APPROVED)
    pages = {
        "article": article.get_absolute_url(),
        "home": "/",
        "section": article.section.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "search": "/search/?q=article",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        # The page shows the story, and but for search results its picture.
        assert article.title in html, name
        assert name == "search" or "srcset=" in html, name
        # JSON-LD is a data block: the browser never runs it, and CSP does not cover it.
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)
        assert scripts == [], name
        assert "<style" not in html, name
        assert " style=" not in html, name
        assert not re.search(r"\son[a-z]+=", html), name
    assert "Early Bird" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_https_requests_get_hsts_and_plain_http_does_not(client):
    assert "Strict-Transport-Security" not in client.get("/")

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_behind_a_proxy_x_forwarded_proto_counts_only_when_trusted(client, settings):
    # Without DJANGO_BEHIND_PROXY anyone could claim HTTPS with a header.
    assert settings.SECURE_PROXY_SSL_HEADER is None
    untrusted = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in untrusted

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    trusted = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert trusted["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [("true", "('HTTP_X_FORWARDED_PROTO', 'https')"), ("false", "None")],
)
def test_django_behind_proxy_decides_whether_x_forwarded_proto_is_trusted(behind_proxy, expected):
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "NEWSPORTAL_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_BEHIND_PROXY": behind_proxy,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )

    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_session_is_http_only(client, superuser):
    login_page = client.get("/admin/login/", secure=True)
    assert login_page.cookies["csrftoken"]["secure"] is True

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "chief", "password": "pw-chief-1", "next": "/admin/"},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/", "/admin/auth/user/"],
)
def test_admin_pages_work_under_the_csp_without_inline_code(client, superuser, url):
    client.force_login(superuser)
    response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # The admin's inline <script> elements are JSON data, which CSP does not block.
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline_scripts)
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
