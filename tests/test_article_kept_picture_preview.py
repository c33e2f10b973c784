"""The change form back with errors says the same of the picture in both places: the picture
field's "Picture kept: <name>" and the "Preview" row under it, which said "No image yet." for a
picture the form had just said it kept."""

from articles.models import Article
from tests.article_forms import change_form_data
from tests.test_article_kept_picture import photo, post_change


def preview_row(page: str) -> str:
    row = page.split("field-hero_preview", 1)[1]
    return row.split('<div class="readonly">', 1)[1].split("</div>", 1)[0]


def test_a_picture_kept_for_a_story_without_one_is_said_in_the_preview(editor_client, article):
    data = change_form_data(article, title="", hero_alt="The new bridge")

    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()

    assert "Picture kept: bridge.jpg" in page
    preview = preview_row(page)
    assert "No image yet." not in preview
    assert "bridge.jpg is kept: it is shown here once the story is saved." in preview


def test_a_picture_kept_to_replace_one_says_which_one_goes(
    editor_client, article, django_capture_on_commit_callbacks
):
    data = change_form_data(article, hero_alt="The old bridge")
    with django_capture_on_commit_callbacks(execute=True):
        post_change(editor_client, article, data, hero_image=photo("old.jpg"))
    assert Article.objects.get(pk=article.pk).hero_renditions
    data.update(title="")

    page = post_change(editor_client, article, data, hero_image=photo()).content.decode()

    preview = preview_row(page)
    assert "<img" in preview  # the story's picture, as readers still see it
    assert "bridge.jpg is kept: it replaces this picture once the story is saved." in preview
