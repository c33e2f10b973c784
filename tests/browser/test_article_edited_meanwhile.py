"""Two editors on one story, in real browsers: what a browser posts back of the rows and lists
the editor left alone (a link to one of our stories, chosen in its search box; the authors and
tags) reads as left alone, so what another editor changed there meanwhile is kept."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Tag
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

FIX = "\n\nCorrection: the plant is in Lisbon, not Porto."


def test_a_typo_fixed_in_a_form_opened_before_a_link_and_a_tag_changed_keeps_both(
    new_page, article, add_related, make_article, tag, django_user_model
):
    add_related(article, url="https://example.org/plant", title="The plant in Lisbon")
    add_related(article, make_article(title="Xiaomi opens its factory"), order=1, in_body=2)
    article.tags.set([tag])
    change = f"/admin/articles/article/{article.pk}/change/"
    for username in ("sam", "dana"):
        django_user_model.objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    sams = new_page()
    log_in_to_admin(sams, "sam")
    sams.goto(change)

    danas = new_page()
    log_in_to_admin(danas, "dana")
    danas.goto(change)
    danas.locator("#id_related_links-0-title").fill("The plant, in Lisbon")
    danas.get_by_role("button", name="Save", exact=True).click()
    expect(danas.locator(".messagelist .success")).to_be_visible()
    article.tags.add(Tag.objects.create(name="Batteries", slug="batteries"))

    body = sams.locator("#id_body")
    body.fill(body.input_value() + FIX)
    sams.get_by_role("button", name="Save", exact=True).click()

    expect(sams.locator(".messagelist .warning")).to_contain_text(
        "Related links were changed (kept)"
    )
    story = Article.objects.get(pk=article.pk)
    assert story.body.endswith("not Porto.")
    assert sorted(map(str, story.related_links.all())) == [
        "The plant, in Lisbon",
        "Xiaomi opens its factory",
    ]
    assert sorted(map(str, story.tags.all())) == ["Batteries", "Electric cars"]
