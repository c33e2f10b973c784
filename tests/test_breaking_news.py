"""Breaking news: an editor puts a one-line strip across the top of every page, leading to the
story, as newsrooms run a "Breaking" bar while a story develops. It reaches readers through
the caches in front at once (the site is purged), leaves by its own time, with its story
taken down, or when ended, and one strip is up at a time."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.breaking_services import end_breaking_news, put_up_breaking_news
from articles.models import Article, BreakingNews
from articles.services import delete_articles, publish_articles, unpublish_articles
from tests.breaking_helpers import strip_of
from tests.mail_helpers import make_due, run_mail_queue

STRIP = "Xiaomi confirms its electric car goes into mass production in 2024"


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def _time_comes(banner) -> None:
    """The strip's time passes: its end and the worker's task for it, moved to now."""
    now = timezone.now()
    BreakingNews.objects.filter(pk=banner.pk).update(ends_at=now)
    DBTaskResult.objects.filter(task_path__endswith="breaking_news_ended").update(
        run_after=now, args_kwargs={"args": [banner.pk, now.isoformat()], "kwargs": {}}
    )
    make_due()


def _form(article=None, *, text=STRIP, label="breaking", ends=None) -> dict:
    ends = timezone.localtime(ends or timezone.now() + timedelta(hours=3))
    return {
        "label": label,
        "text": text,
        "article": article.pk if article else "",
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
    }


def test_an_editor_puts_up_a_strip_and_every_page_shows_it_at_once(
    desk, client, article, make_article, purges, fragments_on, django_capture_on_commit_callbacks
):
    other = make_article(title="Another story", slug="another-story")
    pages = ["/", article.section.get_absolute_url(), other.get_absolute_url(), "/corrections/"]
    for url in pages:  # kept by the caches, as readers got them
        assert strip_of(client.get(url).content.decode()) == ""

    form = desk.get("/admin/articles/breakingnews/add/").content.decode()
    offered = timezone.localtime() + timedelta(hours=6)
    assert f'value="{offered:%Y-%m-%d}"' in form  # a strip ends by itself unless told otherwise
    with django_capture_on_commit_callbacks(execute=True):
        added = desk.post("/admin/articles/breakingnews/add/", _form(article), follow=True)

    assert "The strip is up on every page until" in added.content.decode()
    assert any("site" in keys for keys in purges)
    for url in pages:
        strip = strip_of(client.get(url).content.decode())
        assert 'aria-label="Breaking"' in strip, url
        assert f'<a href="{article.get_absolute_url()}">{STRIP}</a>' in strip, url
    # Its own story's readers are there already.
    assert strip_of(client.get(article.get_absolute_url()).content.decode()) == ""
    # Pages without a fragment of their own (search, a page not found) show it too.
    assert STRIP in strip_of(client.get("/search/?q=nothing-at-all").content.decode())
    assert STRIP in strip_of(client.get("/no-such-page/").content.decode())
    [banner] = BreakingNews.objects.all()
    assert banner.started_by.username == "desk"


def test_a_new_strip_replaces_the_one_up_which_does_not_come_back(
    client, article, fragments_on, django_capture_on_commit_callbacks
):
    first = put_up_breaking_news(banner=BreakingNews(text="Polls have closed"))
    second = put_up_breaking_news(banner=BreakingNews(text="First results are in"))

    strip = strip_of(client.get("/").content.decode())
    assert "First results are in" in strip and "Polls have closed" not in strip
    first.refresh_from_db()
    assert first.ends_at is not None and not first.is_live
    with django_capture_on_commit_callbacks(execute=True):
        end_breaking_news(queryset=BreakingNews.objects.filter(pk=second.pk))
    assert strip_of(client.get("/").content.decode()) == ""


def test_ending_a_strip_takes_it_off_the_kept_pages(
    desk, client, article, purges, fragments_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        banner = put_up_breaking_news(banner=BreakingNews(text=STRIP, article=article))
    assert STRIP in client.get("/").content.decode()
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ended = desk.post(
            "/admin/articles/breakingnews/",
            {"action": "end_now", "_selected_action": [banner.pk]},
            follow=True,
        )

    assert "The strip is off the pages." in ended.content.decode()
    # For good: no outage brings back, from a stale copy, a strip the newsroom took down.
    assert any({"site", f"breaking-{banner.pk}"} <= keys for keys in purges)
    assert STRIP not in client.get("/").content.decode()
    # An ended strip is a record: shown, not mended into the future over a newer one.
    record = desk.get(f"/admin/articles/breakingnews/{banner.pk}/change/").content.decode()
    assert 'name="text"' not in record and STRIP in record


def test_a_strip_leaves_the_pages_with_its_story_and_comes_back_with_it(
    client, article, make_article, purges, fragments_on, django_capture_on_commit_callbacks
):
    other = make_article(title="Another story", slug="another-story")
    with django_capture_on_commit_callbacks(execute=True):
        put_up_breaking_news(banner=BreakingNews(text=STRIP, article=article))
    page = client.get(other.get_absolute_url())
    assert STRIP in page.content.decode()
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_articles(queryset=Article.objects.filter(pk=article.pk))
    assert any("site" in keys for keys in purges)
    assert STRIP not in client.get(other.get_absolute_url()).content.decode()
    assert STRIP not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=Article.objects.filter(pk=article.pk))
    assert STRIP in client.get("/").content.decode()


def test_a_strip_leads_only_to_a_story_on_the_site(desk, draft, article):
    refused = desk.post("/admin/articles/breakingnews/add/", _form(draft, text="Draft news"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This story is not on the site" in page
    assert 'value="Draft news"' in page  # the words typed, kept
    assert not BreakingNews.objects.exists()

    # The picker offers what may be chosen, and answers for this field alone.
    picked = desk.get(
        "/admin/articles/breakingnews/stories/",
        {"app_label": "articles", "model_name": "breakingnews", "field_name": "article"},
    ).json()
    assert [int(r["id"]) for r in picked["results"]] == [article.pk]
    other_field = desk.get(
        "/admin/articles/breakingnews/stories/",
        {"app_label": "articles", "model_name": "correction", "field_name": "article"},
    )
    assert other_field.status_code == 403


def test_a_time_already_past_is_refused_and_a_strip_without_a_story_is_plain_text(
    desk, client, db, django_capture_on_commit_callbacks
):
    past = timezone.now() - timedelta(minutes=1)
    refused = desk.post("/admin/articles/breakingnews/add/", _form(ends=past))
    assert "This time has passed" in refused.content.decode()

    typed = "Storm <script>alert(1)</script> closes\u2028the coast road"  # a pasted break
    with django_capture_on_commit_callbacks(execute=True):
        desk.post("/admin/articles/breakingnews/add/", _form(text=typed, label="developing"))
    strip = strip_of(client.get("/").content.decode())
    assert 'aria-label="Developing story"' in strip
    assert "Storm &lt;script&gt;alert(1)&lt;/script&gt; closes the coast road" in strip
    assert "<a " not in strip


def test_a_strip_ends_by_its_own_time_through_the_caches(
    client, article, purges, fragments_on, django_capture_on_commit_callbacks
):
    ends = timezone.now() + timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        banner = put_up_breaking_news(banner=BreakingNews(text=STRIP, ends_at=ends))
    page = client.get("/")
    assert STRIP in page.content.decode()
    # Shared caches keep the page no longer than the strip is up (a CDN that is never purged).
    kept = int(re.search(r"s-maxage=(\d+)", page["Cache-Control"]).group(1))
    assert kept <= 30 * 60
    # The put-up's own repeat purges of the site (FRONT_CACHE_PURGE_SOON_SECONDS after it, and
    # later): run first, so a slow machine's due repeat is not read as the strip's end.
    DBTaskResult.objects.filter(task_path__endswith="purge_again").update(run_after=timezone.now())
    run_mail_queue("purge")
    purges.clear()
    run_mail_queue("purge")
    assert not any("site" in keys for keys in purges)  # not its time yet

    _time_comes(banner)
    with django_capture_on_commit_callbacks(execute=True):  # the worker commits as it goes
        run_mail_queue("purge")
    assert any("site" in keys for keys in purges)
    assert STRIP not in client.get("/").content.decode()


def test_only_those_who_may_edit_stories_put_up_a_strip(moderator_client, desk):
    assert moderator_client.get("/admin/articles/breakingnews/add/").status_code == 403
    assert desk.get("/admin/articles/breakingnews/add/").status_code == 200


def test_a_page_drawn_from_its_fragment_reads_nothing_more_for_the_strip(
    client, article, make_article, fragments_on
):
    other = make_article(title="Another story", slug="another-story")
    url = other.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    put_up_breaking_news(banner=BreakingNews(text=STRIP, article=article))
    client.get(url)  # drawn again, with the strip
    with CaptureQueriesContext(connection) as with_strip:
        assert STRIP in client.get(url).content.decode()
    assert len(with_strip) == len(without)


def test_every_page_with_the_strip_carries_its_key_and_a_mended_strip_purges_it(
    desk, client, article, make_article, purges, fragments_on, django_capture_on_commit_callbacks
):
    other = make_article(title="Another story", slug="another-story")
    with django_capture_on_commit_callbacks(execute=True):
        banner = put_up_breaking_news(banner=BreakingNews(text=STRIP, article=article))
    for url in ("/", other.get_absolute_url(), "/search/?q=x", "/no-such-page/"):
        assert f"breaking-{banner.pk}" in client.get(url)["Surrogate-Key"].split(), url
    # Not on its own story's page, which does not show it.
    assert f"breaking-{banner.pk}" not in client.get(article.get_absolute_url())["Surrogate-Key"]
    purges.clear()

    form = _form(article, text="Xiaomi confirms mass production of its car in 2024")
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/admin/articles/breakingnews/{banner.pk}/change/", form)
    assert any({"site", f"breaking-{banner.pk}"} <= keys for keys in purges)
    assert "Xiaomi confirms mass production" in strip_of(client.get("/").content.decode())


def test_saving_a_strip_that_ended_meanwhile_says_so_and_gives_the_words_back(
    desk, client, article
):
    banner = put_up_breaking_news(banner=BreakingNews(text=STRIP))
    form = _form(text="Extended: still developing")
    # Its time passes while the editor has its form open.
    BreakingNews.objects.filter(pk=banner.pk).update(ends_at=timezone.now())

    saved = desk.post(f"/admin/articles/breakingnews/{banner.pk}/change/", form, follow=True)

    page = saved.content.decode()
    assert saved.status_code == 200
    assert "Not saved: this strip is no longer up (ended or replaced)." in page
    assert "Your words: “Extended: still developing”" in page
    banner.refresh_from_db()
    assert banner.text == STRIP
    # Its page is a record now, with nothing to save.
    record = desk.get(f"/admin/articles/breakingnews/{banner.pk}/change/").content.decode()
    assert 'name="_save"' not in record and STRIP in record


def test_two_strips_put_up_at_once_leave_one_up(client, db):
    """Two editors at once: each ended what it saw up, and each added its own (the newest is
    up; the other never comes back)."""
    first = BreakingNews.objects.create(text="Polls have closed")
    second = BreakingNews.objects.create(text="First results are in")

    assert list(BreakingNews.objects.live()) == [second]
    assert "Polls have closed" not in client.get("/").content.decode()
    end_breaking_news(queryset=BreakingNews.objects.all())
    assert strip_of(client.get("/").content.decode()) == ""
    first.refresh_from_db()
    assert not first.is_live


def test_a_kept_page_drawn_after_the_strip_s_time_shows_it_no_more(
    client, article, fragments_on, monkeypatch
):
    ends = timezone.now() + timedelta(minutes=30)
    banner = put_up_breaking_news(banner=BreakingNews(text=STRIP, ends_at=ends))
    for url in ("/", article.get_absolute_url(), "/search/?q=x"):
        client.get(url)  # kept, with the strip
    # Its time passes with no worker to purge the kept parts.
    later = ends + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    for url in ("/", article.get_absolute_url(), "/search/?q=x"):
        page = client.get(url)
        assert STRIP not in page.content.decode(), url
        assert f"breaking-{banner.pk}" not in page["Surrogate-Key"], url


def test_a_story_deleted_ends_its_strip_and_leaves_the_record(
    client, article, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        banner = put_up_breaking_news(banner=BreakingNews(text=STRIP, article=article))
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        delete_articles(queryset=Article.objects.filter(pk=article.pk))

    banner.refresh_from_db()
    assert banner.article is None and banner.text == STRIP and not banner.is_live
    assert any({"site", f"breaking-{banner.pk}"} <= keys for keys in purges)
    assert strip_of(client.get("/").content.decode()) == ""
