"""The admin's "View on site" (/admin/r/<type>/<id>/): it leads only staff who may see the
object in the admin, and tells nobody else where an object is or whether it exists."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from comments.models import Comment


def _view_on_site(client, obj):
    content_type = ContentType.objects.get_for_model(obj)
    return client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))


def test_a_moderator_is_not_told_a_drafts_address(moderator_client, draft):
    response = _view_on_site(moderator_client, draft)

    assert response.status_code == 404
    assert "secret-draft" not in response.get("Location", "")


def test_staff_who_may_read_articles_are_led_to_the_draft(superuser_client, draft):
    response = _view_on_site(superuser_client, draft)

    assert response.status_code == 302
    assert response["Location"].endswith("/articles/secret-draft/")


def test_staff_who_may_not_read_comments_are_not_told_where_one_is(
    stranger_client, approved_comment
):
    assert _view_on_site(stranger_client, approved_comment).status_code == 404


def test_a_moderator_still_finds_a_comment_on_the_site(moderator_client, approved_comment):
    response = _view_on_site(moderator_client, approved_comment)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{approved_comment.pk}")


def test_a_key_of_the_wrong_kind_is_not_found_not_a_server_error(superuser_client):
    # The task results' keys are UUIDs: "1" made the stock view fail with a 500.
    content_type = ContentType.objects.get(app_label="django_tasks_database")
    response = superuser_client.get(reverse("admin:view_on_site", args=[content_type.pk, "1"]))

    assert response.status_code == 404


def test_a_moderator_is_not_told_a_drafts_address_through_a_comment_on_it(
    moderator_client, draft, make_comment
):
    # The comment's own page offers no "View on site"; its address led there all the same.
    waiting = make_comment(draft)

    response = _view_on_site(moderator_client, waiting)

    assert response.status_code == 404
    assert "secret-draft" not in response.get("Location", "")


def test_a_published_reply_under_a_comment_off_the_page_offers_no_view_on_site(
    moderator_client, article, make_comment
):
    # Its parent went back to the queue: readers see neither, and the button led to the
    # article without the reply.
    parent = make_comment(article, status=Comment.Status.PENDING)
    reply = make_comment(article, parent=parent, status=Comment.Status.APPROVED)

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[reply.pk]))

    assert "View on site" not in page.content.decode()
    assert _view_on_site(moderator_client, reply).status_code == 404


@pytest.mark.parametrize("parent_status", [Comment.Status.REJECTED, Comment.Status.SPAM])
def test_a_published_reply_under_a_removed_comment_is_found_on_the_site(
    moderator_client, article, make_comment, parent_status
):
    # Its parent turned down after readers answered it: the reply stays on the page, under
    # "Comment removed by a moderator." (tests/test_moderation_edit_rejected_replies.py).
    parent = make_comment(article, status=parent_status)
    reply = make_comment(article, parent=parent, status=Comment.Status.APPROVED)

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[reply.pk]))

    assert "View on site" in page.content.decode()
    assert _view_on_site(moderator_client, reply)["Location"].endswith(f"#comment-{reply.pk}")


def test_a_published_reply_under_a_published_comment_is_found_on_the_site(
    moderator_client, article, make_comment
):
    parent = make_comment(article, status=Comment.Status.APPROVED)
    reply = make_comment(article, parent=parent, status=Comment.Status.APPROVED)

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[reply.pk]))

    assert "View on site" in page.content.decode()
    assert _view_on_site(moderator_client, reply)["Location"].endswith(f"#comment-{reply.pk}")
