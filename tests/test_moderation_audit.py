"""The audit trail: every decision, block and policy change is in Django's admin log, named
with its reason, in Recent actions and in each comment's history."""

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Article
from comments.desk import block_sender, report_comment
from comments.models import Comment, ModerationPolicy
from comments.services import approve, mark_spam, reject
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"
COMMENTER = f"{CHANGELIST}commenter/"


def test_every_decision_is_in_the_admin_log_with_its_reason(moderator, article, make_comment):
    one, two, three = (make_comment(article) for _ in range(3))

    approve(comment=one, by=moderator)
    reject(comment=two, by=moderator, reason="Off-topic")
    mark_spam(comment=three, by=moderator)

    messages = dict(
        LogEntry.objects.filter(user=moderator).values_list("object_id", "change_message")
    )
    assert messages == {
        str(one.pk): "Approved",
        str(two.pk): "Rejected: Off-topic",
        str(three.pk): "Marked as spam",
    }


def test_recent_actions_name_each_decision_with_its_comment(
    moderator_client, moderator, article, make_comment
):
    one, two = make_comment(article, name="Ann"), make_comment(article, name="Bo")
    approve(comment=one, by=moderator)
    reject(comment=two, by=moderator, reason="Off-topic")

    block = block_sender(kind="ip", value="2001:db8:1:2::7", period="7", by=moderator)

    html = moderator_client.get("/admin/").content.decode()

    assert f"Comment {one.pk} by Ann · Approved" in html
    assert f"Comment {two.pk} by Bo · Rejected<" in html
    assert f"{block} · Blocked 2001:db8:1:2::/64 for a week<" in html


def test_a_lost_decision_writes_no_log(moderator, second_moderator, article, make_comment):
    comment = make_comment(article)
    approve(comment=comment, by=second_moderator)

    assert not approve(comment=comment, by=moderator)

    assert not LogEntry.objects.filter(user=moderator).exists()


def test_decisions_show_in_the_comments_history(moderator_client, moderator, article, make_comment):
    comment = make_comment(article)
    reject(comment=comment, by=moderator, reason="Personal attack")

    html = moderator_client.get(f"{CHANGELIST}{comment.pk}/history/").content.decode()

    assert "Rejected: Personal attack" in html
    assert "moderator" in html


def test_a_policy_change_is_logged(superuser_client, superuser):
    superuser_client.post(
        "/admin/comments/moderationpolicy/1/change/",
        {
            "link_limit": 4,
            "hide_after_reports": 3,
            "rejection_reasons-TOTAL_FORMS": 0,
            "rejection_reasons-INITIAL_FORMS": 0,
        },
    )

    assert ModerationPolicy.current().hide_after_reports == 3
    entry = LogEntry.objects.get(user=superuser)
    assert entry.object_repr == "Moderation policy"
    assert "Link limit" in entry.get_change_message()


def test_a_reason_written_as_a_sentence_reads_as_one_beside_who_decided(
    moderator_client, moderator, article, make_comment
):
    make_comment(
        article,
        status="rejected",
        moderated_by=moderator,
        rejection_reason="Your comment is not about the article. ",
    )

    page = moderator_client.get(f"{CHANGELIST}?status=rejected").content.decode()

    assert "Your comment is not about the article, by moderator</div>" in page


@pytest.mark.parametrize(
    ("action", "queue", "words"),
    [
        ("take_down_selected", "reported", "upheld"),
        ("reject_selected", "pending", "upheld"),
        ("spam_selected", "pending", "upheld"),
        ("approve_selected", "pending", "dismissed"),
    ],
)
def test_comments_their_reports_hid_decided_together_each_log_their_own_reports(
    moderator_client, article, make_comment, action, queue, words
):
    # Decided in one pass, each history read the reports of them all: "4 reports upheld".
    ModerationPolicy.objects.create(hide_after_reports=1)
    once, thrice = (make_comment(article, status="approved") for _ in range(2))
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    report_comment(comment=once, reason="abuse", ip="198.51.100.1")
    for n in range(3):
        report_comment(comment=thrice, reason="spam", ip=f"198.51.100.{n + 2}")
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}

    moderator_client.post(
        f"{CHANGELIST}?status={queue}",
        {"action": action, "_selected_action": [once.pk, thrice.pk], **as_shown([once, thrice])},
    )

    for comment, said in [(once, "1 report"), (thrice, "3 reports")]:
        html = moderator_client.get(f"{CHANGELIST}{comment.pk}/history/").content.decode()
        assert f"{said} {words} by the decision" in html
        assert "4 reports" not in html
