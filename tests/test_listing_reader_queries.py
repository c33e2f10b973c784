"""A signed-in reader's tag and author pages read their session and their account, nothing of
the admin's permissions: whether the page shows stories still waiting (an editor's preview) is
asked only of staff, who alone may use the admin; and a section's page, never a preview, reads
nothing. Each such page read the reader's session, account, permissions and their groups' (four
queries a page), which made a signed-in reader's section page half as fast as `make bench`
asks (5b). An editor's preview is in test_listing_unpublished_entries.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Tag


@pytest.fixture
def pages(make_article, section, author, settings):
    settings.FRAGMENT_CACHE_SECONDS = 300  # as deployed: the list drawn once for every reader
    tag = Tag.objects.create(name="Markets", slug="markets")
    make_article(tags=[tag])
    return [section.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()]


def _queries(client, url) -> list[str]:
    client.get(url)  # the page's parts drawn once, as for every reader
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_signed_in_readers_list_pages_read_no_permissions(client, django_user_model, pages):
    client.force_login(django_user_model.objects.create_user("reader", "r@example.com", "pw"))

    for url in pages:
        queries = _queries(client, url)

        assert not [sql for sql in queries if "auth_permission" in sql], url
        assert len(queries) <= 2, (url, queries)  # the session and the account


def test_a_signed_in_readers_section_page_reads_nothing(client, django_user_model, pages):
    """A section's page is there before its first story and is never an editor's preview: its
    readers' sessions are not read at all."""
    client.force_login(django_user_model.objects.create_user("reader", "r@example.com", "pw"))

    assert _queries(client, pages[0]) == []
