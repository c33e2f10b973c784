"""A lead (or headline, caption, link) pasted from Word past its field's limit: the browser's
maxlength cut it without a word, and the story went out with its lead ending mid-word. The form
now refuses it, the text kept whole to shorten, as the comment forms do."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_a_lead_pasted_too_long_comes_back_whole_instead_of_cut_without_a_word(
    page, article, django_user_model
):
    lead = ("A lead pasted from Word that runs on. " * 20).strip()  # 759 characters
    link = "https://example.org/report?" + "utm_source=newsletter&" * 25  # 577 characters
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    for field, text in (("#id_standfirst", lead), ("#id_related_links-0-url", link)):
        page.locator(field).fill("")
        page.locator(field).focus()
        page.keyboard.insert_text(text)  # a paste: what a browser's maxlength cuts
        expect(page.locator(field)).to_have_value(text)
    page.locator("#id_related_links-0-title").fill("The report")

    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".field-standfirst .errorlist")).to_contain_text("at most 600 characters")
    expect(page.locator("#id_standfirst")).to_have_value(lead)
    expect(page.locator("#id_related_links-0-url")).to_have_value(link)
    assert Article.objects.get(pk=article.pk).standfirst == article.standfirst


def test_a_byline_s_bio_pasted_too_long_comes_back_whole(page, django_user_model):
    bio = ("Covers energy and the cities that run on it, from Lisbon. " * 20).strip()  # 1,179
    django_user_model.objects.create_superuser("sam", "sam@example.com", PASSWORD)
    log_in_to_admin(page, "sam")
    page.goto("/admin/articles/author/add/")
    page.locator("#id_name").fill("Ana Sousa")
    page.locator("#id_bio").focus()
    page.keyboard.insert_text(bio)
    expect(page.locator("#id_bio")).to_have_value(bio)

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".field-bio .errorlist")).to_contain_text("at most 1000 characters")
    expect(page.locator("#id_bio")).to_have_value(bio)
