"""An erased address whose owner stopped mail comes back in clear with a comment written with it
(CommenterAddress.objects.take_back). Anyone may type it: once no comment holds it any more, the
row goes back under its keyed hash, so the erase's "no row holds the address" stays true."""

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.deletion import delete_comments
from comments.models import Comment, CommenterAddress, ModerationPolicy
from comments.tokens import status_token
from tests.test_commenter_privacy import _rows_holding, mailed_to
from tests.test_privacy_erase_keeps_stop import EMAIL, stopped_then_erased  # noqa: F401

ADDRESS_ROW = ["comments.CommenterAddress.email", "comments.CommenterAddress.mailbox"]


def _stranger_posts(reader, article, comment_form_data, settings, **data) -> Comment:
    settings.COMMENTS_FLOOD_SECONDS = 0
    post = reverse("comments:post", args=[article.pk])
    values = {"name": "Not Maria", "body": "A stranger's words.", **data}
    reader.post(post, comment_form_data(article, **values))
    return Comment.objects.get(email=EMAIL)


def test_a_strangers_comment_deleted_by_its_writer_leaves_no_row_holding_the_address(
    reader,
    article,
    comment_form_data,
    stopped_then_erased,  # noqa: F811
    settings,
):
    comment = _stranger_posts(reader, article, comment_form_data, settings)
    assert _rows_holding(EMAIL) != []  # her stop page may offer her this comment meanwhile

    reader.post(reverse("comments:status", args=[status_token(comment)]) + "delete/", {})

    assert _rows_holding(EMAIL) == []
    # The stop still holds: typed again with a box ticked, the address is mailed nothing.
    _stranger_posts(reader, article, comment_form_data, settings, notify="on")
    assert mailed_to(EMAIL) == []
    assert CommenterAddress.objects.get(email=EMAIL).mail_stopped_at is not None
    # And the comment written since is offered on her stop page again.
    assert "Mail me a link to my comments" in (
        reader.get(stopped_then_erased["stop"]).content.decode()
    )


def test_a_strangers_comment_deleted_by_a_moderator_is_forgotten_by_the_retention_job(
    reader,
    article,
    comment_form_data,
    stopped_then_erased,  # noqa: F811
    settings,
):
    _stranger_posts(reader, article, comment_form_data, settings)
    # What its commit runs left undone (failed, say; at once: test_privacy_moderator_delete).
    delete_comments(Comment.objects.filter(email=EMAIL))
    assert _rows_holding(EMAIL) == ADDRESS_ROW

    call_command("prune_comments", verbosity=0)

    assert _rows_holding(EMAIL) == []
    assert "Mail is stopped" in reader.get(stopped_then_erased["stop"]).content.decode()


def test_spam_written_with_the_address_does_not_bring_it_back(
    reader,
    article,
    comment_form_data,
    stopped_then_erased,  # noqa: F811
    settings,
):
    ModerationPolicy.objects.update_or_create(pk=1, defaults={"blocked_words": "viagra"})

    spam = _stranger_posts(reader, article, comment_form_data, settings, body="Cheap Viagra")

    assert spam.status == Comment.Status.SPAM
    assert _rows_holding(EMAIL) == ["comments.Comment.email"]  # the spam alone, until pruned


def _queries_to_post(reader, article, comment_form_data, **data) -> int:
    post = reverse("comments:post", args=[article.pk])
    # With what its commit runs: the moderators' mail is queued then.
    with (
        CaptureQueriesContext(connection) as queries,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        assert reader.post(post, comment_form_data(article, **data)).status_code == 302
    return len(queries)


def test_what_posting_a_comment_costs(reader, article, comment_form_data, settings):
    """The erased row is taken back by one conditional UPDATE, once per post."""
    settings.COMMENTS_FLOOD_SECONDS = 0

    no_box = _queries_to_post(reader, article, comment_form_data, body="First words here.")
    box = _queries_to_post(reader, article, comment_form_data, notify="on", body="Second one.")

    assert Comment.objects.filter(email=EMAIL).count() == 2
    assert CommenterAddress.objects.get(email=EMAIL).confirmation_sent_at is not None
    assert (no_box, box) == (12, 21)
