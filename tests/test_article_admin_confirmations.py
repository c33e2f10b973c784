"""What the admin tells an editor once a change is made: which stories, and what readers now see
(a count alone let a story ticked by mistake go unnoticed)."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article

CHANGELIST = "/admin/articles/article/"


def _said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_unpublishing_names_the_stories_taken_down(admin_client, make_article):
    first = make_article(title="Battery pack prices fall")
    second = make_article(title="Xiaomi starts work on its car")

    answer = admin_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [first.pk, second.pk]}, follow=True
    )

    said = _said(answer)
    assert "Unpublished 2 article(s)" in said
    assert "“Battery pack prices fall”" in said and "“Xiaomi starts work on its car”" in said


def test_publishing_names_the_stories_out_now_and_those_scheduled(admin_client, make_article):
    now = make_article(title="Bridge reopens", status=Article.Status.DRAFT)
    later = make_article(
        title="Budget day preview",
        status=Article.Status.DRAFT,
        published_at=timezone.now() + timedelta(days=1),
    )

    answer = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [now.pk, later.pk]}, follow=True
    )

    said = _said(answer)
    assert "Published 1 article(s): “Bridge reopens”." in said
    assert "Scheduled 1 article(s), dated later: “Budget day preview”" in said


def test_many_stories_are_named_up_to_a_few_and_the_rest_counted(admin_client, make_article):
    stories = [make_article(title=f"Story {n}") for n in range(1, 7)]

    answer = admin_client.post(
        CHANGELIST,
        {"action": "unpublish", "_selected_action": [s.pk for s in stories]},
        follow=True,
    )

    said = _said(answer)
    assert "Unpublished 6 article(s): “Story 1”, “Story 2”, “Story 3” and 3 more." in said


def test_a_headline_with_markup_is_named_as_typed(admin_client, make_article):
    story = make_article(title="The <blink> tag returns")

    answer = admin_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [story.pk]}, follow=True
    )

    assert "“The &lt;blink&gt; tag returns”" in answer.content.decode()
