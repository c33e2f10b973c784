"""An editor adds a correction in Articles › Corrections: the story search box offers the
stories that have been out (a story taken down among them), never a draft still being written,
which has nothing readers read to correct."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Correction
from articles.services import unpublish_articles
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_the_story_search_finds_a_story_taken_down_but_not_a_draft(
    page, make_article, django_user_model
):
    pulled = make_article(title="Battery plant story taken down")
    unpublish_articles(queryset=Article.objects.filter(pk=pulled.pk))
    make_article(title="Battery plant draft", status=Article.Status.DRAFT)
    django_user_model.objects.create_superuser("desk", "desk@example.com", PASSWORD)
    log_in_to_admin(page, "desk")
    page.goto("/admin/articles/correction/add/")
    expect(page.get_by_text("Only stories that have been out")).to_be_visible()

    page.locator(".field-article .select2-selection").click()
    page.locator(".select2-search__field").fill("battery")

    found = page.locator(".select2-results__option")
    expect(found).to_have_text(["Battery plant story taken down"])
    found.first.click()
    page.get_by_label("Text:").fill("The plant opened in 2024, not 2023.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Correction.objects.get().article_id == pulled.pk
