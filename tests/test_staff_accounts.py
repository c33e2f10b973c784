"""Staff accounts, as a superuser manages them: an account whose work is in the admin's log is
deactivated, not deleted, so the newsroom's record of who decided what stays."""

from django.contrib.admin.models import LogEntry

from comments.services import approve, reject

USERS = "/admin/auth/user/"


def test_deleting_a_moderator_who_decided_comments_is_refused_and_the_history_kept(
    superuser_client, moderator, article, make_comment
):
    approve(comment=make_comment(article), by=moderator)
    reject(comment=make_comment(article), by=moderator, reason="Off-topic")

    page = superuser_client.get(f"{USERS}{moderator.pk}/delete/")
    assert "Cannot delete user" in page.content.decode()
    assert "2 entries by moderator in the newsroom’s history" in page.content.decode()
    assert "untick “Active”" in page.content.decode()

    response = superuser_client.post(f"{USERS}{moderator.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200  # the same refusal again, nothing deleted
    assert type(moderator).objects.filter(pk=moderator.pk).exists()
    assert LogEntry.objects.filter(user=moderator).count() == 2


def test_the_delete_selected_action_keeps_an_account_with_history_too(
    superuser_client, moderator, article, make_comment
):
    approve(comment=make_comment(article), by=moderator)

    response = superuser_client.post(
        USERS, {"action": "delete_selected", "_selected_action": [moderator.pk], "post": "yes"}
    )

    assert "Cannot delete user" in response.content.decode()
    assert type(moderator).objects.filter(pk=moderator.pk).exists()
    assert LogEntry.objects.filter(user=moderator).count() == 1


def test_an_account_with_no_history_can_still_be_deleted(superuser_client, stranger_staff):
    response = superuser_client.post(f"{USERS}{stranger_staff.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not type(stranger_staff).objects.filter(pk=stranger_staff.pk).exists()


def test_deactivating_an_account_keeps_its_history_and_ends_its_access(
    superuser_client, moderator, moderator_client, article, make_comment
):
    approve(comment=make_comment(article), by=moderator)
    moderator.is_active = False
    moderator.save()

    assert moderator_client.get("/admin/comments/comment/").status_code == 302  # to log in
    assert LogEntry.objects.filter(user=moderator).count() == 1


def test_asking_to_delete_many_accounts_costs_as_many_queries_as_two(
    superuser_client, django_user_model, moderator, article, make_comment
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    approve(comment=make_comment(article), by=moderator)
    others = [django_user_model.objects.create_user(f"old{n}") for n in range(6)]

    def queries_to_ask(users) -> int:
        pks = [user.pk for user in users]
        with CaptureQueriesContext(connection) as queries:
            page = superuser_client.post(
                USERS, {"action": "delete_selected", "_selected_action": pks}
            )
        assert "Cannot delete user" in page.content.decode()  # the moderator is among them
        return len(queries)

    assert queries_to_ask([moderator, *others]) == queries_to_ask([moderator, others[0]])
