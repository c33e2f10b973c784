"""A slug that is another page's old address is refused wherever a page is saved, not only in
the admin's forms: a script or the demo loader saving through the services took the address
without a word, and every link already out (shared, mailed, in search engines) led readers to
the new page instead, the renamed one losing that address for good."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles import demo_content
from articles.listing_services import save_listing_entries
from articles.models import Article, Section, Tag
from articles.services import save_article

TAKEN = "“xiaomi-car” is an old address of “Xiaomi will mass-produce its car”"


def _rename(page, slug):
    page.slug = slug
    return save_article(article=page)


def test_a_story_saved_by_a_script_may_not_take_another_story_s_old_address(
    client, article, section
):
    _rename(article, "xiaomi-starts-car-production")
    review = Article(
        title="Xiaomi's car, reviewed",
        slug="xiaomi-car",
        standfirst="A lead.",
        body="Words.",
        section=section,
    )

    with pytest.raises(ValidationError) as refused:
        save_article(article=review)

    assert refused.value.message_dict["slug"][0].startswith(TAKEN)
    assert Article.objects.count() == 1
    assert (
        client.get("/articles/xiaomi-car/")["Location"] == "/articles/xiaomi-starts-car-production/"
    )


def test_nor_a_story_renamed_to_it_by_a_script(client, article, make_article):
    _rename(article, "xiaomi-starts-car-production")
    other = make_article(title="Xiaomi's car, reviewed", slug="xiaomi-review")

    with pytest.raises(ValidationError, match="is an old address of"):
        _rename(other, "xiaomi-car")

    assert Article.objects.get(pk=other.pk).slug == "xiaomi-review"
    assert (
        client.get("/articles/xiaomi-car/")["Location"] == "/articles/xiaomi-starts-car-production/"
    )


def test_a_story_saved_by_a_script_may_go_back_to_a_name_of_its_own(client, article):
    _rename(article, "xiaomi-starts-car-production")

    _rename(article, "xiaomi-car")

    assert client.get("/articles/xiaomi-car/").status_code == 200


def test_a_tag_saved_by_a_script_may_not_take_another_tag_s_old_address(client, article, tag):
    article.tags.add(tag)  # a story out under it: its page is readers' to find
    tag.slug = "evs"
    save_listing_entries(objs=[tag])

    with pytest.raises(ValidationError, match="“electric-cars” is an old address of “Electric"):
        save_listing_entries(objs=[Tag(name="Electric cars, again", slug="electric-cars")])

    assert Tag.objects.count() == 1
    assert client.get("/tag/electric-cars/")["Location"] == "/tag/evs/"


def test_the_demo_loader_run_again_leaves_a_renamed_story_and_section_their_old_addresses(
    db, client
):
    call_command("load_demo_content", "--no-images", "--no-user", verbosity=0)
    lead = Article.objects.get(slug=demo_content.LEAD_SLUG)
    _rename(lead, "xiaomi-car-renamed")
    section = Section.objects.get(slug="technology")
    section.slug = "tech"
    save_listing_entries(objs=[section])
    stories = Article.objects.count()

    call_command("load_demo_content", "--no-images", "--no-user", verbosity=0)

    assert Article.objects.count() == stories
    assert Section.objects.filter(name=section.name).count() == 1
    led_to = client.get(f"/articles/{demo_content.LEAD_SLUG}/")["Location"]
    assert led_to == "/articles/xiaomi-car-renamed/"
    assert client.get("/section/technology/")["Location"] == "/section/tech/"
