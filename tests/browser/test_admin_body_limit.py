"""A story over what one save takes (DATA_UPLOAD_MAX_MEMORY_SIZE) was sent, and refused by an
error page: the browser says so before sending, on the body, and the page stays as it is."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_a_body_over_the_limit_is_not_sent_and_the_limit_is_named(
    page, article, django_user_model, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_480
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body = page.locator("#id_body")
    # Under the limit in characters, over it in bytes: "é" is two, a line break is sent as two.
    body.evaluate("(field, text) => { field.value = text; }", "Café société.\n" * 1400)  # a paste

    page.get_by_role("button", name="Save and continue editing").click()

    expect(body).to_be_focused()
    said = body.evaluate("(field) => field.validationMessage")
    assert "one save takes at most 20 KB" in said and "Shorten the body" in said
    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    assert Article.objects.get(pk=article.pk).body == article.body
    body.fill("A short story now.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=article.pk).body == "A short story now."
