"""Deleting stories in the admin: what goes with them, who may, and what readers see after."""

import pytest
from django.contrib.auth.models import Group
from django.db.models import ProtectedError
from django.test import Client

from articles.models import Article, Author
from comments.models import Comment


@pytest.fixture
def newsroom_editor_client(db, django_user_model):
    """Staff in the Editors group, as README says to make an editor: no comment permissions."""
    user = django_user_model.objects.create_user("desk", "desk@newsroom.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def commented(article, make_comment):
    first = make_comment(article, status=Comment.Status.APPROVED, body="Great reporting.")
    make_comment(article, status=Comment.Status.APPROVED, parent=first, body="Agreed.")
    make_comment(article, body="Waiting for a moderator, with my phone number 555-0101.")
    return article


def test_an_editor_deletes_a_story_with_comments_and_its_comments_go_with_it(
    newsroom_editor_client, commented, purges, django_capture_on_commit_callbacks
):
    page = f"/admin/articles/article/{commented.pk}/delete/"

    confirm = newsroom_editor_client.get(page)
    html = confirm.content.decode()
    assert "permission to delete" not in html
    assert "3 comments" in html  # said before anything goes
    assert "555-0101" not in html  # readers' words are not the editor's to read
    with django_capture_on_commit_callbacks(execute=True):
        done = newsroom_editor_client.post(page, {"post": "yes"})

    assert done.status_code == 302
    assert not Article.objects.filter(pk=commented.pk).exists()
    assert not Comment.objects.exists()
    assert any(f"article-{commented.pk}" in keys for keys in purges)
    assert Client().get(commented.get_absolute_url()).status_code == 404


def test_an_editor_deletes_several_stories_with_comments_from_the_list(
    newsroom_editor_client, commented, make_article, purges, django_capture_on_commit_callbacks
):
    other = make_article(title="A quiet story")
    data = {"action": "delete_selected", "_selected_action": [commented.pk, other.pk]}

    confirm = newsroom_editor_client.post("/admin/articles/article/", data)
    assert "permission to delete" not in confirm.content.decode()
    assert "3 comments" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newsroom_editor_client.post("/admin/articles/article/", {**data, "post": "yes"})

    assert not Article.objects.filter(pk__in=[commented.pk, other.pk]).exists()
    assert not Comment.objects.exists()
    assert any(f"article-{commented.pk}" in keys for keys in purges)


def test_staff_who_may_not_delete_stories_still_cannot(editor_client, commented):
    # The fixture's editor may change stories and read comments, not delete stories.
    page = f"/admin/articles/article/{commented.pk}/delete/"

    assert editor_client.get(page).status_code == 403
    assert editor_client.post(page, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=commented.pk).exists()
    assert Comment.objects.count() == 3


# --- Bylines ---------------------------------------------------------------------------------
def test_an_author_with_stories_is_kept_and_the_editor_told_which_stories_name_them(
    newsroom_editor_client, article, author
):
    page = f"/admin/articles/author/{author.pk}/delete/"

    html = newsroom_editor_client.get(page).content.decode()
    newsroom_editor_client.post(page, {"post": "yes"})
    data = {"action": "delete_selected", "_selected_action": [author.pk], "post": "yes"}
    listed = newsroom_editor_client.post("/admin/articles/author/", data).content.decode()

    assert "Xiaomi will mass-produce its car" in html and "Yes, I’m sure" not in html
    assert "Xiaomi will mass-produce its car" in listed
    assert list(article.authors.all()) == [author]
    assert Client().get(author.get_absolute_url()).status_code == 200


def test_the_service_refuses_to_leave_a_story_without_its_author(article, author):
    # Not only the admin: a script or a shell session goes through the same service.
    from articles.listing_services import delete_listing_entries

    with pytest.raises(ProtectedError):
        delete_listing_entries(queryset=Author.objects.filter(pk=author.pk))

    assert list(article.authors.all()) == [author]


def test_an_author_without_stories_is_deleted(
    newsroom_editor_client, article, purges, django_capture_on_commit_callbacks
):
    other = Author.objects.create(name="Left Early", slug="left-early")
    with django_capture_on_commit_callbacks(execute=True):
        done = newsroom_editor_client.post(
            f"/admin/articles/author/{other.pk}/delete/", {"post": "yes"}
        )

    assert done.status_code == 302
    assert not Author.objects.filter(pk=other.pk).exists()
    assert Client().get(other.get_absolute_url()).status_code == 404


def test_deleting_a_tag_names_the_stories_it_is_taken_off(
    newsroom_editor_client, make_article, tag, django_capture_on_commit_callbacks
):
    story = make_article(title="Chargers on every street", tags=[tag])
    page = f"/admin/articles/tag/{tag.pk}/delete/"

    html = newsroom_editor_client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        newsroom_editor_client.post(page, {"post": "yes"})

    assert "Chargers on every street" in html
    assert "Article_tags object" not in html  # the row that filed it, named by its number
    assert list(story.tags.all()) == []
    assert Client().get(story.get_absolute_url()).status_code == 200


# --- Related links ---------------------------------------------------------------------------
def test_the_related_links_deleted_with_a_story_name_both_stories(
    newsroom_editor_client, article, make_article, add_related
):
    # A link is a row between two stories: "Related link: Chargers" said neither which story
    # it was on nor, for a link to the story deleted, which other story loses it.
    chargers = make_article(title="Chargers <b>everywhere</b>")
    roads = make_article(title="Roads & rails")
    add_related(article, chargers)
    add_related(roads, article)
    add_related(article, url="https://example.org/plans", title="The plans, in <i>full</i>")

    confirm = newsroom_editor_client.get(f"/admin/articles/article/{article.pk}/delete/")
    html = confirm.content.decode()

    assert confirm.status_code == 200
    assert (
        "Related link from “Xiaomi will mass-produce its car” to "
        "“Chargers &lt;b&gt;everywhere&lt;/b&gt;”"
    ) in html
    assert "Related link from “Roads &amp; rails” to “Xiaomi will mass-produce its car”" in html
    assert (
        "Related link from “Xiaomi will mass-produce its car” to "
        "“The plans, in &lt;i&gt;full&lt;/i&gt;” (https://example.org/plans)"
    ) in html
    assert "<b>everywhere" not in html and "<i>full" not in html
    assert "Related link: " not in html
