"""A take-down from the list's action bar, like the other bulk actions, takes down only what the
page showed, as it showed it: "Select all" reaches comments the moderator never read, and a
ticked comment its author edited since says other words now. Those stay up, and the moderator
is told so, as of the ticked ones another moderator took down meanwhile."""

from django.db.models import F

from articles.models import Article
from comments.models import Comment
from comments.services import take_down
from tests.comment_fixtures import as_shown

CHANGELIST = "/admin/comments/comment/"


def test_select_all_takes_down_only_the_comments_the_page_showed(
    moderator_client, client, article, make_comment
):
    shown = make_comment(article, status=Comment.Status.APPROVED, body="Shown and read.")
    never_shown = make_comment(article, status=Comment.Status.APPROVED, body="Never read.")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)

    told = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {
            "action": "take_down_selected",
            "select_across": "1",
            "_selected_action": [shown.pk],
            **as_shown([shown]),
            "reason": "Advertising",
        },
        follow=True,
    ).content.decode()

    assert Comment.objects.get(pk=shown.pk).taken_down_at is not None
    assert Comment.objects.get(pk=never_shown.pk).status == Comment.Status.APPROVED
    assert "1 comment taken down." in told
    assert "1 comment not shown to you (on other pages, or new since) was left as it was" in told
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Never read." in page and "Shown and read." not in page
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def test_a_ticked_comment_edited_since_the_page_showed_it_stays_up(
    moderator_client, article, make_comment
):
    read = make_comment(article, status=Comment.Status.APPROVED)
    edited = make_comment(article, status=Comment.Status.APPROVED)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    shown = as_shown([read, edited])
    # Its author changes the words after the page was drawn (a clean edit stays up).
    Comment.objects.filter(pk=edited.pk).update(body="New words.", revision=F("revision") + 1)

    told = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {"action": "take_down_selected", "_selected_action": [read.pk, edited.pk], **shown},
        follow=True,
    ).content.decode()

    assert Comment.objects.get(pk=read.pk).taken_down_at is not None
    assert Comment.objects.get(pk=edited.pk).status == Comment.Status.APPROVED
    assert "1 comment taken down." in told
    assert "1 comment edited by its author since you read it was left as it was" in told


def test_a_ticked_comment_taken_down_meanwhile_by_another_moderator_is_told(
    moderator_client, second_moderator, approved_comment
):
    shown = as_shown([approved_comment])  # the page is drawn; then another takes it down
    take_down([approved_comment], by=second_moderator, reason="Off topic")

    told = moderator_client.post(
        f"{CHANGELIST}?status=approved",
        {"action": "take_down_selected", "_selected_action": [approved_comment.pk], **shown},
        follow=True,
    ).content.decode()

    # It said nothing at all: the moderator could not tell whether Go had done anything.
    # Named, with who took it down, once: not counted as having left the list besides.
    assert (
        "The comment by Early Bird had been taken down by moderator2 meanwhile: that decision "
        "stands." in told
    )
    assert "ticked had left this list" not in told
    assert Comment.objects.get(pk=approved_comment.pk).rejection_reason == "Off topic"


def test_a_ticked_comment_whose_reports_were_answered_meanwhile_is_told_so(
    moderator_client, second_moderator, approved_comment
):
    from comments.desk import dismiss_reports, report_comment

    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    shown = as_shown([approved_comment])  # the Reported queue is drawn; another dismisses
    dismiss_reports(comment=approved_comment, by=second_moderator)

    told = moderator_client.post(
        f"{CHANGELIST}?status=reported",
        {"action": "take_down_selected", "_selected_action": [approved_comment.pk], **shown},
        follow=True,
    ).content.decode()

    assert "its reports answered by another moderator meanwhile" in told
    assert Comment.objects.get(pk=approved_comment.pk).status == Comment.Status.APPROVED
