"""The flood interval: one comment per COMMENTS_FLOOD_SECONDS from one address or one e-mail,
with the refused text kept, and a wait started only by a comment that was stored."""

from unittest import mock

import pytest
from django.urls import reverse

from comments.models import Comment


def _post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def test_a_second_comment_within_the_flood_interval_is_refused_with_the_text_kept(
    reader, article, make_article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    other = make_article()
    _post(reader, article, comment_form_data(article))

    response = _post(reader, other, comment_form_data(other, body="Quick second thought"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15
    assert "Please wait" in response.content.decode()
    assert "Quick second thought" in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_flood_interval_also_holds_for_one_email_from_another_ip(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    _post(Client(REMOTE_ADDR="192.0.2.1"), article, comment_form_data(article, body="one"))

    response = _post(Client(REMOTE_ADDR="192.0.2.2"), article, comment_form_data(article))

    assert response.status_code == 429


def _comments_close_on_the_way():
    # Comments close in the moment between the page's check and the comment being stored.
    return mock.patch("comments.services.comments_open", return_value=False)


def _database_goes_away():
    from django.db import OperationalError

    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    return mock.patch("comments.models.Comment.save", side_effect=error)


@pytest.mark.parametrize(
    ("failure", "status"), [(_comments_close_on_the_way, 200), (_database_goes_away, 503)]
)
def test_a_post_not_stored_after_the_flood_check_starts_no_wait(
    reader, article, comment_form_data, settings, failure, status
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    reader.raise_request_exception = False
    with failure():
        refused = _post(reader, article, comment_form_data(article, body="Worth keeping"))
    assert refused.status_code == status
    assert "Worth keeping" in refused.content.decode()  # given back to send again

    response = _post(reader, article, comment_form_data(article, body="Worth keeping"))

    assert response.status_code == 302
    assert Comment.objects.get().body == "Worth keeping"


def test_a_post_the_flood_interval_refused_starts_no_wait_of_its_own(
    article, comment_form_data, settings
):
    from django.test import Client

    settings.COMMENTS_FLOOD_SECONDS = 15
    _post(Client(REMOTE_ADDR="192.0.2.1"), article, comment_form_data(article, body="one"))
    # Bob on the same connection a moment later: refused (the connection's wait).
    bob = comment_form_data(article, email="bob@example.com", body="Bob's view")
    assert _post(Client(REMOTE_ADDR="192.0.2.1"), article, bob).status_code == 429

    # From his own connection he is not held up by the post that was refused.
    assert _post(Client(REMOTE_ADDR="192.0.2.7"), article, bob).status_code == 302
