"""A tag or an author named only on stories not out yet (a draft, a story under embargo) is on
no page readers can open: its page answers what a page that never was answers, since slugs
follow from names and a rival guessing one must learn nothing (security review). Sections are
in every page's menu: theirs stay. Editors who may read articles in the admin preview the page,
as they preview the stories."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from articles.list_pages import PAGE_SIZE
from articles.listing_services import save_listing_entries
from articles.models import Article, Author, Tag
from articles.services import delete_articles, publish_articles, unpublish_articles
from tests.mail_helpers import make_due, run_mail_queue

MISSING = {"tag": "/tag/nothing/", "author": "/author/nobody/"}


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def rumour(db):
    return Tag.objects.create(name="Minister Smith resigns", slug="minister-smith-resigns")


@pytest.fixture
def newhire(db):
    return Author.objects.create(
        name="Jane Newhire", slug="jane-newhire", bio="Joins us from the Rival Times next week."
    )


def _story(make_article, state: str, **fields):
    if state == "draft":
        return make_article(status=Article.Status.DRAFT, **fields)
    return make_article(published_at=timezone.now() + timedelta(hours=2), **fields)


def _entry(kind, make_article, rumour, newhire, state="scheduled", **fields):
    """The entry, named on one story in `state` only."""
    if kind == "tag":
        story = _story(make_article, state, tags=[rumour], **fields)
        return rumour, story
    story = _story(make_article, state, authors=[newhire], **fields)
    return newhire, story


def _as_seen(response, slug: str) -> dict:
    # Every header but the request's own id, the page's own address key named as the missing
    # page's is; and the cookies set (a session dropped says one was looked up).
    headers = {k: v for k, v in response.headers.items() if k != "X-Request-ID"}
    if "Surrogate-Key" in headers:
        headers["Surrogate-Key"] = headers["Surrogate-Key"].replace(slug, "SLUG")
    if "Expires" in headers:  # a page no one may keep expires when it is answered, as Date says
        headers["Expires"] = "when answered"
    cookies = {name: morsel.OutputString() for name, morsel in response.cookies.items()}
    return {
        "status": response.status_code,
        "headers": headers,
        "cookies": cookies,
        "body": response.content,
    }


def _session_cookie(visitor: str, django_user_model) -> str | None:
    """What the visitor's browser sends as its session cookie: none, one the site no longer
    knows (expired, or made up: the proxy passes any to Django), or a signed-in reader's."""
    if visitor == "no cookie":
        return None
    if visitor == "stale session":
        return "no-such-session-key-0123456789"
    reader = django_user_model.objects.create_user("a-reader", "reader@example.com", "x")
    client = Client()
    client.force_login(reader)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _visit(url: str, session_key: str | None):
    # A new browser each time: a cookie the site dropped is not sent again by this one.
    client = Client()
    if session_key is not None:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
    return client.get(url)


