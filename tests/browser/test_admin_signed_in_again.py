"""An editor's form opened before they signed in again (in another tab, after the night) saves:
signing in replaces the CSRF token that form carries, and its save was refused, the story typed
into it lost to "Please try again"."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

FIX = "\n\nCorrection: the plant is in Lisbon, not Porto."


def test_a_story_edited_in_a_tab_opened_before_signing_in_again_is_saved(
    page, article, django_user_model
):
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body = page.locator("#id_body")
    body.fill(body.input_value() + FIX)

    # The end of a shift in another tab (Log out), and the next morning's sign-in there.
    other_tab = page.context.new_page()
    other_tab.goto("/admin/")
    other_tab.locator("#logout-form button").click()
    other_tab.goto("/admin/login/?next=/admin/")
    other_tab.get_by_label("Username").fill("sam")
    other_tab.get_by_label("Password").fill(PASSWORD)
    other_tab.get_by_role("button", name="Log in").click()
    expect(other_tab.locator("#site-name")).to_be_visible()

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=article.pk).body.endswith("not Porto.")
