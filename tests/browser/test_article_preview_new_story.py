"""A reporter writes a new story in the admin and, before its first save, presses "Preview
changes": its page opens in a new tab as the form has it (the byline chosen with the author
search), and the form, in its own tab, still has every word; nothing is saved until Save."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_a_new_story_is_read_in_a_new_tab_before_its_first_save(
    page, section, author, django_user_model
):
    reporter = django_user_model.objects.create_user("reporter", password=PASSWORD, is_staff=True)
    # What the Editors group grants, given here: the group is a data migration's row, which
    # the browser tests' emptied tables do not bring back.
    reporter.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(
            codename__startswith="delete_"
        )
    )
    log_in_to_admin(page, "reporter")
    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").fill("Night ferry returns to the estuary")
    page.get_by_label("Lead:").fill("The crossing runs again from May.")
    page.get_by_label("Body:").fill("The **ferry** is back.\n\nTwo crossings a night.")
    page.get_by_label("Section:").select_option(label=section.name)
    page.locator("#bylines-0 .select2-selection").click()
    page.locator(".select2-results__option", has_text=author.name).click()

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview changes").click()
    preview = opened.value

    expect(preview.locator("h1")).to_have_text("Night ferry returns to the estuary")
    expect(preview.get_by_role("note")).to_contain_text("Close this tab to return to the form")
    expect(preview.locator(".byline-authors")).to_have_text(f"By {author.name}")
    expect(preview.locator(".article-body strong")).to_have_text("ferry")
    assert not Article.objects.exists()
    preview.close()
    expect(page.locator("#id_title")).to_have_value("Night ferry returns to the estuary")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    assert Article.objects.get().authors.get() == author
