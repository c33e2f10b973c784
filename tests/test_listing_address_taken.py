"""A section's, an author's or a tag's form refuses a slug that is another page's old address
(its links lead readers to that page), as an article's does: saved, a new tag "budget" took the
links of the tag renamed from it, and that page lost the address for good."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.listing_services import save_listing_entries
from articles.models import Author, Section, Tag


@pytest.fixture
def editor_client(db):
    """Staff in the Editors group, who file stories under sections, authors and tags."""
    desk = Client()
    desk.force_login(Group.objects.get(name="Editors").user_set.create(username="d", is_staff=True))
    return desk


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Section, {"name": "Climate desk", "order": "3", "description": ""}),
        (Author, {"name": "Marta R. Silva", "bio": ""}),
        (Tag, {"name": "EVs"}),
    ],
)
def test_a_new_page_may_not_take_another_page_s_old_address(
    editor_client, client, article, section, author, tag, model, fields
):
    article.tags.add(tag)  # a story out under each: their pages are readers' to find
    entry = model.objects.get()
    first, name = entry.slug, entry.name
    entry.slug = "renamed"
    save_listing_entries(objs=[entry])
    kind = model._meta.model_name

    response = editor_client.post(f"/admin/articles/{kind}/add/", {**fields, "slug": first})

    assert response.status_code == 200
    assert f"“{first}” is an old address of “{name}”" in response.content.decode()
    assert model.objects.count() == 1
    assert client.get(f"/{kind}/{first}/")["Location"] == f"/{kind}/renamed/"
