"""A hero picture removed from a story ("Clear") takes its words with it: its alt text, caption
and credit described that picture. Kept, they were on no page (nor in search), but the next
picture chosen went out described as the one removed, since the form asks for alt text only
when there is none."""

from articles.models import Article
from tests.article_forms import change_form_data
from tests.test_article_kept_picture import photo, post_change

WORDS = {
    "hero_alt": "Firefighters on the roof of the market hall",
    "hero_caption": "The fire at the market hall on Sunday.",
    "hero_credit": "Ana Lima/Reuters",
}


def test_a_picture_removed_leaves_no_words_to_describe_the_next(
    editor_client, article, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        added = post_change(
            editor_client, article, change_form_data(article, **WORDS), hero_image=photo()
        )
    assert added.status_code == 302
    assert "Firefighters" in client.get(article.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        cleared = post_change(
            editor_client,
            article,
            change_form_data(article, **WORDS) | {"hero_image-clear": "on"},
        )

    assert cleared.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert not stored.hero_image
    assert (stored.hero_alt, stored.hero_caption, stored.hero_credit) == ("", "", "")
    page = client.get(article.get_absolute_url()).text
    assert "Firefighters" not in page and "Ana Lima" not in page
    # The next picture is described anew: the form asks for its alt text.
    refused = post_change(editor_client, article, change_form_data(article), hero_image=photo())
    assert "Describe the image for readers who cannot see it" in refused.content.decode()


def test_a_picture_replaced_keeps_its_words_for_the_editor_to_change(
    editor_client, article, django_capture_on_commit_callbacks
):
    post_change(editor_client, article, change_form_data(article, **WORDS), hero_image=photo())

    with django_capture_on_commit_callbacks(execute=True):
        replaced = post_change(
            editor_client,
            article,
            change_form_data(article, **WORDS),
            hero_image=photo("roof.jpg", (20, 20, 200)),
        )

    assert replaced.status_code == 302
    assert Article.objects.get(pk=article.pk).hero_alt == WORDS["hero_alt"]
