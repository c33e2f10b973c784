"""A moderator deletes the last comment written with an address whose owner stopped all mail: the
address row keeps only the stop, under its keyed hash, at once, as the writer's own delete does.
It stayed in clear until the daily prune (comments.privacy.prune_old_data)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.deletion import delete_comments
from comments.models import Comment, CommenterAddress, erased_email
from tests.mail_helpers import verify
from tests.test_commenter_privacy import _rows_holding, mailed_to

CHANGELIST = "/admin/comments/comment/"


def _stopped(email: str) -> CommenterAddress:
    address = verify(email)
    CommenterAddress.objects.filter(pk=address.pk).update(mail_stopped_at=timezone.now())
    return address


def _deleted_in_the_admin(client, comments):
    data = {
        "action": "delete_selected",
        "_selected_action": [c.pk for c in comments],
        "post": "yes",
    }
    return client.post(CHANGELIST, data)


def test_a_stopped_address_whose_last_comment_a_moderator_deletes_is_kept_only_as_its_hash(
    superuser_client, committed, article, submit, make_comment
):
    address = _stopped("maria@example.com")
    comment = committed(submit, article, email="maria@example.com", notify=True)
    assert mailed_to("maria@example.com") == []  # the stop holds

    response = committed(_deleted_in_the_admin, superuser_client, [comment])

    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert _rows_holding("maria@example.com") == []
    kept = CommenterAddress.objects.get(pk=address.pk)
    assert kept.email == erased_email("maria@example.com") and kept.mail_stopped_at is not None
    # Typed again, the address takes its stop back: still mailed nothing.
    committed(submit, article, name="Not Maria", email="maria@example.com", notify=True)
    assert mailed_to("maria@example.com") == []
    assert CommenterAddress.objects.get(email="maria@example.com").mail_stopped_at is not None


def test_only_the_deleted_comments_addresses_and_only_those_left_without_a_comment(
    superuser_client, committed, article, make_comment
):
    for email in ("ann@example.com", "bea@example.com", "cy@example.com", "dan@example.com"):
        _stopped(email)
    ann = make_comment(article, email="ann@example.com")
    reply = make_comment(article, email="bea@example.com", parent=ann)
    cy = make_comment(article, email="cy@example.com")
    make_comment(article, email="cy@example.com")  # Cy still has one on the site
    # Dan's last comment went before this change: his row waits for the prune, not for us.

    committed(_deleted_in_the_admin, superuser_client, [ann, cy])

    assert list(Comment.objects.values_list("email", flat=True)) == ["cy@example.com"]
    assert reply.pk not in Comment.objects.values_list("pk", flat=True)  # went with Ann's
    left = set(CommenterAddress.objects.values_list("email", flat=True))
    assert left == {
        erased_email("ann@example.com"),
        erased_email("bea@example.com"),
        "cy@example.com",
        "dan@example.com",
    }


def test_forgetting_costs_the_same_queries_for_three_addresses_as_for_one(
    committed, article, make_comment
):
    def cost(emails):
        comments = []
        for email in emails:
            _stopped(email)
            comments.append(make_comment(article, email=email))
        with CaptureQueriesContext(connection) as queries:
            committed(delete_comments, Comment.objects.filter(pk__in=[c.pk for c in comments]))
        assert _rows_holding(emails[0]) == []
        return len(queries)

    one = cost(["one@example.com"])
    three = cost(["a@example.com", "b@example.com", "c@example.com"])

    assert three == one
