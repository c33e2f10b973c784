"""A preview of a form opened before another editor changed the story shows the page its save
would make: their change kept (as the save keeps it), and dated as the save dates it. It showed
this editor's form as opened: a colleague's correction undone, and "Updated" now for a comment
box unticked, neither of which the save does."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Author
from tests.article_forms import byline_as
from tests.test_article_edited_meanwhile import TYPO_FIX, _change, opened


def _preview(client, article, form) -> str:
    response = client.post(f"/admin/articles/article/{article.pk}/preview/", form)
    assert response.status_code == 200
    return response.content.decode()


def _updated(page: str) -> str:
    dates = page.split('<p class="byline-dates">', 1)[1].split("</p>", 1)[0]
    return dates.split("Updated ", 1)[1] if "Updated" in dates else ""


def _time(at) -> str:
    return f'<time datetime="{timezone.localtime(at):%Y-%m-%dT%H:%M:%S%z}">'


def test_a_colleague_s_correction_is_previewed_kept_and_dated_as_they_made_it(
    superuser_client, editor_client, make_article
):
    story = make_article(published_at=timezone.now() - timedelta(days=2))
    subs_form = opened(editor_client, story, comments_enabled="")  # the sub only closes comments
    assert (
        superuser_client.post(
            _change(story), opened(superuser_client, story, body=story.body + TYPO_FIX)
        ).status_code
        == 302
    )
    corrected_at = timezone.now() - timedelta(hours=1)  # while the sub's form stayed open
    Article.objects.filter(pk=story.pk).update(updated_at=corrected_at)

    page = _preview(editor_client, story, subs_form)

    assert "not Porto." in page
    assert _updated(page).startswith(_time(corrected_at))
    assert "This story was changed since you opened this form by boss at" in page
    assert "Shown with their changes, which saving keeps." in page
    # And the save makes what the preview showed.
    assert editor_client.post(_change(story), subs_form).status_code == 302
    story.refresh_from_db()
    assert story.body.endswith("not Porto.") and story.updated_at == corrected_at


def test_a_story_pulled_meanwhile_is_previewed_as_a_draft(
    superuser_client, editor_client, make_article
):
    story = make_article(published_at=timezone.now() - timedelta(days=2))
    subs_form = opened(editor_client, story, body=story.body + TYPO_FIX)
    superuser_client.post(
        "/admin/articles/article/", {"action": "unpublish", "_selected_action": [story.pk]}
    )

    page = _preview(editor_client, story, subs_form)

    assert '<p class="byline-dates">Draft, not published</p>' in page
    assert "not Porto." in page


def test_what_both_changed_is_previewed_as_this_editor_s_and_said(
    superuser_client, editor_client, make_article
):
    story = make_article(published_at=timezone.now() - timedelta(days=2))
    subs_form = opened(editor_client, story, title="The sub's headline")
    assert (
        superuser_client.post(
            _change(story), opened(superuser_client, story, title="The chief's headline")
        ).status_code
        == 302
    )

    page = _preview(editor_client, story, subs_form)

    assert "<title>Preview: The sub&#x27;s headline" in page
    assert "saving will first show you theirs there, to read before you save again." in page


def test_a_byline_changed_meanwhile_is_said_to_be_drawn_as_this_form_has_it(
    superuser_client, editor_client, article, author
):
    # The preview draws the byline and links from this editor's rows: it said it showed the
    # colleague's changes, which a co-author added meanwhile contradicted.
    rui = Author.objects.create(name="Rui Costa", slug="rui-costa")
    subs_form = opened(editor_client, article, body=article.body + TYPO_FIX)
    chiefs = opened(superuser_client, article, **byline_as(article, [author, rui]))
    assert superuser_client.post(_change(article), chiefs).status_code == 302

    page = _preview(editor_client, article, subs_form)

    assert "The byline is now" in page
    assert "The byline and related links are drawn as your form has them" in page
    assert editor_client.post(_change(article), subs_form).status_code == 302
    assert "Rui Costa" in [str(b.author) for b in Article.objects.get(pk=article.pk).bylines.all()]
