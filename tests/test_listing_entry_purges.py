"""Sections, authors and tags purge what they are printed on: a new tag or author is on no
page but its own address (where a reader may have found nothing before), a new section is in
every page's menu, and a rename is everywhere the name is."""

import pytest
from django.test import Client

from articles.models import Author, Tag


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.mark.parametrize(
    ("url", "data", "address"),
    [
        (
            "/admin/articles/tag/add/",
            {"name": "Heat pumps", "slug": "heat-pumps"},
            "/tag/heat-pumps/",
        ),
        (
            "/admin/articles/author/add/",
            {"name": "Ana Sousa", "slug": "ana-sousa", "bio": "Climate reporter."},
            "/author/ana-sousa/",
        ),
    ],
)
def test_a_new_tag_or_author_purges_only_its_own_address(
    fragments_on,
    superuser_client,
    article,
    purges,
    django_capture_on_commit_callbacks,
    url,
    data,
    address,
):
    missing = Client().get(address)
    assert missing.status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser_client.post(url, data).status_code == 302

    assert len(purges) == 1 and "site" not in purges[0] and "list" not in purges[0]
    assert purges[0] <= set(missing["Surrogate-Key"].split())  # the 404 kept there goes
    # Filed on no story yet, it is still "not found" for readers (a story going out under it
    # purges the lists, whose key the 404 carries); its editors find its page.
    assert Client().get(address).status_code == 404
    assert superuser_client.get(address).status_code == 200


def test_a_new_section_purges_every_page_whose_menu_lists_it(
    fragments_on, superuser_client, article, purges, django_capture_on_commit_callbacks
):
    assert "Climate" not in Client().get(article.get_absolute_url()).content.decode()
    data = {"name": "Climate", "slug": "climate", "order": 2}
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post("/admin/articles/section/add/", data)

    # The site (every menu), and the new page's own address, where a "not found" may be kept.
    assert purges == [{"site", "section-page-climate"}]
    assert "Climate" in Client().get(article.get_absolute_url()).content.decode()


def test_renaming_a_tag_or_an_author_still_refreshes_the_story_that_prints_it(
    fragments_on, superuser_client, make_article, author, purges, django_capture_on_commit_callbacks
):
    tag = Tag.objects.create(name="Batteries", slug="batteries")
    story = make_article(title="Cheaper cells", tags=[tag])
    Client().get(story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(
            f"/admin/articles/tag/{tag.pk}/change/",
            {"name": "Battery storage", "slug": "batteries"},
        )
        superuser_client.post(
            f"/admin/articles/author/{author.pk}/change/",
            {"name": "Marta R. Ribeiro", "slug": author.slug, "bio": ""},
        )

    html = Client().get(story.get_absolute_url()).content.decode()
    assert "Battery storage" in html and "Marta R. Ribeiro" in html
    # The site (the story prints them), and each one's own page, purged for good.
    assert purges == [{"site", "tag-page-batteries"}, {"site", f"author-page-{author.slug}"}]


def test_a_tag_or_author_with_no_story_deleted_purges_only_its_own_address(
    fragments_on, superuser_client, article, purges, django_capture_on_commit_callbacks
):
    unused = Tag.objects.create(name="Unused", slug="unused")
    gone = Author.objects.create(name="Gone Soon", slug="gone-soon")
    kept = Client().get(gone.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(f"/admin/articles/tag/{unused.pk}/delete/", {"post": "yes"})
        superuser_client.post(f"/admin/articles/author/{gone.pk}/delete/", {"post": "yes"})

    assert all("site" not in keys and "list" not in keys for keys in purges)
    assert purges[1] <= set(kept["Surrogate-Key"].split())
    assert Client().get(gone.get_absolute_url()).status_code == 404
