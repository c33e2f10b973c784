"""Staff posting in the admin while the database is down or takes no writes: a moderator's
typed reason, an editor's story, come back on the outage page to copy, as a reader's comment
does; never their password, the CSRF token or what the form carried for them, and on a page no
cache keeps."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connections

from tests.test_article_admin import change_form_data
from tests.test_outage_keeps_text import Page, assert_never_kept

TOKEN = "k3YtOkEnVaLuEfOrCsRfChEcKs0123456789abcdefghijklmnopqrstuv"
REASON = 'Off topic <b>and</b> "rude" & personal'


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # as in production: the handler answers
    return client


@contextmanager
def database_down():
    """The server gone from now on (conftest's database_down, after the sign-in)."""
    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        yield


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def boxes(response) -> dict[str, str]:
    """Each box of given-back text, by its label."""
    page = Page(response.content.decode())
    labels = [line.split(">", 1)[1] for line in response.content.decode().split("<label")[1:]]
    labels = [label.split("</label>")[0] for label in labels]
    values = [b["value"].removeprefix("\n") for b in page.boxes]
    assert all(b["readonly"] for b in page.boxes)
    return dict(zip(labels, values, strict=True))


@pytest.mark.django_db
def test_a_moderators_typed_reason_comes_back_when_the_database_is_down(
    client, moderator, article, make_comment
):
    comment = make_comment(article)
    client.force_login(moderator)
    # A card's Reject, as the queue's form posts it (every card's fields, the bar's too).
    data = {
        "csrfmiddlewaretoken": TOKEN,
        "action": "reject_selected",
        "select_across": "0",
        "index": "0",
        "_selected_action": [str(comment.pk)],
        f"seen-{comment.pk}": "3",
        f"preset-{comment.pk}": "",
        f"reason-{comment.pk}": REASON,
        "reason": "",
        "_next_pending": "1",
        "_changelist_filters": "status=pending",
    }

    with database_down():
        response = client.post(f"/admin/comments/comment/{comment.pk}/reject/", data)

    assert response.status_code == 503
    page = Page(response.content.decode())
    assert page.heading == "Your changes were not saved"
    assert "Go back and save it again in a minute." in page.said
    assert boxes(response) == {f"reason {comment.pk}": REASON}
    html = response.content.decode()
    assert "<b>and" not in html  # escaped: their text, never markup
    for carried in (TOKEN, "reject_selected", "status=pending"):
        assert carried not in html
    assert_never_kept(response)


@pytest.mark.django_db
def test_a_password_change_during_the_outage_gives_no_password_back(client, moderator):
    client.force_login(moderator)
    data = {
        "csrfmiddlewaretoken": TOKEN,
        "old_password": "old secret words",
        "new_password1": "new secret words",
        "new_password2": "new secret words",
    }

    with database_down():
        response = client.post("/admin/password_change/", data)

    assert response.status_code == 503
    assert "secret words" not in response.content.decode()
    assert TOKEN not in response.content.decode()
    assert Page(response.content.decode()).boxes == []
    assert_never_kept(response)


@pytest.mark.django_db
def test_a_sign_in_during_the_outage_is_personal_and_shows_nothing_it_sent(client):
    with database_down():
        response = client.post("/admin/login/", {"username": "chief", "password": "secret words"})

    assert response.status_code == 503
    assert "chief" not in response.content.decode()
    assert "secret words" not in response.content.decode()
    assert_never_kept(response)


@pytest.mark.django_db
def test_fields_named_like_secrets_never_come_back(client, moderator, article, make_comment):
    comment = make_comment(article)
    client.force_login(moderator)
    secrets = {"api_token": "tok secret", "otp_code": "otp secret", "signing_key": "key secret"}

    with database_down():
        response = client.post(
            f"/admin/comments/comment/{comment.pk}/reject/",
            {**secrets, f"reason-{comment.pk}": "Off topic", "client_secret": "cs secret"},
        )

    assert boxes(response) == {f"reason {comment.pk}": "Off topic"}
    assert "secret" not in response.content.decode()


@pytest.mark.django_db
def test_signing_out_during_the_outage_is_not_told_of_unsaved_changes(client, moderator):
    client.force_login(moderator)

    with database_down():
        response = client.post("/admin/logout/", {"csrfmiddlewaretoken": TOKEN})

    assert response.status_code == 503
    assert Page(response.content.decode()).heading != "Your changes were not saved"
    assert_never_kept(response)


class TestWithTheDatabaseReadOnly:
    """It commits for real (the read-only session must be the connection's own)."""

    def test_an_editors_story_comes_back_when_the_database_takes_no_writes(
        self, editor_client, article, database_read_only
    ):
        url = f"/admin/articles/article/{article.pk}/change/"
        opened = editor_client.get(url).context["adminform"].form["opened_as"].value()
        body = "The council voted <script>x()</script> 7-2.\n\nResidents & shops object."
        data = change_form_data(
            article,
            title="Council approves the new bridge",
            body=body,
            opened_as=opened,
            csrfmiddlewaretoken=TOKEN,
            _save="Save",
        )

        response = editor_client.post(url, data)

        assert response.status_code == 503
        given = boxes(response)
        assert given["title"] == "Council approves the new bridge"
        assert given["body"] == body
        assert given["standfirst"] == article.standfirst
        html = response.content.decode()
        assert "<script>x()" not in html
        assert TOKEN not in html and opened not in html and "opened as" not in given
        assert not any(label.startswith(("related links", "published at")) for label in given)
        assert_never_kept(response)
        article.refresh_from_db()
        assert article.title != "Council approves the new bridge"
