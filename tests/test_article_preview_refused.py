"""A preview a save would refuse opens, like every preview, in a tab of its own: its page says
to close that tab and go back to the form (in the tab it came from, where the words still are),
and lists what to fix; a new tab has no Back to go to. A form over the size one request may
send is refused before the preview's view reads it (Django's 400, as any form's): in the
preview's tab, it is said the same way."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import Article
from tests.article_forms import change_form_data

LONG_BODY = "A paragraph of the inquiry's report, quoted whole. " * 6000  # about 300 KB


@pytest.fixture
def browser(db):
    """An editor's browser: the CSRF check made, as in production, where it is the first to
    read the form (so a form too large is refused there, before any view)."""
    user = Group.objects.get(name="Editors").user_set.create(username="writer", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token(browser, address: str) -> str:
    form = browser.get(address).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def _post_change_form(browser, article, to: str, **fields):
    """The story's change form, as its page posts it, to its own address or its preview's."""
    token = _token(browser, f"/admin/articles/article/{article.pk}/change/")
    data = change_form_data(article, **fields) | {"csrfmiddlewaretoken": token}
    return browser.post(f"/admin/articles/article/{article.pk}/{to}/", data)


def test_a_form_too_large_for_the_preview_says_to_close_the_tab_and_shorten_it(browser, article):
    response = _post_change_form(browser, article, "preview", body=LONG_BODY)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Close this tab" in page
    assert "Please go back" not in page
    assert "more text than one form may send, which is 256.0\xa0KB" in page
    assert "shorten the body" in page
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in page
    # In the site's layout, as every page: it came without its stylesheets or the site's name.
    assert "<title>Error: no preview · Newsportal</title>" in page
    assert 'rel="stylesheet" href="/static/css/site.' in page
    assert "inquiry" not in Article.objects.get(pk=article.pk).body


def test_a_new_story_too_large_for_the_preview_is_said_the_same_way(browser, section, author):
    token = _token(browser, "/admin/articles/article/add/")
    data = {
        "title": "The inquiry's report",
        "slug": "the-inquiry-s-report",
        "body": LONG_BODY,
        "section": section.pk,
        "csrfmiddlewaretoken": token,
    }

    response = browser.post("/admin/articles/article/add/preview/", data)

    assert response.status_code == 400
    assert "Close this tab" in response.content.decode()
    assert not Article.objects.exists()


def test_a_form_too_large_to_save_still_says_go_back(browser, article):
    # The form's own tab, which has a Back (with the words kept): the page it always had.
    response = _post_change_form(browser, article, "change", body=LONG_BODY)

    assert response.status_code == 400
    assert "Please go back, where your browser keeps what you typed" in response.text
    assert "<title>Request not understood · Newsportal</title>" in response.text


def test_a_preview_with_problems_says_to_close_the_tab_and_lists_them(browser, article):
    response = _post_change_form(browser, article, "preview", title="", slug="")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Close this tab" in page
    assert "Go back" not in page
    assert "<li>Title: This field is required.</li>" in page
    assert "<li>Slug: This field is required.</li>" in page


def test_a_preview_drawn_says_to_close_its_tab_to_return_to_the_form(browser, article):
    response = _post_change_form(browser, article, "preview", title="Corrected")

    page = response.content.decode()
    assert response.status_code == 200 and "Corrected" in page
    assert "Close this tab to return to the form" in page
    assert "go back" not in page.lower()
