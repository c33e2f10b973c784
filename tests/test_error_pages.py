"""Errors a reader can run into get a readable page in the site's layout."""

from django.test import Client


def test_a_refused_cross_site_post_gets_a_friendly_page(article):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/comments/post/{article.pk}/", {"name": "Ana"}, HTTP_ORIGIN="https://evil.example"
    )

    assert response.status_code == 403
    # Said as it is: not "your form was open for a long time".
    assert "<h1>Not sent</h1>" in response.content.decode()
    assert "Nothing was sent" in response.content.decode()


def test_an_oversized_post_elsewhere_gets_a_readable_400(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/admin/login/", {"username": "x" * 5000})

    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()
    # Said to an editor whose article was too large too: not "a few thousand characters".
    assert "nothing was saved. Please go back, where" in response.content.decode()
    assert "a few thousand characters" not in response.content.decode()


def test_a_missing_page_offers_its_own_search_box_and_the_front_page(client, db):
    # On a phone the header's box hides behind a button; "search above" said nothing there.
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<label class="form-label" for="not-found-q">Search the archive</label>' in page
    assert 'role="search" action="/search/"' in page
    assert "search the archive above" not in page
    assert page.count('role="search"') == 1  # not a second box in the header
    assert '<a href="/">Go to the front page</a>' in page


def test_every_page_links_to_the_comment_and_privacy_policy_in_its_footer(client, article):
    for url in ("/", article.get_absolute_url(), "/no-such-page/"):
        page = client.get(url).content.decode()
        footer = page[page.index("<footer") :]
        assert '<a href="/comments/privacy/">Comments and your privacy</a>' in footer, url


def test_a_cut_off_mailed_link_says_it_may_be_incomplete(db):
    # Mail programs break long links: the reader needs to hear that it may be the link's fault.
    for url in ["/comments/privacy/MTc:1xY/", "/comments/confirm/MTc:1xY/"]:
        response = Client().get(url)

        assert response.status_code == 404
        assert "This link no longer works" in response.content.decode()
        assert "incomplete (open it exactly as it came in our mail)" in response.content.decode()
