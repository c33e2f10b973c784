"""`make reload MIGRATE=1` runs the release before for a while on the schema migrated for this
one: its stories are written without the columns it does not know (worked_on_at, migration
0023; readers_question, 0024), which the database fills itself (db_default). Without that the
old release's "Add article" was a server error (IntegrityError: NOT NULL) until the switch."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.migration_steps import models_at
from tests.test_article_admin_list_order import _titles

BEFORE_0023 = [("articles", "0022_corrections")]


@pytest.fixture
def editor_client(db):
    desk = Client()
    editors = Group.objects.get(name="Editors")
    desk.force_login(editors.user_set.create(username="desk", is_staff=True))
    return desk


def test_the_release_before_adds_a_story_on_this_schema(editor_client, make_article, section):
    make_article(title="Worked on an hour ago", status="draft")
    Article.objects.update(worked_on_at=timezone.now() - timedelta(hours=1))
    old = models_at(BEFORE_0023)
    before = timezone.now()

    # As the old release's save writes it: 0022's columns only.
    added = old.get_model("articles", "Article").objects.create(
        title="Added by the old release",
        slug="added-by-the-old-release",
        standfirst="Lead.",
        body="Body.",
        section=old.get_model("articles", "Section").objects.get(pk=section.pk),
        status="draft",
        published_at=before,
        updated_at=before,
    )

    story = Article.objects.get(pk=added.pk)
    assert story.readers_question == ""
    second = timedelta(seconds=1)  # SQLite's clock reads milliseconds
    assert before - second <= story.worked_on_at <= timezone.now() + second
    # Placed as just worked on, above the draft worked on an hour ago.
    assert _titles(editor_client, state="draft")[:2] == [
        "Added by the old release",
        "Worked on an hour ago",
    ]


def test_a_story_made_in_python_still_starts_with_python_s_values(section):
    # The Python defaults are kept: a new story's form and preview read them before any save.
    story = Article(title="New", section=section)
    assert story.readers_question == ""
    assert abs(story.worked_on_at - timezone.now()) < timedelta(seconds=5)
