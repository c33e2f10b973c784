"""Fixtures for the comment tests: personas, comments, valid form data (articles: conftest).

Loaded as a pytest plugin (see pytest_plugins in the comment test modules / tests/conftest.py).
"""

import re
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy
from comments.tokens import form_token

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_comment_cache():
    # Rate limits, flood keys, the mail throttle and cached comment HTML live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_comment(db):
    def make(article, **fields):
        n = Comment.objects.count() + 1
        defaults = {
            "name": f"Reader {n}",
            "email": f"reader{n}@example.com",
            "body": f"Comment number {n}.",
            "ip_address": "203.0.113.9",
            "status": Comment.Status.PENDING,
            # Written by its address's owner (the mail tests' usual case); the consent tests
            # post through the form instead.
            "owner_vouched": True,
        }
        return Comment.objects.create(article=article, **{**defaults, **fields})

    return make


@pytest.fixture
def approved_comment(article, make_comment):
    comment = make_comment(article, status=Comment.Status.APPROVED, name="Early Bird")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    return comment


@pytest.fixture
def comment_form_data():
    """Valid POST data for the comment form, with a start time safely in the past."""

    def data(article, *, seconds_ago=60, **overrides):
        values = {
            "name": "Maria Lopez",
            "email": "maria@example.com",
            "body": "Good to see prices falling at last.",
            "notify": "",
            "parent": "",
            "website": "",
            "started": form_token(article.pk, issued_at=time.time() - seconds_ago),
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    return data


@pytest.fixture
def reader():
    return Client(REMOTE_ADDR="198.51.100.7")


def _staff(django_user_model, username, *, perms=(), groups=(), **extra):
    user = django_user_model.objects.create_user(
        username, f"{username}@newsroom.example", PASSWORD, is_staff=True, **extra
    )
    for codename in perms:
        app_label, codename = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def moderator(db, django_user_model):
    return _staff(django_user_model, "moderator", groups=["Moderators"])


@pytest.fixture
def second_moderator(db, django_user_model):
    return _staff(django_user_model, "moderator2", groups=["Moderators"])


@pytest.fixture
def editor(db, django_user_model):
    # Edits articles and can read comments, but is not a moderator.
    perms = ["articles.view_article", "articles.change_article", "comments.view_comment"]
    return _staff(django_user_model, "editor", perms=perms)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@newsroom.example", PASSWORD)


@pytest.fixture
def stranger_staff(db, django_user_model):
    return _staff(django_user_model, "stranger")


def _client_fixture(persona: str):
    # Asks for `db` by name: the persona is looked up at run time, so without it pytest-django
    # would order these tests after the transactional ones, which empty the seeded tables.
    @pytest.fixture(name=f"{persona.removesuffix('_staff')}_client")
    def logged_in(request, db):
        client = Client()
        client.force_login(request.getfixturevalue(persona))
        return client

    return logged_in


moderator_client = _client_fixture("moderator")
editor_client = _client_fixture("editor")
superuser_client = _client_fixture("superuser")
stranger_client = _client_fixture("stranger_staff")


@pytest.fixture
def submit(db):
    """submit_comment() with sensible reader input; override any field."""
    from comments.services import submit_comment

    def submit(article, **fields):
        values = {
            "name": "Maria Lopez",
            "email": "maria@example.com",
            "body": "A thoughtful comment.",
            "ip": "203.0.113.9",
            "notify": False,
        }
        return submit_comment(article=article, **{**values, **fields})

    return submit


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(write, *args, **kwargs): the write, then what it left for after its commit
    (moderator mail, purges), as its request's commit runs them: a test's own transaction never
    commits."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def as_shown(comments) -> dict:
    """What the queue page posts with a bulk action: each row's revision of the words it showed
    (read now, as a page loaded just before the click shows them)."""
    rows = Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("pk", "revision")
    return {f"seen-{pk}": revision for pk, revision in rows}


def offered_actions(client, url) -> set[str]:
    """The bulk actions a list's action bar offers (their names)."""
    html = client.get(url).content.decode()
    bar = html[html.index('name="action"') :]
    return set(re.findall(r'<option value="(\w+)"', bar[: bar.index("</select>")]))


def report_url(comment):
    return f"/comments/report/{comment.pk}/"


@pytest.fixture
def reader_with_token():
    """A reader whose browser ran comments.js: a CSRF cookie and token from the form-token URL."""

    def make(article, ip="198.51.100.7"):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ip)
        token = client.get(f"/comments/form-token/{article.pk}/").json()["csrfmiddlewaretoken"]
        client.token = token
        return client

    return make


def send_report(client, comment, reason="abuse", text=""):
    data = {"reason": reason, "text": text, "csrfmiddlewaretoken": client.token}
    return client.post(report_url(comment), data)


@pytest.fixture
def hidden(approved_comment, make_comment):
    """A published comment with a published reply (count 2), hidden by one report."""
    article = approved_comment.article
    make_comment(article, parent=approved_comment, status="approved", body="Agreed!")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    approved_comment.refresh_from_db()
    assert approved_comment.status == Comment.Status.PENDING
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    return approved_comment
