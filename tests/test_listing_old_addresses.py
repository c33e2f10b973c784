"""A section's, an author's or a tag's page whose slug the newsroom changed keeps its old
address: links already out (shared, in search engines, a section's feed in a reader's app) lead
on to the new one for good (301), as an article's old address does."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.listing_services import delete_listing_entries, save_listing_entries
from articles.models import Author, Section, Tag


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def entries(section, author, tag):
    return {"section": section, "author": author, "tag": tag}


def _renamed(entry, slug: str):
    entry.slug = slug
    save_listing_entries(objs=[entry])
    return entry


@pytest.mark.parametrize("kind", ["section", "author", "tag"])
def test_a_changed_slug_s_old_address_leads_on_to_the_page_for_good(
    fragments_on, client, article, entries, kind
):
    entry = entries[kind]
    article.tags.add(entries["tag"])
    old = entry.get_absolute_url()
    assert client.get(old).status_code == 200  # a reader was there, and kept the link

    _renamed(entry, "renamed")

    moved = client.get(f"{old}?page=1&utm_source=mail")
    assert moved.status_code == 301
    # ?page=1 leads to the page's one address first, the rest of the query kept.
    assert moved["Location"] in (f"/{kind}/renamed/?utm_source=mail", f"{old}?utm_source=mail")
    moved = client.get(f"{old}?utm_source=mail")
    assert (moved.status_code, moved["Location"]) == (301, f"/{kind}/renamed/?utm_source=mail")
    assert "public" in moved["Cache-Control"]  # shared caches keep it, as any 301
    assert article.title in client.get(f"/{kind}/renamed/").content.decode()


def test_the_admin_s_new_slug_keeps_the_old_address_too(superuser_client, client, article, author):
    assert article.authors.filter(pk=author.pk).exists()  # a byline out: a page readers find
    page = f"/admin/articles/author/{author.pk}/change/"
    data = {"name": "Marta Ribeiro Silva", "slug": "marta-silva", "bio": author.bio}
    assert superuser_client.post(page, data).status_code == 302

    moved = client.get("/author/marta-ribeiro/")

    assert (moved.status_code, moved["Location"]) == (301, "/author/marta-silva/")


def test_an_address_changed_twice_leads_straight_to_the_page_now(
    fragments_on, client, article, tag
):
    article.tags.add(tag)  # a story out under it: its page is readers' to find
    client.get("/tag/electric-cars/")
    _renamed(tag, "evs")
    assert client.get("/tag/electric-cars/")["Location"] == "/tag/evs/"  # kept by caches too

    _renamed(tag, "electric-vehicles")

    for old in ("/tag/electric-cars/", "/tag/evs/"):
        assert client.get(old)["Location"] == "/tag/electric-vehicles/"


def test_an_old_address_taken_by_another_page_or_back_by_its_own_is_that_page(
    fragments_on, client, article, tag, author
):
    article.tags.add(tag)  # stories out under each: their pages are readers' to find
    _renamed(tag, "evs")
    assert client.get("/tag/electric-cars/").status_code == 301
    # Taken before saves refused it (tests/test_old_address_write_path.py), or by a save racing
    # the rename: the page there is the new tag's, and its next save ends the old address.
    article.tags.add(Tag.objects.create(name="Cars, electric", slug="electric-cars"))
    taken = _renamed(Tag.objects.get(slug="electric-cars"), "electric-cars")

    assert client.get("/tag/electric-cars/").status_code == 200
    assert "Cars, electric" in client.get(taken.get_absolute_url()).content.decode()
    # Back to an address it had: its page is there again, and its last one leads to it.
    _renamed(author, "ribeiro")
    _renamed(author, "marta-ribeiro")
    assert client.get("/author/marta-ribeiro/").status_code == 200
    assert client.get("/author/ribeiro/")["Location"] == "/author/marta-ribeiro/"


def test_a_deleted_page_s_old_addresses_are_not_found(client, db):
    tag = Tag.objects.create(name="Heat pumps", slug="heat-pumps")
    _renamed(tag, "heating")

    delete_listing_entries(queryset=Tag.objects.filter(pk=tag.pk))

    assert client.get("/tag/heat-pumps/").status_code == 404
    assert client.get("/tag/heating/").status_code == 404


def test_a_names_unknown_address_is_still_not_found(client, section, author):
    assert client.get("/author/nobody/").status_code == 404
    assert client.get("/section/nowhere/feed/").status_code == 404


@pytest.mark.parametrize("feed", ["feed", "atom"])
def test_a_section_s_feed_followed_at_its_old_address_leads_on_to_its_feed(
    client, article, section, feed
):
    _renamed(section, "tech")

    moved = client.get(f"/section/technology/{feed}/")

    assert (moved.status_code, moved["Location"]) == (301, f"/section/tech/{feed}/")
    assert article.title in client.get(moved["Location"]).content.decode()
    assert Section.objects.get(pk=section.pk).old_slugs.get().slug == "technology"
    assert not Author.objects.filter(old_slugs__isnull=False).exists()


def test_an_editor_ends_an_author_s_old_address_a_name_that_must_not_stand(
    fragments_on, client, article, author
):
    assert article.authors.filter(pk=author.pk).exists()  # a byline out: a page readers find
    _renamed(author, "marta-silva")
    editor = get_user_model().objects.create_user("writer", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    desk = type(client)()
    desk.force_login(editor)
    page = f"/admin/articles/author/{author.pk}/change/"
    assert client.get("/author/marta-ribeiro/").status_code == 301
    old = author.old_slugs.get()
    assert "Old addresses (links to them lead here; delete one to end it)" in (
        desk.get(page).content.decode()
    )

    ended = desk.post(
        page,
        {
            "name": author.name,
            "slug": "marta-silva",
            "bio": author.bio,
            "old_slugs-TOTAL_FORMS": "1",
            "old_slugs-INITIAL_FORMS": "1",
            "old_slugs-0-id": str(old.pk),
            "old_slugs-0-entry": str(author.pk),
            "old_slugs-0-DELETE": "on",
        },
    )

    assert ended.status_code == 302
    assert client.get("/author/marta-ribeiro/").status_code == 404
    assert "Old addresses" not in desk.get(page).content.decode()


def test_ending_a_bylined_author_s_old_address_purges_that_page_for_good(
    purges, django_capture_on_commit_callbacks, article, author
):
    # The site's key is only soft-purged (a copy may stand in while the origin is down): the
    # redirect from a former name that must not stand goes by its own page's key.
    assert article.authors.filter(pk=author.pk).exists()
    _renamed(author, "marta-silva")
    old = author.old_slugs.get(slug="marta-ribeiro")
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        save_listing_entries(objs=[Author.objects.get(pk=author.pk)])  # as the admin: the entry,
        old.delete()  # then its old addresses' inline

    named = set().union(*purges)
    assert {"site", "author-page-marta-ribeiro", "author-page-marta-silva"} <= named
