"""Staff posting in the admin while the database is down or takes no writes: a moderator's
typed reason, an editor's story, come back on the outage page to copy, as a reader's comment
does, each box named as their form named it (the article form's labels, an inline's row, the
moderator's desk's own words); never a choice they made, their password, the CSRF token or what
the form carried for them, and on a page no cache keeps."""

import re
from contextlib import contextmanager
from html import unescape
from unittest import mock

import pytest
from django.db import OperationalError, connections

from tests.article_forms import change_form_data
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


def queue_form(comment, **typed) -> dict:
    """The queue's form as a card's button or the bar's Go posts it (every card's fields, the
    bar's too), with what the moderator typed."""
    return {
        "csrfmiddlewaretoken": TOKEN,
        "action": "reject_selected",
        "select_across": "0",
        "index": "0",
        "_selected_action": [str(comment.pk)],
        f"seen-{comment.pk}": "3",
        f"preset-{comment.pk}": "",
        f"reason-{comment.pk}": "",
        "reason": "",
        "_next_pending": "1",
        "_changelist_filters": "status=pending",
        **typed,
    }


@pytest.mark.django_db
def test_a_moderators_typed_reason_comes_back_when_the_database_is_down(
    client, moderator, article, make_comment
):
    comment = make_comment(article)
    client.force_login(moderator)
    # A card's Reject, as the queue's form posts it (every card's fields, the bar's too).
    data = queue_form(comment, **{f"reason-{comment.pk}": REASON})

    with database_down():
        response = client.post(f"/admin/comments/comment/{comment.pk}/reject/", data)

    assert response.status_code == 503
    page = Page(response.content.decode())
    assert page.heading == "Your changes were not saved"
    assert "Go back and save it again in a minute." in page.said
    # Named as the desk names it, never by the field the card posted ("reason 12").
    assert boxes(response) == {f"Reason for comment {comment.pk} (sent to the commenter)": REASON}
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
        # A form the page names by its model and labels: it would name these too.
        on_a_story = client.post(
            f"/admin/articles/article/{article.pk}/change/",
            {**secrets, "title": "A new headline", "client_secret": "cs secret"},
        )

    label = f"Reason for comment {comment.pk} (sent to the commenter)"
    assert boxes(response) == {label: "Off topic"}
    assert "secret" not in response.content.decode()
    assert boxes(on_a_story) == {"Title": "A new headline"}
    assert "secret" not in on_a_story.content.decode()


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
        assert given["Title"] == "Council approves the new bridge"
        assert given["Body"] == body
        assert given["Lead"] == article.standfirst
        html = response.content.decode()
        assert "<script>x()" not in html
        assert TOKEN not in html and opened not in html and "Opened as" not in given
        assert not any(label.startswith(("Related link", "Published")) for label in given)
        assert_never_kept(response)
        article.refresh_from_db()
        assert article.title != "Council approves the new bridge"


@pytest.mark.django_db
def test_an_editors_boxes_carry_the_article_forms_labels_and_no_choice(client, editor, article):
    client.force_login(editor)
    data = change_form_data(
        article,
        title="Council approves the new bridge",
        standfirst="Seven votes to two, after <em>three</em> hours.",
        csrfmiddlewaretoken=TOKEN,
        kicker_line="Exclusive",  # a field neither the form nor the model knows
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-id": "",
            "related_links-0-article": str(article.pk),
            "related_links-0-target_article": "",
            "related_links-0-url": "https://example.org/bridge-plans",
            "related_links-0-title": "The plans, in full",
            "related_links-0-order": "0",
        },
    )

    with database_down():
        response = client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 503
    assert boxes(response) == {
        "Title": "Council approves the new bridge",
        "Slug": article.slug,
        "Lead": "Seven votes to two, after <em>three</em> hours.",
        "Body": article.body,
        "Related link #1: External URL": "https://example.org/bridge-plans",
        "Related link #1: Title": "The plans, in full",
        "Kicker line": "Exclusive",
    }
    html = response.content.decode()
    assert "<em>three" not in html  # escaped
    assert "published" not in html.lower()  # the status they chose, not wrote
    assert_never_kept(response)


