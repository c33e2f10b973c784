"""A picture saved over another with its alt text and caption left as they were is saved (the
editor may have checked them), and the editor is told to check they describe the new one: they
were written for the one replaced, and readers who hear the page read out get them."""

from articles.models import Article
from tests.article_forms import change_form_data
from tests.test_article_kept_picture import photo, post_change

WORDS = {"hero_alt": "Firefighters on the market roof", "hero_caption": "The fire on Sunday."}
CHECK = "check that they describe it"


def _said(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def _with_a_picture(editor_client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_change(editor_client, article, change_form_data(article, **WORDS), hero_image=photo())
    return Article.objects.get(pk=article.pk).hero_image.name


def test_a_new_picture_with_the_old_words_is_saved_and_the_editor_told_to_check_them(
    editor_client, article, django_capture_on_commit_callbacks
):
    first = _with_a_picture(editor_client, article, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change(
            editor_client,
            article,
            change_form_data(article, **WORDS),
            hero_image=photo("roof.jpg", (20, 20, 200)),
        )

    said = _said(editor_client.get(response["Location"]))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).hero_image.name != first
    assert "new picture kept the alt text and caption of the one it replaced" in said
    assert CHECK in said and "“Firefighters on the market roof”" in said


def test_new_words_with_the_new_picture_or_a_first_picture_say_nothing_more(
    editor_client, article, django_capture_on_commit_callbacks
):
    response = post_change(
        editor_client, article, change_form_data(article, **WORDS), hero_image=photo()
    )
    assert CHECK not in _said(editor_client.get(response["Location"]))

    described = change_form_data(article, **WORDS) | {"hero_alt": "A fire engine at the gate"}
    response = post_change(editor_client, article, described, hero_image=photo("gate.jpg"))

    assert response.status_code == 302
    assert CHECK not in _said(editor_client.get(response["Location"]))
