"""A picture chosen for a story with no alt text: the form came back refused ("Describe the
image…") without the picture (a browser cannot show a chosen file again), and an editor who
typed the alt text and saved published the story without it. The browser asks first."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_a_picture_chosen_without_alt_text_is_kept_until_the_words_are_typed(
    page, article, django_user_model
):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(buffer, "JPEG")
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_hero_image").set_input_files(
        {"name": "bridge.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}
    )

    page.get_by_role("button", name="Save and continue editing").click()

    alt = page.locator("#id_hero_alt")
    expect(alt).to_be_focused()
    assert "alt text" in alt.evaluate("(field) => field.validationMessage")
    alt.fill("The new bridge at dusk")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    story = Article.objects.get(pk=article.pk)
    assert story.hero_image.name.endswith("-bridge.jpg")
    assert story.hero_alt == "The new bridge at dusk"