@pytest.mark.parametrize("visitor", ["no cookie", "stale session", "reader's session"])
@pytest.mark.parametrize("fragment_seconds", [0, 300], ids=["uncached", "cached"])
@pytest.mark.parametrize("state", ["scheduled", "draft"])
@pytest.mark.parametrize("kind", ["tag", "author"])
def test_an_entry_named_only_on_stories_not_out_answers_as_a_missing_one(
    settings,
    django_user_model,
    make_article,
    rumour,
    newhire,
    kind,
    state,
    fragment_seconds,
    visitor,
):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    make_article(title="Something else entirely")  # the site has stories, just not these
    entry, _ = _entry(kind, make_article, rumour, newhire, state)
    missing_slug = MISSING[kind].strip("/").rsplit("/", 1)[-1]
    session_key = _session_cookie(visitor, django_user_model)

    for _ in range(2):  # the second one from the kept fragments, when they are kept
        hidden = _visit(entry.get_absolute_url(), session_key)
        missing = _visit(MISSING[kind], session_key)

        assert hidden.status_code == 404
        assert entry.name not in hidden.content.decode()
        assert "Rival Times" not in hidden.content.decode()
        assert _as_seen(hidden, entry.slug) == _as_seen(missing, missing_slug)
        if session_key is None:
            assert "public" in hidden["Cache-Control"]  # the proxy answers floods of guesses


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_an_entry_with_a_story_out_keeps_its_page_listing_only_that_story(
    make_article, rumour, newhire, kind
):
    entry, hidden = _entry(kind, make_article, rumour, newhire, title="The embargoed one")
    field = {"tag": {"tags": [rumour]}, "author": {"authors": [newhire]}}[kind]
    make_article(title="The story out", **field)

    response = Client().get(entry.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert entry.name in page and "The story out" in page
    assert hidden.title not in page
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_the_old_address_of_an_entry_with_no_story_out_does_not_lead_on(
    make_article, rumour, newhire, kind
):
    # A 301 would say the page is there, and give its new name.
    entry, story = _entry(kind, make_article, rumour, newhire)
    old = entry.get_absolute_url()
    entry.slug = f"{entry.slug}-2"
    save_listing_entries(objs=[entry])

    assert Client().get(old).status_code == 404
    publish_articles(queryset=Article.objects.filter(pk=story.pk), now_too=True)
    moved = Client().get(old)
    assert (moved.status_code, moved["Location"]) == (301, entry.get_absolute_url())


@pytest.mark.parametrize("takedown", [unpublish_articles, delete_articles])
@pytest.mark.parametrize("kind", ["tag", "author"])
def test_the_old_address_stops_leading_on_when_the_last_story_out_is_taken_down(
    fragments_on,
    purges,
    django_capture_on_commit_callbacks,
    make_article,
    rumour,
    newhire,
    kind,
    takedown,
):
    field = {"tag": {"tags": [rumour]}, "author": {"authors": [newhire]}}[kind]
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(title="The one story out", **field)
        entry = rumour if kind == "tag" else newhire
        old = entry.get_absolute_url()
        entry.slug = f"{entry.slug}-2"
        save_listing_entries(objs=[entry])
    kept = Client().get(old)
    assert (kept.status_code, kept["Location"]) == (301, entry.get_absolute_url())
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        takedown(queryset=Article.objects.filter(pk=story.pk))

    # The front caches drop the 301 they keep (which names the new slug)...
    assert purges and purges[0] & set(kept["Surrogate-Key"].split())
    # ...and Django answers as for a page that never was, at both addresses.
    assert Client().get(old).status_code == 404
    assert Client().get(entry.get_absolute_url()).status_code == 404


def test_a_section_with_no_story_out_keeps_its_page_it_is_in_every_menu(make_article, section):
    _story(make_article, "scheduled", title="Embargoed in the section")

    response = Client().get(section.get_absolute_url())

    assert response.status_code == 200
    assert section.name in response.content.decode()
    assert "Embargoed in the section" not in response.content.decode()


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_an_editor_previews_the_page_with_the_stories_waiting_never_kept(
    fragments_on, client, editor, make_article, rumour, newhire, kind
):
    entry, story = _entry(kind, make_article, rumour, newhire, title="Smith to quit on Monday")
    Client().get(entry.get_absolute_url())  # a reader's "not found" is kept meanwhile
    client.force_login(editor)

    response = client.get(entry.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert entry.name in page and story.title in page
    assert "Preview: no story here is published yet" in page
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Surrogate-Key" not in response
    assert Client().get(entry.get_absolute_url()).status_code == 404  # still, for readers


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_an_editor_pages_through_a_preview_longer_than_a_page(
    fragments_on, client, editor, make_article, rumour, newhire, kind
):
    for n in range(PAGE_SIZE + 2):
        _entry(kind, make_article, rumour, newhire, state="draft", title=f"Waiting story {n}")
    entry = rumour if kind == "tag" else newhire
    Client().get(f"{entry.get_absolute_url()}?page=2")  # a reader's "not found" is kept meanwhile
    client.force_login(editor)

    first = client.get(entry.get_absolute_url())
    assert 'href="?page=2"' in first.content.decode()
    assert "Waiting story 9<" in first.content.decode()
    response = client.get(f"{entry.get_absolute_url()}?page=2")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: no story here is published yet" in page
    # The oldest two (the stories are made newest first), and none of page 1's.
    assert "Waiting story 10" in page and "Waiting story 11" in page
    assert "Waiting story 9<" not in page
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert client.get(f"{entry.get_absolute_url()}?page=3").status_code == 404  # past the end
    assert Client().get(f"{entry.get_absolute_url()}?page=2").status_code == 404  # readers


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_staff_who_may_not_read_articles_in_the_admin_get_the_missing_page(
    client, moderator, staff_user, make_article, rumour, newhire, kind
):
    entry, _ = _entry(kind, make_article, rumour, newhire)
    for user in (moderator, staff_user):
        client.force_login(user)
        response = client.get(entry.get_absolute_url())
        assert response.status_code == 404
        assert entry.name not in response.content.decode()


def _time_comes(story) -> None:
    """The scheduled time passes: the row is as it was, only the clock moved on."""
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1),
        first_published_at=timezone.now() - timedelta(seconds=1),
    )
    make_due()


@pytest.mark.parametrize("kind", ["tag", "author"])
def test_the_page_opens_when_its_scheduled_story_goes_out_through_both_caches(
    fragments_on, purges, django_capture_on_commit_callbacks, make_article, rumour, newhire, kind
):
    with django_capture_on_commit_callbacks(execute=True):
        entry, story = _entry(kind, make_article, rumour, newhire, title="Smith quits")
    reader = Client()
    kept = reader.get(entry.get_absolute_url())
    assert kept.status_code == 404
    _time_comes(story)
    assert reader.get(entry.get_absolute_url()).status_code == 404  # the kept "not found"
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):  # the worker commits as it goes
        run_mail_queue("purge")  # the release at the story's time (articles.services)

    # The front caches drop the "not found" they keep there...
    assert purges and purges[0] & set(kept["Surrogate-Key"].split())
    # ...and Django draws the page again.
    response = reader.get(entry.get_absolute_url())
    assert response.status_code == 200
    assert entry.name in response.content.decode() and "Smith quits" in response.content.decode()


def test_publishing_a_draft_opens_its_author_s_page_at_once(
    fragments_on, purges, django_capture_on_commit_callbacks, make_article, newhire
):
    story = _story(make_article, "draft", authors=[newhire])
    kept = Client().get(newhire.get_absolute_url())
    assert kept.status_code == 404
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=Article.objects.filter(pk=story.pk))

    assert purges and purges[0] & set(kept["Surrogate-Key"].split())
    assert "Rival Times" in Client().get(newhire.get_absolute_url()).content.decode()
