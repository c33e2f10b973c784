"""An editor presses "Preview changes" on a story's change form and reads, in a new tab, the
story's page as the form has it now: unsaved, kept by no cache and out of search, with nothing
written to the database and nothing purged from the caches. Only staff who may change articles
may; the form's words are escaped and sanitised as the live page does."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from articles.models import Article, Author, Section
from articles.rendering import render_markdown
from articles.services import set_bylines
from tests.article_forms import byline_as, change_form_data
from tests.test_article_kept_picture import photo
from tests.test_html_validity import nu_errors

BANNER = "Preview of unsaved changes — not saved, not on the site"


def preview_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/preview/"


def stored(article) -> dict:
    """The story's row and byline as the database has them."""
    row = Article.objects.filter(pk=article.pk).values().get()
    return {**row, "byline": list(article.bylines.values_list("author__name", "position"))}


@pytest.fixture
def newsroom_editor(db):
    """Staff in the Editors group, as README says to make an editor (not a superuser)."""
    return Group.objects.get(name="Editors").user_set.create(username="writer", is_staff=True)


@pytest.fixture
def editor_client(newsroom_editor):
    client = Client()
    client.force_login(newsroom_editor)
    return client


@pytest.fixture
def viewer(db):
    """Staff who may read articles in the admin but not change them."""
    user = get_user_model().objects.create_user("reader-staff", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lead(db):
    return Author.objects.create(name="Rui Costa", slug="rui-costa")


def test_an_editor_reads_the_unsaved_words_and_nothing_is_saved_or_purged(
    editor_client, article, purges, django_capture_on_commit_callbacks
):
    business = Section.objects.create(name="Business", slug="business")
    before = stored(article)
    data = change_form_data(
        article,
        title="Xiaomi delays its car",
        standfirst="The launch moves to the spring.",
        body="The car is **late**.\n\nA second paragraph.",
        section=business.pk,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(preview_url(article), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert BANNER in page
    assert '<h1 id="article-title" class="article-title">Xiaomi delays its car</h1>' in page
    assert "The launch moves to the spring." in page
    assert "<p>The car is <strong>late</strong>.</p>" in page
    assert "Xiaomi will mass-produce its car" not in page
    assert '<p class="kicker"><a href="/section/business/">Business</a></p>' in page
    assert '<a href="/section/business/" aria-current="true">Business</a>' in page  # the menu
    assert stored(article) == before
    assert purges == []
    # The live page is as it was.
    assert "Xiaomi will mass-produce its car" in Client().get(article.get_absolute_url()).text


def test_the_preview_offers_no_comment_form_and_no_sharing(editor_client, article):
    response = editor_client.post(preview_url(article), change_form_data(article))

    page = response.content.decode()
    assert response.status_code == 200 and BANNER in page
    assert 'id="comments"' not in page and "<textarea" not in page
    assert "Share this article" not in page and "data-copy-link" not in page


def test_the_byline_is_in_the_form_s_order_and_stays_as_saved(editor_client, article, author, lead):
    set_bylines(article=article, authors=[author, lead])
    before = stored(article)
    data = change_form_data(article) | byline_as(article, [lead, author])

    page = editor_client.post(preview_url(article), data).content.decode()

    assert '>Rui Costa</a>, <a href="/author/marta-ribeiro/" rel="author">Marta' in page
    assert stored(article) == before


def test_a_related_link_added_in_the_form_shows_in_the_rail_and_the_body(editor_client, article):
    data = change_form_data(article) | {
        "related_links-TOTAL_FORMS": "1",
        "related_links-0-url": "https://example.org/recall",
        "related_links-0-title": "The recall notice",
        "related_links-0-order": "0",
        "related_links-0-in_body_after_paragraph": "1",
    }

    page = editor_client.post(preview_url(article), data).content.decode()

    assert page.count('href="https://example.org/recall"') == 2  # the rail, and the body
    assert not article.related_links.exists()


def test_a_script_in_the_form_is_escaped_and_sanitised_as_on_the_live_page(editor_client, article):
    body = 'Before.\n\n<script>alert("body")</script>\n\n<a href="javascript:alert(1)">x</a>'
    data = change_form_data(article, title='<script>alert("title")</script>', body=body)

    page = editor_client.post(preview_url(article), data).content.decode()

    assert "alert(" not in page.replace("&lt;script&gt;alert(&quot;title&quot;)", "")
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in page
    assert render_markdown(body) in page  # the body as a save stores it for the live page


def test_the_preview_is_private_unstored_and_out_of_search(editor_client, article):
    response = editor_client.post(preview_url(article), change_form_data(article))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.text


def test_a_form_a_save_would_refuse_says_what_to_fix(editor_client, article):
    before = stored(article)
    data = change_form_data(article, title="") | byline_as(article, [])

    response = editor_client.post(preview_url(article), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is nothing to preview yet" in page
    assert "<li>Title: This field is required.</li>" in page
    assert "<li>Byline: Name at least one author: a story goes out with a byline.</li>" in page
    assert response["X-Robots-Tag"] == "noindex" and "no-store" in response["Cache-Control"]
    assert stored(article) == before


def test_a_body_over_the_size_limit_is_refused_with_the_limit_named(editor_client, article):
    data = change_form_data(article, body="A paragraph of the inquiry's report. " * 8000)

    response = editor_client.post(preview_url(article), data)

    assert response.status_code == 400
    assert "more text than one form may send" in response.content.decode()
    assert "inquiry" not in Article.objects.get(pk=article.pk).body


def test_a_newly_chosen_picture_is_said_to_show_after_saving(editor_client, article):
    data = change_form_data(article, hero_alt="The new bridge")

    response = editor_client.post(preview_url(article), {**data, "hero_image": photo()})

    assert response.status_code == 200
    assert "The picture you chose shows once you save." in response.content.decode()
    assert not Article.objects.get(pk=article.pk).hero_image


def test_readers_and_staff_who_may_not_change_articles_get_no_preview(
    client, viewer, stranger_client, article
):
    before = stored(article)
    data = change_form_data(article, title="Changed by someone else")

    signed_out = client.post(preview_url(article), data)

    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/admin/login/")
    for someone in (viewer, stranger_client):
        refused = someone.post(preview_url(article), data)
        assert refused.status_code == 403
        assert "Changed by someone else" not in refused.content.decode()
    assert stored(article) == before


def test_a_get_is_refused_as_a_method_the_preview_does_not_take(editor_client, article):
    response = editor_client.get(preview_url(article))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_only_the_change_form_s_own_post_passes_the_csrf_check(newsroom_editor, article):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(newsroom_editor)
    form = browser.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    forged = browser.post(preview_url(article), change_form_data(article, title="Forged"))
    pressed = browser.post(
        preview_url(article),
        change_form_data(article, title="Corrected") | {"csrfmiddlewaretoken": token},
    )

    assert forged.status_code == 403
    assert "Forged" not in forged.content.decode()
    assert pressed.status_code == 200 and "Corrected" in pressed.content.decode()


def test_the_change_form_offers_the_button_to_those_who_may_change_the_story(
    editor_client, viewer, article
):
    change = f"/admin/articles/article/{article.pk}/change/"

    page = editor_client.get(change).content.decode()
    shown_to_viewer = viewer.get(change).content.decode()

    assert (
        f'<input type="submit" value="Preview changes" formaction="{preview_url(article)}" '
        'formtarget="_blank"'
    ) in page
    # After Save: Enter in a field still saves (a form's first submit button).
    assert page.index('name="_save"') < page.index('value="Preview changes"')
    assert "Preview changes" not in shown_to_viewer


def test_the_preview_and_its_refusal_pass_the_html_checker(editor_client, article, tmp_path):
    data = change_form_data(article, body="A paragraph.\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    links = {
        "related_links-TOTAL_FORMS": "1",
        "related_links-0-url": "https://example.org/recall",
        "related_links-0-title": "The recall notice",
        "related_links-0-order": "0",
    }
    pages = {
        "preview": editor_client.post(preview_url(article), data | links).content.decode(),
        "refused": editor_client.post(preview_url(article), {**data, "title": ""}).content.decode(),
    }

    assert nu_errors(pages, tmp_path) == []


def test_the_preview_asks_the_database_a_bounded_number_of_times(
    editor_client, article, django_assert_max_num_queries
):
    # The session, the user and their permissions, the story and what its form was opened
    # with, the checks a save makes (slug, section, each byline's author), the menu and the
    # breaking-news strip.
    data = change_form_data(article)

    with django_assert_max_num_queries(19):
        response = editor_client.post(preview_url(article), data)

    assert response.status_code == 200
