"""A write that changes what readers see purges it: the front caches' pages by surrogate key,
and Django's own fragments kept under the same keys."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article, Section
from comments.models import ModerationPolicy


# --- Purges --------------------------------------------------------------------------------------
def test_publishing_unpublishing_and_deleting_purge_the_article_and_the_lists(
    purges, draft, article, django_capture_on_commit_callbacks
):
    from articles.services import delete_articles, publish_articles, unpublish_articles

    for change in (publish_articles, unpublish_articles, delete_articles):
        with django_capture_on_commit_callbacks(execute=True):
            change(queryset=Article.objects.filter(pk=draft.pk))
        assert {f"article-{draft.pk}", "list", "latest", f"section-{draft.section_id}"} <= (
            purges.pop()
        )
    assert purges == []


def test_taking_a_story_off_the_site_or_changing_its_words_purges_its_lists_for_good(
    purges, article, django_capture_on_commit_callbacks
):
    # The proxy purges `listed-N` and `listed-all` for good (deploy/newsportal.vcl.in), the wide
    # keys softly: a publication, or a save that changes nothing readers see of a story, keeps
    # the stale copies an outage needs; a changed headline must not come back from them.
    from articles.services import (
        delete_articles,
        publish_articles,
        save_article,
        unpublish_articles,
    )

    gone_for_good = {f"listed-{article.pk}", "listed-all"}
    the_article = Article.objects.filter(pk=article.pk)

    def purged_by(change, **fields):
        purges.clear()
        article.refresh_from_db()
        for name, value in fields.items():
            setattr(article, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return set().union(*purges) & gone_for_good

    def edit():
        save_article(article=article)

    assert purged_by(edit, title="Headline corrected") == gone_for_good
    assert purged_by(edit, standfirst="Standfirst corrected") == gone_for_good
    assert purged_by(edit) == set()  # saved again unchanged
    assert purged_by(lambda: unpublish_articles(queryset=the_article)) == gone_for_good
    assert purged_by(lambda: publish_articles(queryset=the_article)) == set()
    # Taken down in the form: back to draft, or moved to a later time.
    assert purged_by(edit, status=Article.Status.DRAFT) == gone_for_good
    assert purged_by(edit, status=Article.Status.PUBLISHED) == set()
    later = timezone.now() + timedelta(days=1)
    assert purged_by(edit, published_at=later) == gone_for_good
    assert purged_by(edit, title="Edited while scheduled") == set()
    assert purged_by(lambda: delete_articles(queryset=the_article)) == gone_for_good


def test_saving_an_article_in_the_admin_purges_it(
    purges, editor_client, article, django_capture_on_commit_callbacks
):
    from tests.article_forms import change_form_data

    data = change_form_data(article, title="Fixed", comments_enabled="")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert any({f"article-{article.pk}", "list"} <= keys for keys in purges)
    assert "Comments are closed" in Client().get(article.get_absolute_url()).content.decode()


def test_a_tag_given_to_an_article_in_the_admin_purges_the_pages_of_that_tag(
    purges, editor_client, article, tag, django_capture_on_commit_callbacks
):
    from tests.article_forms import change_form_data

    # Saved after the article (the admin saves many-to-many fields last): stories under the
    # tag may now list this one among their related stories.
    data = change_form_data(article, tags=[tag.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert any(f"tag-{tag.pk}" in keys for keys in purges)


def test_moderation_decisions_purge_the_article_and_the_lists(
    purges, article, make_comment, moderator, django_capture_on_commit_callbacks
):
    from comments.services import approve, take_down

    comment = make_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=comment, by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        take_down([comment], by=moderator)

    assert purges == [{f"article-{article.pk}", "list"}] * 2


def test_a_pending_or_rejected_comment_purges_nothing(
    purges, article, submit, moderator, django_capture_on_commit_callbacks
):
    from comments.services import reject

    with django_capture_on_commit_callbacks(execute=True):
        reject(comment=submit(article), by=moderator)

    assert purges == []


def test_closing_comments_in_the_policy_purges_every_page_and_shows_at_once(
    purges, article, settings, django_capture_on_commit_callbacks
):
    from comments.policy_services import update_policy

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=3))
    assert "Add a comment" in Client().get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_policy(policy=ModerationPolicy(close_after_days=2))

    assert purges == [{"site"}]
    assert "Comments are closed" in Client().get(article.get_absolute_url()).content.decode()


def test_renaming_a_section_purges_every_page(
    purges, superuser_client, section, django_capture_on_commit_callbacks
):
    data = {"name": "Tech & Science", "slug": section.slug, "order": 1}
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(f"/admin/articles/section/{section.pk}/change/", data)

    assert Section.objects.get().name == "Tech & Science"
    assert purges == [{"site", f"section-page-{section.slug}"}]


# --- Django's own fragments follow the same purges -----------------------------------------------
@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def test_a_kept_list_follows_publishing_and_unpublishing(
    fragments_on, client, article, draft, django_capture_on_commit_callbacks
):
    from articles.services import publish_articles, unpublish_articles

    for url in ("/", article.section.get_absolute_url(), "/search/?q=batteries"):
        assert "Secret draft" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_articles(queryset=Article.objects.filter(pk=draft.pk))
    for url in ("/", article.section.get_absolute_url(), "/search/?q=batteries"):
        assert "Secret draft" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_articles(queryset=Article.objects.filter(pk=draft.pk))
    for url in ("/", article.section.get_absolute_url(), "/search/?q=batteries"):
        assert "Secret draft" not in client.get(url).content.decode()


def test_a_kept_article_page_follows_an_edit_of_an_article_it_links_to(
    fragments_on, client, article, make_article, add_related, django_capture_on_commit_callbacks
):
    from articles.services import save_article

    other = make_article(title="Batteries are getting cheaper")
    add_related(article, other)
    assert (
        "Batteries are getting cheaper" in client.get(article.get_absolute_url()).content.decode()
    )

    other.title = "Batteries are getting much cheaper"
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=other)

    assert "much cheaper" in client.get(article.get_absolute_url()).content.decode()


def test_the_kept_menu_and_policy_follow_the_admin(
    fragments_on, superuser_client, article, section, django_capture_on_commit_callbacks
):
    from comments.policy_services import update_policy

    assert "Technology" in Client().get("/").content.decode()
    data = {"name": "Tech & Science", "slug": section.slug, "order": 1}
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(f"/admin/articles/section/{section.pk}/change/", data)
    assert "Tech &amp; Science" in Client().get("/").content.decode()

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=3))
    assert "Add a comment" in Client().get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_policy(policy=ModerationPolicy(close_after_days=2))
    assert "Comments are closed" in Client().get(article.get_absolute_url()).content.decode()


def test_a_deploy_drops_the_pages_the_old_release_drew(
    fragments_on, client, article, purges, django_capture_on_commit_callbacks
):
    # A data migration rewrites what pages show (a body rendered again), as 0006 did: no
    # service runs, so the deploy purges after migrating (make serve runs purge_pages).
    assert "Rendered again" not in client.get(article.get_absolute_url()).content.decode()
    Article.objects.filter(pk=article.pk).update(body_html="<p>Rendered again.</p>")
    assert "Rendered again" not in client.get(article.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_pages", stdout=io.StringIO())

    assert "Rendered again" in client.get(article.get_absolute_url()).content.decode()
    assert purges == [{"site"}]


def test_purge_pages_names_the_front_caches_it_purged(
    purges, settings, db, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_pages", stdout=out)

    assert purges == [{"site"}]
    assert f"Every cached page will be drawn again (front caches: {purges_url(settings)})" in (
        out.getvalue()
    )
    assert "no front cache" not in out.getvalue()


def test_purge_pages_says_plainly_when_no_front_cache_was_purged(settings, db):
    # A shell of the operator's own, without make serve's FRONT_CACHE_PURGE_URLS: Varnish keeps
    # the old pages, and the operator must not be told every page will be drawn again.
    settings.FRONT_CACHE_PURGE_URLS = []
    settings.EDGE_CACHE_SECONDS, settings.EDGE_STALE_SECONDS = 120, 15
    out = io.StringIO()
    call_command("purge_pages", stdout=out)

    said = out.getvalue()
    assert "Every cached page" not in said
    assert "FRONT_CACHE_PURGE_URLS is empty: no front cache was purged." in said
    assert "for up to 120 s (EDGE_CACHE_SECONDS), 15 s more" in said
    assert "set FRONT_CACHE_PURGE_URLS=http://127.0.0.1:<PORT + 2>/" in said


def purges_url(settings):
    [url] = settings.FRONT_CACHE_PURGE_URLS
    return url


def test_kept_pages_cost_no_queries_once_drawn(fragments_on, client, article, tag):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article.tags.add(tag)
    for url in ("/", article.section.get_absolute_url(), tag.get_absolute_url(), "/search/?q=car"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 0, (url, [q["sql"] for q in queries.captured_queries])
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert len(queries) == 1  # the article itself: whether it is public is decided every time


def test_a_replaced_or_deleted_hero_picture_leaves_storage_and_the_front_caches(
    purges, editor_client, client, article, django_capture_on_commit_callbacks
):
    # A picture taken down (for legal reasons, say) must not stay at its old address.
    from articles.services import delete_articles
    from tests.article_forms import change_form_data
    from tests.test_images import image_file

    def upload(name):
        data = change_form_data(article, hero_alt="A red square.", hero_image=image_file(name=name))
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)
        assert response.status_code == 302
        article.refresh_from_db()
        srcsets = [article.hero_srcset, *(s["srcset"] for s in article.hero_modern_sources)]
        renditions = [url.split()[0] for srcset in srcsets for url in srcset.split(", ")]
        crops = [crop["url"] for crop in article.hero_crop_images]
        return [article.hero_image.url, *renditions, *crops]

    first = upload("first.png")
    served = [client.get(url) for url in first]
    assert [response.status_code for response in served] == [200] * len(first)
    purges.clear()

    second = upload("second.png")

    assert [client.get(url).status_code for url in first] == [404] * len(first)
    assert [client.get(url).status_code for url in second] == [200] * len(second)
    purged = set().union(*purges)
    assert {response["Surrogate-Key"] for response in served} <= purged

    with django_capture_on_commit_callbacks(execute=True):
        delete_articles(queryset=Article.objects.filter(pk=article.pk))
    assert [client.get(url).status_code for url in second] == [404] * len(second)
