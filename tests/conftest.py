import os
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connections
from django.utils import timezone

from articles.list_pages import PAGE_SIZE
from articles.models import Article, Author, RelatedLink, Section, Tag
from articles.services import save_article
from tests.systemd_units import Systemd

pytest_plugins = [
    "tests.comment_fixtures",
    "tests.editor_fixtures",
    "tests.proxy_stack",
    "tests.mail_helpers",
    "tests.purge_helpers",
    "tests.browser.layout",
]


def pytest_sessionfinish(session, exitstatus):
    # CI must not go green on a suite that quietly skipped part of itself (a missing browser
    # or database is a failure there).
    if os.environ.get("NEWSPORTAL_REQUIRE_ALL_TESTS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"FAILED: {skipped} test(s) skipped; CI requires every test to run.")
        session.exitstatus = 1


def _empties_the_database(item) -> bool:
    """A test that commits for real: pytest-django empties every table when it ends, the rows
    the migrations wrote (groups, permissions, preset reasons) too."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


# The tests that start deploy/serve.py's stack, or its gunicorn, run it on a SQLite database
# of their own whatever DATABASE_URL says (tests/proxy_stack.py): a second run on another
# database gives the same result. .ci/run's PostgreSQL run leaves them to its SQLite run.
STACK_MODULES = ("test_proxy", "test_serve", "test_reload")


def _runs_its_own_stack(item) -> bool:
    uses_test_database = {"db", "transactional_db", "live_server"} & set(item.fixturenames)
    return (
        item.path.name.startswith(STACK_MODULES)
        and not uses_test_database
        and not item.get_closest_marker("django_db")
    )


def pytest_collection_modifyitems(config, items):
    if os.environ.get("NEWSPORTAL_STACK_TESTS") == "0":
        left_out = [item for item in items if _runs_its_own_stack(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not _runs_its_own_stack(item)]
    # pytest-django runs such tests after those that need the migrations' rows; `make test`'s
    # processes keep that order only between scopes (--dist loadscope sends a module, or a
    # class, to one process whole), so a module holding both kinds puts the former in a class.
    scopes: dict[str, set[bool]] = {}
    for item in items:
        if "db" in item.fixturenames or item.get_closest_marker("django_db"):
            scope = item.nodeid.split("::")[0] + (f"::{item.cls.__name__}" if item.cls else "")
            scopes.setdefault(scope, set()).add(_empties_the_database(item))
    mixed = sorted(scope for scope, kinds in scopes.items() if len(kinds) == 2)
    if mixed:
        raise pytest.UsageError(
            "Tests that commit for real (transaction=True, transactional_db, live_server) share "
            "a module with tests that need the migrations' rows; move them into a class of "
            "their own: " + ", ".join(mixed)
        )


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def systemd(tmp_path):
    """Units for stand-ins: cgroups named as systemd names them, and their MainPID."""
    units = Systemd(tmp_path)
    yield units
    units.remove()


@pytest.fixture
def redis_url():
    """A Redis database of the tests' own (make test starts a Redis when none answers)."""
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def section(db):
    return Section.objects.create(name="Technology", slug="technology", order=1)


@pytest.fixture
def author(db):
    return Author.objects.create(name="Marta Ribeiro", slug="marta-ribeiro", bio="Tech reporter.")


@pytest.fixture
def make_article(db, section, author):
    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        n = counter["n"]
        tags = overrides.pop("tags", [])
        authors = overrides.pop("authors", [author])
        fields = {
            "title": f"Article number {n}",
            "slug": f"article-{n}",
            "standfirst": f"The lead of article {n}.",
            "body": f"First paragraph of article {n}.\n\nSecond paragraph.\n\nThird paragraph.",
            "section": section,
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(hours=n),
        }
        fields.update(overrides)
        article = save_article(article=Article(**fields))
        article.authors.set(authors)
        article.tags.set(tags)
        return article

    return make


@pytest.fixture
def second_page(make_article, tag):
    """Enough older stories that the lists have a page 2 (pages past the end are 404s)."""
    return [make_article(title=f"Older story {n}", tags=[tag]) for n in range(PAGE_SIZE + 1)]


@pytest.fixture
def article(make_article):
    return make_article(title="Xiaomi will mass-produce its car", slug="xiaomi-car")


@pytest.fixture
def draft(make_article):
    return make_article(
        title="Secret draft about batteries", slug="secret-draft", status=Article.Status.DRAFT
    )


@pytest.fixture
def scheduled(make_article):
    return make_article(
        title="Scheduled story about batteries",
        slug="scheduled-story",
        published_at=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def tag(db):
    return Tag.objects.create(name="Electric cars", slug="electric-cars")


@pytest.fixture
def add_related(db):
    def add(article, target=None, *, url="", title="", order=0, in_body=None):
        return RelatedLink.objects.create(
            article=article,
            target_article=target,
            url=url,
            title=title,
            order=order,
            in_body_after_paragraph=in_body,
        )

    return add


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "staffer", "staffer@example.com", "pw-staff-123", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def cron_on_time(db):
    """Each of our cron jobs as if it had just run. The migrations count them as run when they
    make the test database, and a long suite gets past remind_moderators' 30 minutes."""
    from newsportal.jobs import RECORDED, record_run

    for name in RECORDED:
        record_run(name)


@pytest.fixture
def database_read_only(transactional_db, django_db_serialized_rollback):
    """The database answers reads and refuses writes, for real: a PostgreSQL standby the site
    reaches before a failover has finished (SQLSTATE 25006), a read-only SQLite file. It
    commits for real, so it puts back the migrations' rows as every such test here does: a flush
    without them recreated the content types under new ids, which the next such test's restore
    then collided with."""
    from django.db import connection

    read_only, writable = {
        "postgresql": (
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        ),
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(read_only)
    yield
    with connection.cursor() as cursor:
        cursor.execute(writable)


@pytest.fixture
def database_down():
    """Every new cursor on the default database fails as if the server had gone away."""
    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        yield