@pytest.mark.django_db
def test_a_preset_reasons_row_is_named_by_the_inlines_model(client, superuser):
    client.force_login(superuser)
    data = {
        "csrfmiddlewaretoken": TOKEN,
        "link_limit": "2",
        "moderation_words": "casino\nloans",
        "auto_approve_returning": "on",
        "rejection_reasons-TOTAL_FORMS": "1",
        "rejection_reasons-INITIAL_FORMS": "0",
        "rejection_reasons-0-id": "",
        "rejection_reasons-0-policy": "1",
        "rejection_reasons-0-order": "1",
        "rejection_reasons-0-label": "Off-topic",
        "rejection_reasons-0-text": "Off-topic: keep to the story.",
        "_save": "Save",
    }

    with database_down():
        response = client.post("/admin/comments/moderationpolicy/1/change/", data)

    assert boxes(response) == {
        "Moderation words": "casino\nloans",
        "Preset rejection reason #1: Label": "Off-topic",
        "Preset rejection reason #1: Text": "Off-topic: keep to the story.",
    }


@pytest.mark.django_db
def test_the_reason_on_a_comments_page_is_named_as_the_page_names_it(
    client, moderator, article, make_comment
):
    comment = make_comment(article)
    client.force_login(moderator)
    # The comment's own page: its Decide box, Reject pressed, a preset left chosen.
    data = {
        "csrfmiddlewaretoken": TOKEN,
        "_next_pending": "1",
        "_changelist_filters": "status=pending",
        f"seen-{comment.pk}": "1",
        "preset": "2",
        "reason": REASON,
    }

    with database_down():
        response = client.post(f"/admin/comments/comment/{comment.pk}/reject/", data)

    assert boxes(response) == {"Your own reason (for a rejection)": REASON}
    assert "<b>and" not in response.content.decode()


@pytest.mark.django_db
def test_the_queues_action_bar_reason_is_named_as_the_bar_names_it(
    client, moderator, article, make_comment
):
    comment = make_comment(article)
    client.force_login(moderator)
    data = queue_form(comment, reason=REASON)

    with database_down():
        response = client.post("/admin/comments/comment/?status=pending", data)

    assert boxes(response) == {"Reason (sent with rejections)": REASON}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("post", "label"),
    [
        (
            {"action": "block", "period": "forever", "reason": REASON},
            "Why (blocking this commenter)",
        ),
        ({"action": "reject_all", "reason": REASON}, "Reason (sent with a rejection)"),
        ({"action": "note", "text": REASON}, "Note for the other moderators"),
    ],
)
def test_the_commenters_page_names_each_box_as_it_does(client, moderator, post, label):
    client.force_login(moderator)

    with database_down():
        response = client.post(
            "/admin/comments/comment/commenter/?email=maria%40example.com",
            {"csrfmiddlewaretoken": TOKEN, **post},
        )

    assert response.status_code == 503
    assert boxes(response) == {label: REASON}
    # The block's period is a choice they made, not words they wrote.
    assert "forever" not in response.content.decode()
    assert_never_kept(response)


@pytest.mark.django_db
def test_a_cards_reason_is_named_by_its_comments_author_and_first_words(
    client, moderator, article, make_comment
):
    # "Reason for comment 4127" named nothing a moderator had seen on the card.
    comment = make_comment(
        article, name="Ann <b>Lee</b>", body="Prices   falling at last, and high time too, say I."
    )
    client.force_login(moderator)
    queue = client.get("/admin/comments/comment/").content.decode()
    drawn = re.search(rf'name="about-{comment.pk}" value="([^"]*)"', queue)[1]
    data = queue_form(comment, **{f"about-{comment.pk}": unescape(drawn)})

    with database_down():
        response = client.post(
            f"/admin/comments/comment/{comment.pk}/reject/",
            {**data, f"reason-{comment.pk}": REASON},
        )

    label = (
        "Reason for the comment by Ann &lt;b&gt;Lee&lt;/b&gt;, "
        "“Prices falling at last, and high time too,…” (sent to the commenter)"
    )
    assert boxes(response) == {label: REASON}
    assert "<b>Lee" not in response.content.decode()
