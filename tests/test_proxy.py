"""The front proxy for real: `deploy/serve.py` runs Varnish (deploy/newsportal.vcl.in) in front of
gunicorn with DEBUG off on a SQLite database of its own, loaded with the demo content. Readers
get shared pages from the cache without reaching gunicorn; anything personal always does, and is
never stored; slow or oversized clients are stopped at the proxy. Each request carries its own
X-Request-ID, which gunicorn's access log shows, so "reached gunicorn" is read from the log."""

import contextlib
import html.parser
import http.client
import http.server
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from deploy import serve

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
ADMIN_PASSWORD = "proxy-test-" + uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request_id() -> str:
    return "t" + uuid.uuid4().hex[:20]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}


@dataclass
class Stack:
    port: int
    backend_port: int
    env: dict
    log_path: Path
    db_path: Path
    process: subprocess.Popen
    articles: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fetch(self, method, path, *, headers=None, body=None, source=None, timeout=10) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(source, 0) if source else None
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path, **kwargs) -> Response:
        return self.fetch("GET", path, **kwargs)

    def post(self, path, fields: dict, *, cookies=None, **kwargs) -> Response:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.base,
            **kwargs.pop("headers", {}),
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return self.fetch("POST", path, headers=headers, body=urlencode(fields), **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def reached_gunicorn(self, rid: str, seconds: float = 5) -> bool:
        """Whether gunicorn wrote an access line for this request id (it writes it just after
        answering, so wait a little for it)."""
        deadline = time.monotonic() + seconds
        while True:
            if f"[{rid}]" in self.log():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def never_reached_gunicorn(self, rid: str) -> bool:
        """No access line for this request, even once a request sent after it has its own."""
        sentinel = request_id()
        self.get("/healthz", headers={"X-Request-ID": sentinel})
        assert self.reached_gunicorn(sentinel), "gunicorn's access log is not being written"
        time.sleep(0.2)
        return f"[{rid}]" not in self.log()

    def manage(self, *args, timeout=60) -> str:
        result = subprocess.run(
            [*MANAGE, *args, "--verbosity", "0"],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def _comment(self, column: str, body: str):
        with sqlite3.connect(self.db_path, timeout=5) as db:
            row = db.execute(
                f"SELECT {column} FROM comments_comment WHERE body = ?", (body,)
            ).fetchone()
        return row[0] if row else None

    def comment_status(self, body: str) -> str | None:
        return self._comment("status", body)

    def comment_ip(self, body: str) -> str | None:
        return self._comment("ip_address", body)


class FormScraper(html.parser.HTMLParser):
    """Every <form> on a page: its attributes and the fields a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict] = {}
        self._form = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"attrs": attrs, "fields": {}}
            self.forms[attrs.get("id") or f"form-{len(self.forms)}"] = self._form
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                self._form["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def scrape_form(page: str, form_id: str) -> tuple[str, dict]:
    scraper = FormScraper()
    scraper.feed(page)
    assert form_id in scraper.forms, f"no form #{form_id} on the page"
    form = scraper.forms[form_id]
    action = urlsplit(form["attrs"].get("action", ""))
    return action.path + (f"?{action.query}" if action.query else ""), dict(form["fields"])


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxy")
    port, backend_port = free_port(), free_port()
    # Varnish's compiler runs as its own user when started as root: its files live in a
    # world-readable directory (pytest's tmp dirs are private).
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-proxy-test-"))
    workdir.chmod(0o755)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "DJANGO_",
                "GUNICORN_",
                "DATABASE_",
                "REDIS_",
                "PROXY_",
                "COMMENTS_",
                "EDGE_",
                "FRONT_CACHE_",
            )
        )
        and key not in ("SITE_URL", "HOST", "PORT", "BACKEND_PORT", "WEB_CONCURRENCY")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsportal.settings",
        DJANGO_SECRET_KEY="proxy-test-" + "k" * 50,
        DJANGO_DEBUG="false",
        DJANGO_SECURE_HTTPS="false",
        DATABASE_URL=f"sqlite:///{tmp / 'proxy.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        WEB_CONCURRENCY="2",
        HOST="127.0.0.1",
        PORT=str(port),
        BACKEND_PORT=str(backend_port),
        PROXY_WORKDIR=str(workdir),
        # The throttle tests use addresses of their own (127.0.0.2, .3); the other tests post a
        # few comments from 127.0.0.1.
        PROXY_POST_LIMIT="30",
        PROXY_MISS_LIMIT="20",
        COMMENTS_MIN_FORM_SECONDS="1",
        COMMENTS_FLOOD_SECONDS="0",
        DEMO_ADMIN_PASSWORD=ADMIN_PASSWORD,
        # What serve.py gives gunicorn, for the manage.py commands the tests run.
        FRONT_CACHE_PURGE_URLS=f"http://127.0.0.1:{port}/",
        COMMENTS_CLIENT_IP_HEADER="X-Forwarded-For",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    for args in (["migrate", "--noinput", "-v0"], ["load_demo_content"]):
        subprocess.run([*MANAGE, *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    if not (BASE_DIR / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [*MANAGE, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
        )

    log_path = tmp / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(BASE_DIR / "deploy" / "serve.py")],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown reaches every child
        )
    stack = Stack(port, backend_port, env, log_path, tmp / "proxy.sqlite3", process)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, "serve.py exited:\n" + stack.log()
            assert time.monotonic() < deadline, "the stack did not come up:\n" + stack.log()
            try:
                if stack.get("/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        home = stack.get("/").text
        stack.articles = list(dict.fromkeys(re.findall(r'href="(/articles/[^"/]+/)"', home)))
        assert len(stack.articles) >= 4, home[:2000]
        yield stack
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=45)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # anything left of this stack, nothing else
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def warm(stack, path) -> Response:
    """Fetch until the proxy answers from its cache (a first reader fills it)."""
    for _ in range(3):
        response = stack.get(path)
        if response.header("X-Cache") == "HIT":
            return response
    return response


# --- The VCL and the launcher, without a stack ---------------------------------------------------


def test_the_generated_vcl_compiles_and_names_django_s_personal_cookies(monkeypatch):
    for name in ("SITE_URL", "PROXY_PURGERS", "PROXY_FORWARDED_PROTO", "DJANGO_BEHIND_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.delenv("BACKEND_PORT", raising=False)
    monkeypatch.setenv("PROXY_POST_LIMIT", "7")
    cfg = serve.config()
    assert cfg["backend_port"] == 8001
    assert cfg["purge_url"] == "http://127.0.0.1:8000/"
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


def test_a_purge_by_surrogate_key_comes_from_the_app_s_machine_only(stack):
    path = "/robots.txt"
    assert warm(stack, path).header("X-Cache") == "HIT"
    refused = stack.fetch("PURGE", "/", headers={"xkey-purge": "site"}, source="127.0.0.2")
    assert refused.status == 405
    assert stack.get(path).header("X-Cache") == "HIT"

    purged = stack.fetch("PURGE", "/", headers={"xkey-purge": "site list"})
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

    # A URL nobody has read yet: the signed-in reader's page is made for them and not kept.
    path = f"{stack.articles[2]}?proxy-test={uuid.uuid4().hex}"
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


# --- 5. Slow clients -----------------------------------------------------------------------------


def test_slowloris_connections_leave_readers_answered(stack):
    stop = threading.Event()
    opened = []

    def slow_headers():
        # A request line and a header, then a header byte every few seconds, forever; when the
        # proxy drops the connection (timeout_idle), open another.
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
                    opened.append(1)
                    sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n".encode())
                    while not stop.wait(2):
                        sock.sendall(b"X")
            except OSError:
                stop.wait(0.2)

    def slow_body():
        # A comment post whose body arrives a byte every two seconds: if it reached gunicorn
        # it would hold a sync worker for as long as it liked.
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
                    opened.append(1)
                    sock.sendall(
                        (
                            f"POST /comments/post/1/ HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\n"
                            "Content-Length: 5000\r\n\r\n"
                        ).encode()
                    )
                    while not stop.wait(2):
                        sock.sendall(b"a")
            except OSError:
                stop.wait(0.2)

    threads = [threading.Thread(target=slow_headers, daemon=True) for _ in range(16)]
    threads += [threading.Thread(target=slow_body, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    probes = answered = 0
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            started = time.monotonic()
            for path in ("/healthz", stack.articles[3]):
                probes += 1
                with contextlib.suppress(OSError):
                    answered += stack.get(path, timeout=2).status == 200
            time.sleep(max(0.0, 1 - (time.monotonic() - started)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert len(opened) >= 20
    assert answered >= 0.95 * probes, f"{answered} of {probes} probes answered"


# --- 6. Bodies -----------------------------------------------------------------------------------


def read_head(sock, seconds) -> bytes:
    sock.settimeout(seconds)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def test_a_100_mb_upload_to_the_comment_endpoint_is_refused_at_once(stack):
    action, _ = scrape_form(warm(stack, stack.articles[0]).text, "comment-form")
    for expect in (False, True):
        rid = request_id()
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
            sock.sendall(
                (
                    f"POST {action} HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"X-Request-ID: {rid}\r\n"
                    + ("Expect: 100-continue\r\n" if expect else "")
                    + "Content-Length: 104857600\r\n\r\n"
                ).encode()
            )
            head = read_head(sock, 1)
            assert time.monotonic() - started < 1
            assert head.startswith(b"HTTP/1.1 413 "), head  # no "100 Continue" first
            # The body that keeps coming goes nowhere: the proxy has closed the connection.
            closed = False
            try:
                for _ in range(200):
                    sock.sendall(b"a" * 65536)
                    time.sleep(0.005)
            except OSError:
                closed = True
            if not closed:
                sock.settimeout(1)
                try:
                    closed = sock.recv(65536) == b""
                except OSError:
                    closed = True
            assert closed
        assert time.monotonic() - started < 3
        assert stack.never_reached_gunicorn(rid)


@pytest.mark.parametrize(
    ("path", "headers", "size", "status"),
    [
        ("/comments/post/1/", {"Content-Type": "application/x-www-form-urlencoded"}, 70_000, 413),
        ("/search/", {"Content-Type": "application/x-www-form-urlencoded"}, 70_000, 413),
        ("/comments/post/1/", {"Content-Type": "multipart/form-data; boundary=x"}, 100, 415),
        ("/admin/login/", {"Content-Type": "multipart/form-data; boundary=x"}, 13_000_000, 413),
    ],
)
def test_bodies_the_site_does_not_take_are_refused_at_the_proxy(stack, path, headers, size, status):
    rid = request_id()
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{stack.port}", f"X-Request-ID: {rid}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {size}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        assert read_head(sock, 2).startswith(f"HTTP/1.1 {status} ".encode())
    assert stack.never_reached_gunicorn(rid)


def test_a_chunked_body_is_bounded_too(stack):
    rid = request_id()
    with socket.create_connection(("127.0.0.1", stack.port), timeout=5) as sock:
        sock.sendall(
            (
                f"POST /comments/post/1/ HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
                f"X-Request-ID: {rid}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        head = b""
        try:
            for _ in range(40):  # up to 160 KB, in 4 KB chunks
                sock.sendall(b"1000\r\n" + b"a" * 4096 + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
            head = read_head(sock, 2)
        except OSError:
            pass  # refused and closed while we were still sending
        assert head == b"" or head.startswith(b"HTTP/1.1 413 ")
    assert stack.never_reached_gunicorn(rid)


# --- 7. The Host header --------------------------------------------------------------------------


@pytest.mark.parametrize("bad_host", ["evil.example", "localhost:6666"])
def test_an_odd_host_never_changes_a_cached_page(stack, bad_host):
    article = stack.articles[0]
    normal = warm(stack, article)
    odd = stack.get(article, headers={"Host": bad_host})
    assert odd.header("X-Cache") == "HIT"
    assert odd.body == normal.body
    assert stack.get(article).body == normal.body

    # Pages nobody has read yet, first asked for with the odd host: what is stored is the
    # site's own page, and the next reader gets exactly that.
    stack.fetch("PURGE", "/", headers={"xkey-purge": "site"})
    for path in ("/robots.txt", "/feed/", "/sitemap.xml", stack.articles[3]):
        first = stack.get(path, headers={"Host": bad_host})
        assert first.header("X-Cache") in ("MISS", "PASS"), path
        assert bad_host.encode() not in first.body, path
        second = stack.get(path)
        assert bad_host.encode() not in second.body, path
        if first.status == 200:
            assert second.header("X-Cache") == "HIT", path
            assert second.body == first.body, path
        if path != stack.articles[3]:
            assert f"127.0.0.1:{stack.port}".encode() in second.body, path


# --- Throttles (from addresses of their own, so no other test is affected) -----------------------


def test_a_flood_of_cache_misses_from_one_address_is_turned_away(stack):
    def miss(n):
        try:
            return stack.get(f"/no-such-page-{uuid.uuid4().hex}/", source="127.0.0.3", timeout=10)
        except OSError:
            return None

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = [r for r in pool.map(miss, range(80)) if r is not None]
    limited = [r for r in responses if r.status == 429 and r.header("X-Cache") == "SYNTH"]
    assert limited
    assert all(r.header("Retry-After") == "1" for r in limited)
    # Everyone else is still served.
    assert stack.get("/robots.txt").status == 200


def test_comment_posts_from_one_address_are_limited_per_minute(stack):
    answers = []
    for _ in range(31):  # PROXY_POST_LIMIT=30
        response = stack.post("/comments/post/1/", {"body": "x"}, source="127.0.0.2")
        answers.append((response.status, response.header("X-Cache")))
        time.sleep(0.08)  # below PROXY_MISS_LIMIT (20 a second), which counts these too
    # The first 30 reach Django (whatever it makes of them); the proxy answers the 31st.
    assert all(cache == "PASS" for _, cache in answers[:30]), answers
    assert answers[30] == (429, "SYNTH")
    assert response.header("Retry-After") == "2"
    assert "Too many requests" in response.text


# --- Stale copies, against an origin the test controls --------------------------------------------


class FakeOrigin(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.status, self.body, self.requests = 200, b"v1", 0
        super().__init__(("127.0.0.1", 0), FakeOriginHandler)


class FakeOriginHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request a connection: stopping the server stops it

    def do_GET(self):
        origin = self.server
        status, body = (200, b"ok") if self.path == "/healthz" else (origin.status, origin.body)
        if self.path != "/healthz":
            origin.requests += 1
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header(
            "Cache-Control",
            "public, max-age=0, s-maxage=2, stale-while-revalidate=3, stale-if-error=60",
        )
        self.send_header("Surrogate-Key", "site page")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy_of_fake_origin(monkeypatch):
    origin = FakeOrigin()
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-proxy-test-"))
    workdir.chmod(0o755)
    for name in ("SITE_URL", "PROXY_PURGERS", "PROXY_FORWARDED_PROTO", "DJANGO_BEHIND_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", str(port))
    monkeypatch.setenv("BACKEND_PORT", str(origin.server_address[1]))
    monkeypatch.setenv("PROXY_WORKDIR", str(workdir))
    cfg = serve.config()
    vcl_path = workdir / "test.vcl"
    vcl_path.write_text(serve.render_vcl(cfg["vcl"]))
    vcl_path.chmod(0o644)
    varnish = subprocess.Popen(
        serve.varnish_command(cfg, vcl_path),
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stack = Stack(port, origin.server_address[1], {}, workdir / "none", workdir / "none", varnish)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert varnish.poll() is None, "varnishd exited"
            assert time.monotonic() < deadline, "varnishd did not start"
            try:
                stack.get("/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield stack, origin
    finally:
        varnish.terminate()
        try:
            varnish.wait(timeout=20)
        except subprocess.TimeoutExpired:
            varnish.kill()
            varnish.wait()
        origin.shutdown()
        origin.server_close()
        shutil.rmtree(workdir, ignore_errors=True)


def test_stale_copies_are_served_while_revalidating_and_while_the_origin_fails(
    proxy_of_fake_origin,
):
    proxy, origin = proxy_of_fake_origin
    started = time.monotonic()

    def at(seconds):  # since the page was first stored
        time.sleep(max(0.0, started + seconds - time.monotonic()))

    assert proxy.get("/page").body == b"v1"
    assert proxy.get("/page").header("X-Cache") == "HIT"

    # s-maxage (2 s) passed, within stale-while-revalidate (3 s): the old copy at once, and a
    # new one fetched in the background.
    origin.body = b"v2"
    at(2.4)
    assert proxy.get("/page").body == b"v1"
    at(2.8)
    assert proxy.get("/page").body == b"v2"  # stored at about 2.4 s

    # The origin fails: a failed background fetch leaves the stale copy in place...
    origin.status, origin.body = 500, b"error"
    at(4.8)
    assert proxy.get("/page").body == b"v2"
    at(5.2)
    assert proxy.get("/page").body == b"v2"
    # ...and beyond stale-while-revalidate the proxy asks first, then falls back to it.
    at(8.0)
    asked = origin.requests
    response = proxy.get("/page")
    assert (response.status, response.body) == (200, b"v2")
    assert origin.requests > asked

    # The origin is gone altogether (stale-if-error: 60 s).
    origin.shutdown()
    origin.server_close()
    response = proxy.get("/page")
    assert (response.status, response.body) == (200, b"v2")

    # Nothing stored, nothing to fall back on.
    assert proxy.fetch("PURGE", "/", headers={"xkey-purge": "page"}).status == 200
    response = proxy.get("/page")
    assert response.status == 503
    assert "Back in a moment" in response.text
    assert response.header("Retry-After") == "5"
