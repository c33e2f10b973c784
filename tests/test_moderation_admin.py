"""Moderating in the Django admin: the queue, decisions, and who may make them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section
from comments.models import Comment
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


def _one_click(client, comment, decision, **data):
    return client.post(f"{CHANGELIST}{comment.pk}/{decision}/", data)


def test_the_moderators_group_holds_exactly_the_moderation_permissions(db):
    group = Group.objects.get(name="Moderators")

    codenames = sorted(group.permissions.values_list("content_type__app_label", "codename"))

    assert codenames == [("comments", "moderate_comment"), ("comments", "view_comment")]


def test_the_list_opens_on_the_pending_queue_oldest_first(moderator_client, article, make_comment):
    now = timezone.now()
    newer = make_comment(article, body="Newer pending", created_at=now - timedelta(hours=1))
    older = make_comment(article, body="Older pending", created_at=now - timedelta(hours=5))
    make_comment(article, body="Already approved", status="approved")

    response = moderator_client.get(CHANGELIST)

    html = response.content.decode()
    assert list(response.context["cl"].result_list) == [older, newer]
    assert "Already approved" not in html
    assert html.index("Older pending") < html.index("Newer pending")
    # Each card: who wrote it (name, e-mail, IP), on which article, how long it has waited.
    for shown in (older.name, older.email, older.ip_address, article.title, "5\xa0hours ago"):
        assert shown in html


def test_the_queue_shows_why_a_comment_was_held(moderator_client, article, make_comment):
    make_comment(article, held_because=["3 links (held at 2 or more)", "first-time commenter"])

    html = moderator_client.get(CHANGELIST).content.decode()

    assert "<li>3 links (held at 2 or more)</li>" in html
    assert "<li>first-time commenter</li>" in html


def test_the_status_filter_can_show_every_comment(moderator_client, article, make_comment):
    make_comment(article, status="approved", body="An approved one")

    assert "An approved one" in moderator_client.get(f"{CHANGELIST}?status=all").content.decode()
    assert (
        "An approved one" in moderator_client.get(f"{CHANGELIST}?status=approved").content.decode()
    )


def test_the_queue_filters_by_section(moderator_client, article, make_article, make_comment):
    sport = Section.objects.create(name="Sport", slug="sport")
    make_comment(article, body="About tech")
    make_comment(make_article(section=sport), body="About sport")

    html = moderator_client.get(f"{CHANGELIST}?article__section__id__exact={sport.pk}").content

    assert b"About sport" in html
    assert b"About tech" not in html


def test_the_queue_costs_the_same_queries_for_5_or_60_pending_comments(
    moderator_client, article, make_comment
):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert moderator_client.get(CHANGELIST).status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm: the moderator's user row is cached from the first request on
    for _ in range(5):
        make_comment(article)
    few = queries()
    for _ in range(55):
        make_comment(article)

    assert queries() == few


def test_one_click_approve_publishes_and_records_who_and_when(
    moderator_client, moderator, article, make_comment
):
    comment = make_comment(article)

    response = _one_click(moderator_client, comment, "approve")

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert timezone.now() - comment.moderated_at < timedelta(minutes=1)
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_one_click_reject_takes_the_reason_from_the_action_bar(
    moderator_client, article, make_comment
):
    comment = make_comment(article)

    _one_click(moderator_client, comment, "reject", reason="Personal attack")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason == "Personal attack"


def test_the_queue_offers_one_click_buttons_inside_the_csrf_protected_list_form(
    moderator_client, article, make_comment
):
    comment = make_comment(article)

    html = moderator_client.get(CHANGELIST).content.decode()

    assert f'formaction="{CHANGELIST}{comment.pk}/approve/"' in html
    assert f'formaction="{CHANGELIST}{comment.pk}/reject/"' in html
    assert 'name="reason"' in html
    assert "csrfmiddlewaretoken" in html


def test_one_click_urls_refuse_get(moderator_client, article, make_comment):
    comment = make_comment(article)

    assert moderator_client.get(f"{CHANGELIST}{comment.pk}/approve/").status_code == 405
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_bulk_spam_marks_every_selected_comment(moderator_client, article, make_comment):
    comments = [make_comment(article) for _ in range(3)]

    moderator_client.post(
        CHANGELIST,
        {
            "action": "spam_selected",
            "_selected_action": [c.pk for c in comments],
            **as_shown(comments),
        },
    )

    assert set(Comment.objects.values_list("status", flat=True)) == {"spam"}
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_an_editor_who_can_read_comments_cannot_approve_even_by_posting_by_hand(
    editor_client, article, make_comment
):
    comment = make_comment(article)

    assert editor_client.get(CHANGELIST).status_code == 200
    editor_client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [comment.pk], **as_shown([comment])},
    )
    one_click = _one_click(editor_client, comment, "approve")

    assert one_click.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert b"formaction" not in editor_client.get(CHANGELIST).content


def test_staff_without_comment_permissions_cannot_see_or_decide(
    stranger_client, article, make_comment
):
    comment = make_comment(article)

    assert stranger_client.get(CHANGELIST).status_code == 403
    assert _one_click(stranger_client, comment, "approve").status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_reader_is_sent_to_the_login_page(reader, article, make_comment):
    comment = make_comment(article)

    response = _one_click(reader, comment, "approve")

    assert response.status_code == 302
    assert "/admin/login/" in response.url
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_comments_cannot_be_added_or_edited_in_the_admin(superuser_client, article, make_comment):
    comment = make_comment(article)

    assert superuser_client.get(f"{CHANGELIST}add/").status_code == 403
    assert superuser_client.post(f"{CHANGELIST}add/", {"body": "Planted"}).status_code == 403
    # The change page is for reading: a full form posted to it changes nothing.
    change = f"{CHANGELIST}{comment.pk}/change/"
    form = {
        "name": "Someone else",
        "email": comment.email,
        "body": "Rewritten",
        "status": "approved",
    }
    assert superuser_client.post(change, form).status_code == 403

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Comment.Status.PENDING, "Comment number 1.")


def test_a_superuser_can_moderate(superuser_client, article, make_comment):
    comment = make_comment(article)

    _one_click(superuser_client, comment, "approve")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_the_admin_index_shows_the_queue_and_decision_times(
    moderator_client, moderator, article, make_comment
):
    now = timezone.now()
    make_comment(article, created_at=now - timedelta(hours=3))
    make_comment(article, created_at=now - timedelta(minutes=10))
    for minutes in (30, 60, 120):
        make_comment(
            article,
            status="approved",
            created_at=now - timedelta(minutes=minutes + 5),
            moderated_at=now - timedelta(minutes=5),
            moderated_by=moderator,
        )

    html = moderator_client.get("/admin/").content.decode()

    assert "Comment moderation" in html
    assert '<td class="moderation-pending">2</td>' in html
    assert "3\xa0hours" in html
    assert '<td class="moderation-median">1 h 0 min</td>' in html


def test_deleting_comments_keeps_the_approved_count_right(
    superuser_client, article, make_comment, moderator
):
    from comments.services import approve

    parent, other = make_comment(article), make_comment(article)
    for comment in (parent, other):
        approve(comment=comment, by=moderator)
    reply = make_comment(article, parent=parent)
    approve(comment=reply, by=moderator)
    assert Article.objects.get(pk=article.pk).approved_comment_count == 3

    superuser_client.post(
        f"{CHANGELIST}?status=approved",
        {"action": "delete_selected", "_selected_action": [parent.pk], "post": "yes"},
    )

    assert list(Comment.objects.all()) == [other]
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_a_moderator_can_decide_from_the_comments_own_page(moderator_client, article, make_comment):
    comment = make_comment(article, body="A long comment worth reading in full")
    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    assert "A long comment worth reading in full" in page
    assert f'formaction="{CHANGELIST}{comment.pk}/spam/"' in page

    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/spam/",
        HTTP_REFERER=f"http://testserver{CHANGELIST}{comment.pk}/change/",
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM


def test_view_on_site_is_offered_only_for_a_comment_readers_can_see(
    moderator_client, article, make_comment
):
    waiting = make_comment(article)
    rejected = make_comment(article, status=Comment.Status.REJECTED)
    published = make_comment(article, status=Comment.Status.APPROVED)

    def own_page(comment):
        return moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    # It led to the article, where a comment waiting or refused is nowhere to be seen.
    assert "View on site" not in own_page(waiting)
    assert "View on site" not in own_page(rejected)
    page = own_page(published)
    assert "View on site" in page
    assert f'href="{published.get_absolute_url()}"' in page


def test_an_editor_gets_no_decision_buttons_on_a_comments_page(
    editor_client, article, make_comment
):
    comment = make_comment(article)

    page = editor_client.get(f"{CHANGELIST}{comment.pk}/change/")

    assert page.status_code == 200
    assert b"formaction" not in page.content


def test_staff_without_comment_permissions_do_not_see_the_moderation_figures(db, stranger_client):
    assert b"Comment moderation" not in stranger_client.get("/admin/").content


def test_a_reject_reason_too_long_is_refused_with_a_message_not_an_error(
    moderator_client, article, make_comment
):
    comment = make_comment(article)

    response = _one_click(moderator_client, comment, "reject", reason="x" * 301)

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    page = moderator_client.get(CHANGELIST).content.decode()
    assert "Keep the reason to 300 characters" in page


# Waiting (again, edited), or taken down with its replies. (One rejected or spam after it was
# published keeps its replies' place: a reply approved there shows under its placeholder,
# tests/test_privacy_prune_keeps_waiting_replies.py.)
@pytest.mark.parametrize("unpublished", ["pending", "taken down"])
def test_a_reply_under_an_unpublished_comment_cannot_be_approved(
    moderator_client, client, article, make_comment, unpublished
):
    if unpublished == "pending":
        parent = make_comment(article, status=Comment.Status.PENDING)
    else:
        parent = make_comment(article, status=Comment.Status.REJECTED, taken_down_at=timezone.now())
    reply = make_comment(article, parent=parent, name="Orphan Reply")

    response = _one_click(moderator_client, reply, "approve")

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == Comment.Status.PENDING
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    assert "Approve the comment first" in moderator_client.get(CHANGELIST).content.decode()
    assert "Orphan Reply" not in client.get(article.get_absolute_url()).content.decode()


def test_a_comment_and_its_reply_approved_together_both_go_up(
    moderator_client, client, article, make_comment
):
    parent = make_comment(article, name="First Voice")
    reply = make_comment(article, parent=parent, name="Second Voice")

    moderator_client.post(
        CHANGELIST,
        {
            "action": "approve_selected",
            "_selected_action": [parent.pk, reply.pk],
            **as_shown([parent, reply]),
        },
    )

    assert Article.objects.get(pk=article.pk).approved_comment_count == 2
    html = client.get(article.get_absolute_url()).content.decode()
    assert "First Voice" in html
    assert "Second Voice" in html


def test_the_rejected_list_says_why_and_by_whom_in_the_same_queries_for_5_or_30(
    moderator_client, moderator, second_moderator, article, make_comment
):
    def reject(count, by, reason):
        for _ in range(count):
            make_comment(article, status="rejected", moderated_by=by, rejection_reason=reason)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page = moderator_client.get(f"{CHANGELIST}?status=rejected")
        return page.content.decode(), len(ctx.captured_queries)

    reject(4, moderator, "Off-topic")
    reject(1, second_moderator, "")
    page, few = queries()
    assert page.count('<div class="decided-by">Off-topic, by moderator</div>') == 4
    assert page.count('<div class="decided-by">by moderator2</div>') == 1

    reject(25, second_moderator, "Insults <another reader>")
    page, many = queries()
    assert many == few
    assert "Insults &lt;another reader&gt;, by moderator2" in page
