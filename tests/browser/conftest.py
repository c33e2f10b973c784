"""Browser tests: a real Chromium (Debian's, through Playwright) against the live server.

One browser per session, a fresh context (cookies, storage) per test. Every page a test opens is
watched: a console error, an uncaught exception, a failed request or a Content-Security-Policy
violation fails the test. Screenshots (desktop 1280 and phone 390 wide) and the console log go to
test-artifacts/browser/<test>/, printed at the end of the run.
"""

import importlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS

from tests.browser.helpers import PASSWORD
from tests.browser.live import WhiteNoiseOnly, finish_requests_in_flight
from tests.browser.watch import PageWatch

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS_DIR", BASE_DIR / "test-artifacts" / "browser"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = BASE_DIR / "tests" / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOT_ATTEMPTS = 3

# Recorded in every page before its own scripts run. Playwright injects it through the DevTools
# protocol, not as an inline <script>, so the page's CSP does not block it (the watchdog test
# proves it is running by provoking a violation).
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__npCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


# --- Collection ---------------------------------------------------------------------------------
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every test here carries the `browser` marker, and they all run last (after pytest-django
    has ordered the rest): once Playwright has started, this thread has an asyncio loop, which
    no other test should have to live with."""
    browser_items = []
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            browser_items.append(item)
    if browser_items:
        chosen = set(map(id, browser_items))
        items[:] = [item for item in items if id(item) not in chosen] + browser_items


# --- Reporting ------------------------------------------------------------------------------------
_phase_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_phase_reports, {})[report.when] = report
    return report


_artifact_dirs: list[Path] = []


def pytest_terminal_summary(terminalreporter):
    if _artifact_dirs:
        terminalreporter.write_sep("-", "browser artifacts")
        terminalreporter.write_line(
            f"Browser screenshots (1280 and 390 wide) and console logs: {ARTIFACTS}"
        )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


# --- Settings and the server ----------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # The comment form's minimum fill time and the per-IP limits are read at request time; the
    # browser fills forms in milliseconds and every request comes from 127.0.0.1.
    settings.COMMENTS_MIN_FORM_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 10_000


@pytest.fixture(autouse=True)
def _content_types(transactional_db):
    """The content types and permissions every browser test starts with. The tests that race
    threads (serialized_rollback) end with every table emptied, and only the next such test
    puts the rows back: a browser test run next found none, while the process still held the
    old ids in its content-type cache, and the admin's log of a save pointed at no row
    (PostgreSQL refused it; SQLite reuses ids and hid it). What a flush between two tests
    recreates, created here."""
    if not ContentType.objects.exists():
        ContentType.objects.clear_cache()
        emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served the production way (whitenoise
    from STATIC_ROOT: run `manage.py collectstatic` first, as `make test` does)."""
    from pytest_django import live_server_helper

    manifest = Path(django_settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(
            f"{manifest} is missing: run `manage.py collectstatic --noinput` before the browser "
            "tests (make test does).",
            pytrace=False,
        )
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = live_server_helper.LiveServer(addr, start=False)
    server.thread.static_handler = WhiteNoiseOnly
    server.start()
    yield server
    # On SQLite each request closes the shared in-memory connection when done, which fails
    # once stop() has made it unshareable again.
    finish_requests_in_flight()
    server.stop()


# --- The browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser(live_server):  # closes before the server stops: no connection left open
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: the browser tests need Debian's chromium "
            "(apt-get install -y chromium; .ci/run installs it) or CHROMIUM_PATH set.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio loop in this thread from now on, and Django
        # refuses ORM calls from a thread with a running loop. The tests use the ORM only
        # between browser steps, never inside the loop, so the guard is off from here (browser
        # tests run last, see pytest_collection_modifyitems).
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {exc}", pytrace=False)
        yield browser
        browser.close()


class Artifacts:
    def __init__(self, directory: Path):
        self.directory = directory

    def path(self, name: str) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / name

    def screenshot(self, target, name: str, *, full_page: bool = False) -> None:
        """Saves a screenshot of a page or a locator. Chromium now and then answers "Unable to
        capture screenshot" when the compositor gives no frame in time (a busy CI machine, a page
        of a second browser context in the background); a screenshot is evidence for a person,
        so it is taken again, the page brought to the front, before the test is failed for it."""
        from playwright.sync_api import Error as PlaywrightError

        page = getattr(target, "page", target)
        kwargs = {"full_page": True} if full_page else {}
        for attempt in range(1, SCREENSHOT_ATTEMPTS + 1):
            try:
                target.screenshot(path=self.path(name), **kwargs)
                return
            except PlaywrightError as exc:
                if "Unable to capture screenshot" not in str(exc) or attempt == SCREENSHOT_ATTEMPTS:
                    raise
                page.bring_to_front()
                page.wait_for_timeout(250 * attempt)


@pytest.fixture
def artifacts(request):
    directory = ARTIFACTS / _slug(
        f"{request.module.__name__.rsplit('.', 1)[-1]}-{request.node.name}"
    )
    shutil.rmtree(directory, ignore_errors=True)
    _artifact_dirs.append(directory)
    return Artifacts(directory)


@pytest.fixture
def watch():
    return PageWatch()


@pytest.fixture
def new_page(browser, live_server, watch):
    """A page in a fresh browser context: its own cookies, so a second person (a moderator
    next to a reader) can take part in the same test. Every page is watched."""
    contexts = []

    def watch_page(page):
        page.on("console", watch.on_console)
        page.on("pageerror", watch.on_page_error)
        page.on("requestfailed", watch.on_request_failed)
        page.on("response", watch.on_response)

    def open_page():
        context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
        context.set_default_timeout(5_000)
        context.expose_binding("__npCspViolation", watch.on_csp_violation)
        context.add_init_script(WATCH_CSP)
        context.on("page", watch_page)
        contexts.append(context)
        return context.new_page()

    open_page.contexts = contexts
    yield open_page
    for context in contexts:
        context.close()
    finish_requests_in_flight()


@pytest.fixture
def page(request, new_page, watch, artifacts):
    page = new_page()
    yield page
    reports = request.node.stash.get(_phase_reports, {})
    failed = any(report.failed for report in reports.values()) or bool(watch.problems)
    if failed or watch.log:
        log = "\n".join(watch.log or ["(nothing logged)"])
        artifacts.path("console.txt").write_text(log + "\n")
    if failed:
        # Every page the test had open: the reader's, and the moderator's if there was one.
        pages = [p for context in new_page.contexts for p in context.pages if not p.is_closed()]
        for number, open_page in enumerate(pages, start=1):
            name = "failure.png" if number == 1 else f"failure-{number}.png"
            artifacts.screenshot(open_page, name, full_page=True)
    if watch.problems:
        pytest.fail(
            f"The pages logged {len(watch.problems)} problem(s) (see "
            f"{artifacts.directory}/console.txt):\n  " + "\n  ".join(watch.problems),
            pytrace=False,
        )


# --- Helpers for the flows ------------------------------------------------------------------------
@pytest.fixture
def snap(page, artifacts):
    """Full-page screenshots at desktop and phone width; with phone_layout, also checks that a
    phone never has to scroll sideways."""
    default_page = page

    def snap(name: str, *, phone_layout: bool = False, on=None) -> None:
        page = on or default_page
        artifacts.screenshot(page, f"{name}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        try:
            artifacts.screenshot(page, f"{name}-phone.png", full_page=True)
            if phone_layout:
                widths = page.evaluate(
                    "() => [document.documentElement.scrollWidth,"
                    " document.documentElement.clientWidth]"
                )
                assert widths[0] <= widths[1], (
                    f"{name}: the page scrolls sideways on a {PHONE['width']} px phone "
                    f"(scrollWidth {widths[0]} > clientWidth {widths[1]})"
                )
        finally:
            page.set_viewport_size(DESKTOP)

    return snap


@pytest.fixture(scope="session")
def axe_source():
    return AXE_JS.read_text()


@pytest.fixture
def assert_accessible(page, axe_source):
    """axe-core on the current page: no serious or critical violation. The source goes in
    through page.evaluate (the DevTools protocol), which the page's CSP does not govern; an
    injected <script> with inline content would be blocked, as it should be."""
    default_page = page

    def check(name: str, *, on=None) -> None:
        page = on or default_page
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        violations = page.evaluate(
            """async () => {
                const results = await axe.run(document, {resultTypes: ["violations"]});
                return results.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical")
                    .map((v) => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                    }));
            }"""
        )
        assert not violations, f"{name}: axe found serious/critical violations: " + "; ".join(
            f"{v['id']} ({v['impact']}: {v['help']}) at {v['nodes']}" for v in violations
        )

    return check


# --- Data -----------------------------------------------------------------------------------------
@pytest.fixture
def moderator(django_user_model):
    """A staff member in the Moderators group. The group comes from a migration; transactional
    tests flush the database after each test, so rebuild it the same way when it is gone."""
    group, created = Group.objects.get_or_create(name="Moderators")
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="comments",
                codename__in=["view_comment", "moderate_comment"],
            )
        )
    user = django_user_model.objects.create_user(
        "moderator", "moderator@newsroom.example", PASSWORD, is_staff=True
    )
    user.groups.add(group)
    return user


@pytest.fixture
def presets(db):
    """The moderation policy's preset rejection reasons, as a fresh install seeds them (a
    migration's data: transactional tests empty the tables after each test)."""
    from comments.models import RejectionReason

    seeded = importlib.import_module("comments.migrations.0005_moderators_desk").PRESETS
    if not RejectionReason.objects.exists():
        for order, (label, text) in enumerate(seeded, start=1):
            RejectionReason.objects.create(label=label, text=text, order=order)
    return list(RejectionReason.objects.all())
