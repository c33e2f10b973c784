"""The front proxy for real: `deploy/serve.py` runs Varnish (deploy/newsportal.vcl.in) in front of
gunicorn with DEBUG off on a SQLite database of its own, loaded with the demo content. Readers
get shared pages from the cache without reaching gunicorn; anything personal always does, and is
never stored; slow or oversized clients are stopped at the proxy. Each request carries its own
X-Request-ID, which gunicorn's access log shows, so "reached gunicorn" is read from the log."""

import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ImproperlyConfigured

from deploy import serve
from tests.page_forms import scrape_form
from tests.proxy_stack import ADMIN_PASSWORD, BASE_DIR, request_id, warm


def test_the_generated_vcl_compiles_and_names_django_s_personal_cookies(monkeypatch):
    for name in ("SITE_URL", "PROXY_PURGERS", "PROXY_FORWARDED_PROTO", "DJANGO_BEHIND_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.delenv("BACKEND_PORT", raising=False)
    monkeypatch.delenv("PROXY_PURGE_PORT", raising=False)
    monkeypatch.setenv("PROXY_POST_LIMIT", "7")
    # As large as the benchmark sets it: the compiled VCL must not overflow a C int on it.
    monkeypatch.setenv("PROXY_MISS_LIMIT", "1000000000")
    cfg = serve.config()
    assert cfg["backend_port"] == 8001
    assert cfg["purge_url"] == "http://127.0.0.1:8002/"
    assert cfg["site_url"] == "http://127.0.0.1:8000"
    vcl = serve.render_vcl(cfg["vcl"])
    assert '.port = "8001";' in vcl
    assert '"post:" + client.identity, 7, 60s' in vcl
    assert "unset req.http.X-Forwarded-Proto;" in vcl
    # The cookies that make a page personal are Django's.
    assert settings.SESSION_COOKIE_NAME in serve.PERSONAL_COOKIES
    assert CookieStorage.cookie_name in serve.PERSONAL_COOKIES

    source = Path(tempfile.mkdtemp(prefix="newsportal-vcl-test-"))
    try:
        source.chmod(0o755)
        (source / "test.vcl").write_text(vcl)
        (source / "test.vcl").chmod(0o644)
        result = subprocess.run(
            [serve.find_varnishd(), "-C", "-f", str(source / "test.vcl")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(source, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_generated_vcl_is_one_file_with_every_part_in_place(monkeypatch, tmp_path):
    vcl = serve.render_vcl(serve.config()["vcl"])

    assert not re.search(r"^include ", vcl, flags=re.M)
    for part in sorted((BASE_DIR / "deploy" / "vcl").glob("*.vcl.in")):
        assert f"# --- deploy/vcl/{part.name} ---" in vcl
    assert vcl.count("sub vcl_recv {") == 1

    # A part the template names that is not there stops start-up, naming it.
    template = tmp_path / "newsportal.vcl.in"
    template.write_text('vcl 4.1;\ninclude "vcl/missing.vcl.in";\n')
    monkeypatch.setattr("deploy.vcl.VCL_TEMPLATE", template)
    with pytest.raises(
        ImproperlyConfigured, match=re.escape("includes no part 'vcl/missing.vcl.in'")
    ):
        serve.render_vcl({})


def test_purges_from_a_private_purge_address_are_taken(monkeypatch):
    # Other app servers purge over a private network: the app on this machine then reaches the
    # purge listener from that address, not from the loopback.
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.setenv("SITE_URL", "https://news.example.com")
    monkeypatch.setenv("PROXY_PURGE_HOST", "10.0.0.5")
    monkeypatch.setenv("PROXY_PURGERS", "10.0.0.6,10.0.0.0/29")
    cfg = serve.config()
    assert cfg["purge_url"] == "http://10.0.0.5:8002/"
    acl = serve.render_vcl(cfg["vcl"]).split("acl purgers {", 1)[1].split("}", 1)[0]
    assert acl.split() == [
        '"127.0.0.1";',
        '"::1";',
        '"10.0.0.5"/32;',
        '"10.0.0.6"/32;',
        '"10.0.0.0"/29;',
    ]
    assert "purge=10.0.0.5:8002" in serve.varnish_command(cfg, Path("/tmp/x.vcl"))


def test_behind_a_tls_terminator_the_proxy_says_https_itself(monkeypatch):
    monkeypatch.setenv("DJANGO_BEHIND_PROXY", "true")
    monkeypatch.delenv("PROXY_FORWARDED_PROTO", raising=False)
    monkeypatch.setenv("SITE_URL", "https://news.example.com")
    vcl = serve.render_vcl(serve.config()["vcl"])
    assert 'set req.http.X-Forwarded-Proto = "https";' in vcl
    assert '"Host: news.example.com"' in vcl
    assert 'set bereq.http.Host = "news.example.com";' in vcl


# --- 1. Cache hits never reach gunicorn ----------------------------------------------------------


@pytest.mark.parametrize("which", ["article", "home", "feed", "robots", "static"])
def test_a_cache_hit_never_reaches_gunicorn(stack, which):
    css = next(
        name
        for name in os.listdir(BASE_DIR / "staticfiles" / "css")
        if re.fullmatch(r"site\.[0-9a-f]{12}\.css", name)
    )
    path = {
        "article": stack.articles[0],
        "home": "/",
        "feed": "/feed/",
        "robots": "/robots.txt",
        "static": f"/static/css/{css}",
    }[which]
    warm(stack, path)
    rid = request_id()
    hit = stack.get(path, headers={"X-Request-ID": rid})
    assert hit.status == 200
    assert hit.header("X-Cache") == "HIT", hit.headers
    assert hit.header("X-Request-ID") == rid
    assert int(hit.header("Age")) >= 0
    assert not hit.header("Surrogate-Key")
    assert not hit.header("xkey")
    assert stack.never_reached_gunicorn(rid)


def test_text_is_compressed_once_in_the_cache(stack):
    path = "/feed/"
    warm(stack, path)
    hit = stack.get(path, headers={"Accept-Encoding": "gzip"})
    assert hit.header("X-Cache") == "HIT"
    assert hit.header("Content-Encoding") == "gzip"
    plain = stack.get(path)
    assert not plain.header("Content-Encoding")
    assert b"<rss" in plain.body


def test_a_purge_by_surrogate_key_comes_from_the_app_s_machine_to_its_own_listener_only(stack):
    path = "/robots.txt"
    assert warm(stack, path).header("X-Cache") == "HIT"
    purge = {"xkey-purge": "site"}
    refused = [
        # Another machine, even on the purge listener.
        stack.fetch("PURGE", "/", headers=purge, port=stack.purge_port, source="127.0.0.2"),
        # The readers' listener, even from this machine: a TLS terminator here relays every
        # reader from 127.0.0.1.
        stack.fetch("PURGE", "/", headers=purge),
        # Pages are not served on the purge listener.
        stack.fetch("GET", path, port=stack.purge_port),
    ]
    assert [response.status for response in refused] == [405, 405, 405]
    assert stack.get(path).header("X-Cache") == "HIT"

    purged = stack.fetch("PURGE", "/", headers={"xkey-purge": "site list"}, port=stack.purge_port)
    assert purged.status == 200
    assert stack.get(path).header("X-Cache") == "MISS"


# --- 2. Personal responses are never stored ------------------------------------------------------


def test_requests_with_a_session_or_message_cookie_and_the_admin_always_reach_gunicorn(stack):
    article = stack.articles[0]
    warm(stack, article)
    for path, cookie in [
        (article, "sessionid=not-a-real-session"),
        (article, "messages=not-a-real-message"),
        (article, "csrftoken=abc; sessionid=x"),
        ("/admin/login/", ""),
        ("/comments/status/not-a-token/", ""),
    ]:
        for _ in range(2):
            rid = request_id()
            headers = {"X-Request-ID": rid, **({"Cookie": cookie} if cookie else {})}
            response = stack.get(path, headers=headers)
            assert response.header("X-Cache") == "PASS", (path, cookie)
            assert stack.reached_gunicorn(rid), (path, cookie)


def test_a_reader_with_only_a_csrf_cookie_gets_the_shared_page(stack):
    article = stack.articles[0]
    warm(stack, article)
    response = stack.get(article, headers={"Cookie": "csrftoken=abcdef; _ga=GA1.1.1"})
    assert response.header("X-Cache") == "HIT"


def test_a_private_response_is_never_stored(stack):
    # /healthz is `private, no-store`: every reader reaches Django, cookies or not.
    for _ in range(2):
        rid = request_id()
        response = stack.get("/healthz", headers={"X-Request-ID": rid})
        assert "private" in response.header("Cache-Control")
        assert response.header("X-Cache") != "HIT"
        assert stack.reached_gunicorn(rid)


def test_a_signed_in_reader_s_page_is_theirs_alone(stack):
    csrf = stack.get("/admin/login/")
    login, fields = scrape_form(csrf.text, "login-form")
    fields.update(username="editor", password=ADMIN_PASSWORD)
    signed_in = stack.post(
        login or "/admin/login/", fields, cookies={"csrftoken": csrf.cookies["csrftoken"]}
    )
    assert signed_in.status == 302, signed_in.text[:2000]
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]

    # A page the proxy holds no copy of: the signed-in reader's is made for them and not kept.
    path = stack.articles[2]
    stack.forget(path)
    for _ in range(2):
        rid = request_id()
        mine = stack.get(path, headers={"Cookie": f"sessionid={session}", "X-Request-ID": rid})
        assert mine.status == 200
        assert mine.header("X-Cache") == "PASS"
        assert "private" in mine.header("Cache-Control")
        assert stack.reached_gunicorn(rid)
    theirs = stack.get(path)
    assert theirs.header("X-Cache") == "MISS"
    assert "private" not in theirs.header("Cache-Control")
    assert stack.get(path).header("X-Cache") == "HIT"


# --- 3. A comment sent without JavaScript from a cached page -------------------------------------


def test_a_comment_posted_without_javascript_from_a_cached_page_is_accepted(stack):
    article = stack.articles[0]
    page = warm(stack, article)
    assert page.header("X-Cache") == "HIT"
    action, fields = scrape_form(page.text, "comment-form")
    assert not fields.get("csrfmiddlewaretoken")  # a shared page holds no reader's token
    body = f"Read through the proxy, sent without JavaScript {uuid.uuid4().hex}."
    fields.update(name="Ada Reader", email="ada.reader@example.com", body=body)

    # No token and no cookie: the reader is asked to press Send once more, text kept.
    again = stack.post(action, fields)
    assert again.status == 200, again.text[:3000]
    assert again.header("X-Cache") == "PASS"
    assert "private" in again.header("Cache-Control")
    csrf = again.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf
    action, fields = scrape_form(again.text, "comment-form")
    assert fields.get("csrfmiddlewaretoken")
    assert fields.get("started")
    assert fields.get("body", "").strip() == body
    assert stack.comment_status(body) is None

    time.sleep(1.1)  # COMMENTS_MIN_FORM_SECONDS
    sent = stack.post(
        action,
        fields,
        cookies={settings.CSRF_COOKIE_NAME: csrf},
        # Claims the proxy overwrites: had it passed X-Forwarded-Proto on, gunicorn (which
        # trusts 127.0.0.1) would make this an HTTPS request, and the http:// Origin would
        # fail Django's CSRF check.
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
    )
    assert sent.status == 302, sent.text[:3000]
    assert urlsplit(sent.header("Location")).path == article
    assert stack.comment_status(body) == "pending"
    assert stack.comment_ip(body) == "127.0.0.1"  # the address the proxy saw

    # The page after the redirect carries the flash message: it is this reader's alone.
    message_cookie = sent.cookies.get(CookieStorage.cookie_name)
    assert message_cookie
    cookies = {CookieStorage.cookie_name: message_cookie, settings.CSRF_COOKIE_NAME: csrf}
    after = stack.get(
        article, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    )
    assert after.header("X-Cache") == "PASS"
    assert "Comment sent successfully" in after.text
    assert "private" in after.header("Cache-Control")
    assert "Comment sent successfully" not in stack.get(article).text


# --- 4. An approved comment shows within the bound -----------------------------------------------


def test_an_approved_comment_shows_on_the_cached_article_within_ten_seconds(stack):
    article = stack.articles[1]
    slug = article.strip("/").rsplit("/", 1)[-1]
    body = f"Approved through the proxy {uuid.uuid4().hex}."
    pk = stack.manage(
        "shell",
        "-c",
        "from articles.models import Article\n"
        "from comments.models import Comment\n"
        f"c = Comment.objects.create(article=Article.objects.get(slug={slug!r}),"
        f" name='Grace Hopper', email='grace@example.com', body={body!r},"
        " status=Comment.Status.PENDING)\n"
        "print(f'pk={c.pk}')",
    )
    pk = re.search(r"pk=(\d+)", pk).group(1)
    assert warm(stack, article).header("X-Cache") == "HIT"
    assert body not in stack.get(article).text

    stack.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from comments.models import Comment\n"
        "from comments.services import decide\n"
        f"print(decide(Comment.objects.filter(pk={pk}), status=Comment.Status.APPROVED,"
        " by=get_user_model().objects.get(username='editor')))",
    )
    deadline = time.monotonic() + 10
    while body not in stack.get(article).text:
        assert time.monotonic() < deadline, "the approved comment did not show within 10 s"
        time.sleep(0.25)


def _shows_within_ten_seconds(stack, path, check) -> None:
    deadline = time.monotonic() + 10
    while not check(stack.get(path)):
        assert time.monotonic() < deadline, f"{path} did not change within 10 s"
        time.sleep(0.25)


def test_closing_comments_and_unpublishing_reach_cached_pages_within_ten_seconds(stack):
    closing, leaving = stack.articles[-2], stack.articles[-1]
    for path in (closing, leaving, "/"):
        assert warm(stack, path).header("X-Cache") == "HIT"
    assert 'id="comment-form"' in stack.get(closing).text
    assert leaving in stack.get("/").text

    def service(slug, call):
        stack.manage(
            "shell",
            "-c",
            "from articles.models import Article\n"
            "from articles import services\n"
            f"article = Article.objects.get(slug={slug!r})\n{call}",
        )

    service(
        closing.strip("/").rsplit("/", 1)[-1],
        "article.comments_enabled = False\nservices.save_article(article=article)",
    )
    service(
        leaving.strip("/").rsplit("/", 1)[-1],
        "services.unpublish_articles(queryset=Article.objects.filter(pk=article.pk))",
    )

    _shows_within_ten_seconds(stack, closing, lambda r: "Comments are closed" in r.text)
    _shows_within_ten_seconds(stack, leaving, lambda r: r.status == 404)
    _shows_within_ten_seconds(stack, "/", lambda r: leaving not in r.text)


def test_comments_closing_by_age_reach_the_cached_article_within_ten_seconds(stack):
    # Nothing is written when the policy's days run out, so nothing purges: the page itself
    # must not outlive the moment.
    assert len(stack.articles) >= 5
    article = stack.articles[4]
    out = stack.manage(
        "shell",
        "-c",
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from articles.models import Article\n"
        "from comments.models import ModerationPolicy\n"
        "from newsportal.caching import article_key, purge\n"
        "days = ModerationPolicy.current().effective_close_after_days\n"
        f"rows = Article.objects.filter(slug={article.strip('/').rsplit('/', 1)[-1]!r})\n"
        "published = timezone.now() - timedelta(days=days, seconds=-8)\n"
        "rows.update(published_at=published)\n"
        "purge(article_key(rows.get().pk))  # published that long ago, as far as pages know\n"
        "print(f'closes_at={(published + timedelta(days=days)).timestamp()}')",
    )
    closes_at = float(re.search(r"closes_at=([0-9.]+)", out)[1])
    cached_copy = warm(stack, article)
    assert cached_copy.header("X-Cache") == "HIT"
    assert time.time() < closes_at, "too slow to see the page before comments closed"
    assert 'id="comment-form"' in cached_copy.text

    while 'id="comment-form"' in (page := stack.get(article)).text:
        assert time.time() < closes_at + 10, "the form outlived closing by more than 10 s"
        time.sleep(0.25)
    assert "Comments are closed on this article." in page.text
