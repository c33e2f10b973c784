"""Bylines in the order the editor sets (the lead reporter first), wherever they are printed:
the article page (its byline and its search engines' data), the lists' cards and the feeds;
each list still asks the database the same number of times, however many stories it shows."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author
from articles.services import set_bylines
from tests.article_forms import byline_as, change_form_data
from tests.test_article_history_meanwhile import in_a_browser

LEAD = "Rui Costa"  # the lead reporter, who comes after Marta Ribeiro alphabetically


@pytest.fixture
def lead(db):
    return Author.objects.create(name=LEAD, slug="rui-costa")


@pytest.fixture
def newsroom_editor(db):
    """Staff, in the Editors group (not a superuser), as README says to make an editor."""
    user = get_user_model().objects.create_user("writer", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def _bylined(make_article, *authors, **fields):
    article = make_article(**fields)
    set_bylines(article=article, authors=list(authors))
    return article


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_editor_orders_the_byline_in_the_admin_and_the_article_page_prints_it_so(
    editor, article, author, lead
):
    form = change_form_data(article) | byline_as(article, [lead, author])
    saved = editor.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert saved.status_code == 302

    page = editor.get(article.get_absolute_url()).content.decode()

    assert f"By {LEAD}, Marta Ribeiro" in _text(page)
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert [a["name"] for a in json.loads(data)["author"]] == [LEAD, "Marta Ribeiro"]
    # And moved back: the lead reporter second, as the editor numbers them.
    form = change_form_data(article) | byline_as(article, [author, lead])
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    page = editor.get(article.get_absolute_url()).content.decode()
    assert f"By Marta Ribeiro, {LEAD}" in _text(page)


def test_the_change_form_shows_the_byline_in_its_order_and_its_history_says_what_moved(
    editor, article, author, lead
):
    set_bylines(article=article, authors=[lead, author])
    page = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    rows = re.findall(r'name="bylines-\d-author".*?<option value="(\d+)" selected', page, re.S)
    assert rows == [str(lead.pk), str(author.pk)]

    form = change_form_data(article) | byline_as(article, [author])
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    history = editor.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert f"Changed Order for byline “Marta Ribeiro”. Deleted byline “{LEAD}”." in history
    assert list(Article.objects.get(pk=article.pk).authors.all()) == [author]


def test_an_editor_of_the_newsroom_group_orders_the_byline_too(
    client, newsroom_editor, article, author, lead
):
    client.force_login(newsroom_editor)
    change = f"/admin/articles/article/{article.pk}/change/"
    assert 'name="bylines-0-author"' in client.get(change).content.decode()

    form = change_form_data(article) | byline_as(article, [lead, author])
    assert client.post(change, form).status_code == 302

    page = client.get(article.get_absolute_url()).content.decode()
    assert f"By {LEAD}, Marta Ribeiro" in _text(page)


@pytest.fixture
def staff_with_article_permissions(db):
    """Staff given the article's permissions one by one (or by a group of the site's own), not
    the Editors group: they wrote bylines before bylines had a model of their own."""
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("desk", is_staff=True)
    names = ["add_article", "change_article", "view_article", "view_author"]
    user.user_permissions.set(Permission.objects.filter(codename__in=names))
    return user


def test_staff_who_may_change_stories_write_their_bylines_whatever_their_group(
    client, staff_with_article_permissions, article, author, lead
):
    client.force_login(staff_with_article_permissions)
    change = f"/admin/articles/article/{article.pk}/change/"
    assert 'name="bylines-0-author"' in client.get(change).content.decode()
    assert 'name="bylines-0-author"' in client.get("/admin/articles/article/add/").content.decode()

    refused = client.post(change, change_form_data(article, **{"bylines-0-DELETE": "on"}))
    saved = client.post(change, change_form_data(article) | byline_as(article, [lead, author]))

    assert refused.status_code == 200
    assert "Name at least one author: a story goes out with a byline." in refused.content.decode()
    assert saved.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"By {LEAD}, Marta Ribeiro" in _text(page)


def test_the_byline_is_under_publishing_beside_the_section_and_tags_once(editor, article):
    page = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert page.count('id="bylines-group"') == 1
    heading = 'class="fieldset-heading">{}</h2>'.format
    group = page.index('id="bylines-group"')
    assert page.index(heading("Publishing")) < group < page.index(heading("Comments"))
    assert group < page.index('id="related_links-group"')


def test_a_row_left_unnumbered_comes_after_the_numbered_ones(editor, article, author, lead):
    form = change_form_data(article) | byline_as(article, [lead, author])
    form["bylines-1-position"] = ""  # the new row, the lead reporter's, left unnumbered
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    page = editor.get(article.get_absolute_url()).content.decode()
    assert f"By Marta Ribeiro, {LEAD}" in _text(page)


def test_a_story_without_an_author_is_refused_with_words_saying_why(editor, article):
    form = change_form_data(article, **{"bylines-0-DELETE": "on"})
    refused = editor.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert refused.status_code == 200
    assert "Name at least one author: a story goes out with a byline." in refused.content.decode()
    assert Article.objects.get(pk=article.pk).authors.count() == 1


@pytest.mark.parametrize("url", ["/", "/section/technology/", "/tag/electric-cars/"])
def test_the_cards_print_each_story_s_byline_in_its_order_in_as_many_queries(
    client, make_article, author, lead, tag, url
):
    other = Author.objects.create(name="Ana Lopes", slug="ana-lopes")
    _bylined(make_article, lead, author, tags=[tag])
    _bylined(make_article, author, lead, tags=[tag])
    with CaptureQueriesContext(connection) as few:
        html = _text(client.get(url).content.decode())
    for _ in range(12):
        _bylined(make_article, other, lead, author, tags=[tag])

    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    # Newest first: the home page's lead story, then the cards.
    assert f"{LEAD}, Marta Ribeiro" in html and f"Marta Ribeiro, {LEAD}" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_author_s_page_lists_their_stories_in_as_many_queries(client, make_article, lead):
    _bylined(make_article, lead)
    with CaptureQueriesContext(connection) as few:
        client.get("/author/rui-costa/")
    for _ in range(12):
        _bylined(make_article, lead)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/author/rui-costa/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_feeds_name_the_authors_in_the_byline_s_order(
    client, make_article, author, lead, django_assert_num_queries
):
    _bylined(make_article, lead, author)

    with django_assert_num_queries(2):  # the stories, and their bylines: as before
        rss = ET.fromstring(client.get("/feed/").content)
    atom = ET.fromstring(client.get("/atom/").content)

    creators = [e.text for e in rss.iter("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == [LEAD, "Marta Ribeiro"]
    names = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}name")]
    assert names[-2:] == [LEAD, "Marta Ribeiro"]  # after the feed's own author, the site


def test_a_byline_a_script_gave_saved_unchanged_logs_no_change_of_order(
    editor, make_article, author, lead
):
    # authors.set() (a script, the shell) numbers nobody: the byline reads by name.
    article = make_article(authors=[lead, author])
    form = in_a_browser(editor, article)

    assert editor.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302

    (entry,) = LogEntry.objects.filter(object_id=str(article.pk))
    assert entry.get_change_message() == "No fields changed."
    page = editor.get(article.get_absolute_url()).content.decode()
    assert f"By Marta Ribeiro, {LEAD}" in _text(page)
