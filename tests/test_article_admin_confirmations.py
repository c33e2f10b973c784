"""What the admin tells an editor once a change is made: which stories, and what readers now see
(a count alone let a story ticked by mistake go unnoticed)."""

from datetime import timedelta

from django.utils import timezone

from articles.admin_deletion import PICTURE_STAYS
from articles.models import Article
from tests.article_forms import as_new_story
from tests.test_article_kept_picture import photo, post_change
from tests.test_article_publishing_dates import form_as_shown

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
    assert "Unpublished 2 articles" in said
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
    assert "Published 1 article: “Bridge reopens”." in said
    assert "Scheduled 1 article, dated later: “Budget day preview”" in said


def test_many_stories_are_named_up_to_a_few_and_the_rest_counted(admin_client, make_article):
    stories = [make_article(title=f"Story {n}") for n in range(1, 7)]

    answer = admin_client.post(
        CHANGELIST,
        {"action": "unpublish", "_selected_action": [s.pk for s in stories]},
        follow=True,
    )

    said = _said(answer)
    assert "Unpublished 6 articles: “Story 1”, “Story 2”, “Story 3” and 3 more." in said


def test_a_headline_with_markup_is_named_as_typed(admin_client, make_article):
    story = make_article(title="The <blink> tag returns")

    answer = admin_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [story.pk]}, follow=True
    )

    assert "“The &lt;blink&gt; tag returns”" in answer.content.decode()


def _saved(client, article, **changes):
    data = form_as_shown(article, **changes)
    return client.post(f"{CHANGELIST}{article.pk}/change/", data, follow=True)


def test_a_draft_published_in_its_form_is_said_to_be_on_the_site_now(admin_client, draft):
    answer = _saved(admin_client, draft, status="published")

    assert f"Published: “{draft.title}” is on the site now." in _said(answer)


def test_a_story_taken_down_in_its_form_is_said_to_be_off_the_site(admin_client, article):
    answer = _saved(admin_client, article, status="draft")

    said = _said(answer)
    assert f"Unpublished: “{article.title}” is a draft again: readers no longer see it" in said


def test_a_correction_saved_says_nothing_of_publishing(admin_client, article, draft):
    fixed = _saved(admin_client, article, title="Xiaomi will mass-produce its first car")
    kept_draft = _saved(admin_client, draft, status="draft", body="A better draft.")

    assert "Published:" not in _said(fixed) and "Unpublished:" not in _said(fixed)
    assert "Published:" not in _said(kept_draft)


def test_a_published_story_s_new_address_is_said_and_that_the_old_one_leads_to_it(
    admin_client, article
):
    answer = _saved(admin_client, article, slug="xiaomi-first-car")

    assert (
        "Its address is now /articles/xiaomi-first-car/: links to the old one, "
        "/articles/xiaomi-car/, lead readers here." in _said(answer)
    )


def test_a_draft_s_new_address_says_nothing_of_an_old_one(admin_client, draft):
    answer = _saved(admin_client, draft, status="draft", slug="renamed-draft")

    assert "old one" not in _said(answer)


def test_a_new_story_s_form_shows_no_updated_time_and_a_saved_one_does(admin_client, article):
    # The add form showed "Updated at: <now>" of a story not written yet.
    adding = admin_client.get(f"{CHANGELIST}add/").content.decode()
    changing = admin_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()

    assert "Updated at" not in adding
    assert "Updated at" in changing
    added = admin_client.post(
        f"{CHANGELIST}add/",
        as_new_story(
            form_as_shown(article, slug="a-new-story", **{"related_links-TOTAL_FORMS": "0"})
        ),
    )
    assert added.status_code == 302
    assert Article.objects.filter(slug="a-new-story").exists()


def _pictured(client, article) -> Article:
    post_change(client, article, form_as_shown(article, hero_alt="A roof"), hero_image=photo())
    return Article.objects.get(pk=article.pk)


def _media_addresses(article) -> list[str]:
    return [f"/media/{name}" for name in Article.objects.get(pk=article.pk).hero_file_names]


def test_a_story_taken_down_with_its_picture_says_how_to_take_the_picture_down_too(
    admin_client, client, article, django_capture_on_commit_callbacks
):
    # Kept at its unguessable addresses for when it is published again (the correction case);
    # a story pulled for legal reasons has its picture taken down by clearing it, as said.
    with django_capture_on_commit_callbacks(execute=True):
        _pictured(admin_client, article)
    addresses = _media_addresses(article)
    answer = admin_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [article.pk]}, follow=True
    )
    said = _said(answer)
    assert PICTURE_STAYS in said
    assert all(client.get(address).status_code == 200 for address in addresses)

    draft = Article.objects.get(pk=article.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cleared = _saved(admin_client, draft, status="draft", **{"hero_image-clear": "on"})

    assert "Unpublished" not in _said(cleared)
    assert all(client.get(address).status_code == 404 for address in addresses)


def test_a_story_taken_down_in_its_form_says_so_of_its_picture_too(admin_client, article):
    story = _pictured(admin_client, article)

    said = _said(_saved(admin_client, story, status="draft", hero_alt="A roof"))

    assert PICTURE_STAYS in said
