"""A reporter writing a new story presses "Preview changes" on the add form, before the story's
first save, and reads its page in a new tab as the form has it: nothing saved (no story, no
byline), nothing purged, kept by no cache and out of search; a form a save would refuse says
what to fix. Only staff who may add stories may."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from articles.models import Article, Author, Byline, RelatedLink
from tests.test_article_kept_picture import kept_files, photo
from tests.test_article_preview_changes import BANNER
from tests.test_html_validity import nu_errors

ADD = "/admin/articles/article/add/"
PREVIEW = "/admin/articles/article/add/preview/"


@pytest.fixture
def reporter(db):
    user = Group.objects.get(name="Editors").user_set.create(username="reporter", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def new_story(section, author) -> dict:
    """The add form as a reporter fills it in, with a byline and one related link."""
    return {
        "title": "The night ferry returns",
        "slug": "the-night-ferry-returns",
        "standfirst": "The crossing runs again from May.",
        "body": "The ferry is **back**.\n\nA second paragraph.",
        "section": section.pk,
        "status": "draft",
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": str(author.pk),
        "bylines-0-position": "1",
        "related_links-TOTAL_FORMS": "1",
        "related_links-INITIAL_FORMS": "0",
        "related_links-0-url": "https://example.org/timetable",
        "related_links-0-title": "The timetable",
        "related_links-0-order": "0",
    }


def nothing_stored() -> bool:
    return not (Article.objects.exists() or Byline.objects.exists() or RelatedLink.objects.exists())


def test_the_add_form_offers_the_preview_after_save(reporter):
    page = reporter.get(ADD).content.decode()

    assert (
        f'<input type="submit" value="Preview changes" formaction="{PREVIEW}" formtarget="_blank"'
    ) in page
    assert page.index('name="_save"') < page.index('value="Preview changes"')


def test_a_new_story_reads_as_its_page_and_nothing_is_saved_or_purged(
    reporter, new_story, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post(PREVIEW, new_story)

    page = response.content.decode()
    assert response.status_code == 200
    assert BANNER in page
    assert '<h1 id="article-title" class="article-title">The night ferry returns</h1>' in page
    assert "<p>The ferry is <strong>back</strong>.</p>" in page
    assert '<a href="/author/marta-ribeiro/" rel="author">Marta Ribeiro</a>' in page
    assert 'href="https://example.org/timetable"' in page
    assert "Draft, not published" in page
    assert nothing_stored()
    assert purges == []


def test_the_new_story_s_preview_is_private_unstored_and_out_of_search(reporter, new_story):
    response = reporter.post(PREVIEW, new_story)

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.text


def test_a_new_story_a_save_would_refuse_says_what_to_fix(reporter, new_story, article):
    taken = new_story | {"title": "", "slug": article.slug, "bylines-0-author": ""}

    response = reporter.post(PREVIEW, taken)

    page = response.content.decode()
    assert response.status_code == 400
    assert "<li>Title: This field is required.</li>" in page
    # Said by name, as the form says it (there with a link to that story's form).
    assert (
        "<li>Slug: “xiaomi-car” is the address of another story, “Xiaomi will mass-produce its "
        "car” (published). Choose another: “xiaomi-car-2” is free.</li>"
    ) in page
    assert "Name at least one author" in page
    assert Article.objects.count() == 1 and not RelatedLink.objects.exists()


def test_only_staff_who_may_add_stories_get_a_preview_of_one(client, new_story, db):
    viewer = get_user_model().objects.create_user("changes-only", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    staff = Client()
    staff.force_login(viewer)

    signed_out = client.post(PREVIEW, new_story)
    refused = staff.post(PREVIEW, new_story)

    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/admin/login/")
    assert refused.status_code == 403 and "night ferry" not in refused.content.decode()
    assert nothing_stored()


def test_a_get_of_the_new_story_s_preview_is_refused(reporter):
    response = reporter.get(PREVIEW)

    assert response.status_code == 405 and response["Allow"] == "POST"


def test_a_lead_author_added_in_the_form_comes_first(reporter, new_story, author):
    lead = Author.objects.create(name="Rui Costa", slug="rui-costa")
    data = new_story | {
        "bylines-TOTAL_FORMS": "2",
        "bylines-1-author": str(lead.pk),
        "bylines-1-position": "0",
    }

    page = reporter.post(PREVIEW, data).content.decode()

    assert '>Rui Costa</a>, <a href="/author/marta-ribeiro/" rel="author">Marta' in page


def test_a_new_story_s_picture_is_said_to_show_once_saved(reporter, new_story):
    response = reporter.post(PREVIEW, {**new_story, "hero_alt": "The ferry", "hero_image": photo()})

    assert response.status_code == 200
    assert "The picture you chose shows once you save." in response.content.decode()
    assert nothing_stored() and kept_files() == []


def test_the_picture_chosen_is_shown_in_the_preview_as_pages_cut_it(reporter, new_story, tmp_path):
    chosen = {**new_story, "hero_alt": "The ferry at the quay", "hero_caption": "Back in May."}

    page = reporter.post(PREVIEW, {**chosen, "hero_image": photo()}).content.decode()

    figure = page.split('<figure class="hero">', 1)[1].split("</figure>", 1)[0]
    assert '<img src="data:image/jpeg;base64,' in figure
    assert 'alt="The ferry at the quay" width="1200" height="675"' in figure
    assert "<figcaption>Back in May.</figcaption>" in figure
    assert "Below, as pages will show it." in page
    assert nothing_stored() and kept_files() == []
    assert nu_errors({"preview": page}, tmp_path) == []
