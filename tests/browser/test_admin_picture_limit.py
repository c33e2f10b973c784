"""A picture far over IMAGE_MAX_BYTES never reached the form that would refuse it with the text
kept: the proxy answers a body over PROXY_ADMIN_BODY_MAX with a bare 413, and Back on an admin
page (no-store) may bring the form back empty. The browser checks the file's size when it is
chosen and again at save, and sends nothing, naming the file's size and the limit."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_a_picture_over_the_limit_is_refused_in_the_browser_and_the_text_stays(
    page, article, django_user_model, settings
):
    settings.IMAGE_MAX_BYTES = 50 * 1024  # read from the server: the page says what it is
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_title").fill("Xiaomi's car: the first drive")
    page.locator("#id_hero_alt").fill("The car on a test track")
    picture = page.locator("#id_hero_image")

    picture.set_input_files(
        {"name": "track.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (300 * 1024)}
    )

    said = picture.evaluate("(field) => field.validationMessage")
    assert "“track.jpg” is 300.0 KB" in said and "at most 50.0 KB" in said, said
    page.get_by_role("button", name="Save and continue editing").click()
    expect(picture).to_be_focused()
    assert "300.0 KB" in picture.evaluate("(field) => field.validationMessage")
    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_title")).to_have_value("Xiaomi's car: the first drive")
    assert Article.objects.get(pk=article.pk).title == article.title

    picture.set_input_files([])  # chosen again: nothing, or a picture under the limit
    assert picture.evaluate("(field) => field.validationMessage") == ""
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=article.pk).title == "Xiaomi's car: the first drive"
