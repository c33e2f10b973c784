"""An article's address changed after publication: links already out (shared, mailed, in feeds
and search engines) still lead to it."""

import re
from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from articles.services import save_article, unpublish_articles


def _rename(article, slug):
    article.slug = slug
    return save_article(article=article)


def test_a_published_article_s_old_address_leads_on_to_its_new_one_for_good(
    client, article, make_comment, settings
):
    settings.COMMENTS_PER_PAGE = 1
    for _ in range(2):  # so its comments have a page 2
        make_comment(article, status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    _rename(article, "xiaomi-starts-car-production")

    response = client.get("/articles/xiaomi-car/?comments-page=2")
    assert response.status_code == 301
    assert response["Location"] == "/articles/xiaomi-starts-car-production/?comments-page=2"
    # Any shared cache may keep it, and forgets it when the article changes again.
    assert "public" in response["Cache-Control"]
    assert f"article-{article.pk}" in response["Surrogate-Key"].split()
    assert client.get(response["Location"]).status_code == 200
    assert client.head("/articles/xiaomi-car/").status_code == 301


def test_every_earlier_address_leads_to_the_current_one_and_back_again(client, article):
    _rename(article, "second-name")
    _rename(article, "third-name")
    for old in ("xiaomi-car", "second-name"):
        assert client.get(f"/articles/{old}/")["Location"] == "/articles/third-name/"

    _rename(article, "xiaomi-car")  # back to its first name
    assert client.get("/articles/xiaomi-car/").status_code == 200
    assert client.get("/articles/third-name/")["Location"] == "/articles/xiaomi-car/"


def test_an_old_address_taken_by_another_article_is_that_article_s(
    client, article, make_article, purges, django_capture_on_commit_callbacks
):
    _rename(article, "xiaomi-car-production")
    # Taken before saves refused it (tests/test_old_address_write_path.py), or by a save racing
    # the rename: the page there is the newer story's, and its next save ends the old address.
    newer = make_article(title="Xiaomi's car, reviewed", slug="xiaomi-car-reviewed")
    Article.objects.filter(pk=newer.pk).update(slug="xiaomi-car")
    newer.slug = "xiaomi-car"
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=newer)

    response = client.get("/articles/xiaomi-car/")
    assert response.status_code == 200
    assert newer.title in response.content.decode()
    # Shared caches kept the redirect under the first article's key: it is purged.
    assert any(f"article-{article.pk}" in keys for keys in purges)
    # And when that one moves on, the address is its to lead on from.
    _rename(newer, "xiaomi-car-reviewed")
    assert client.get("/articles/xiaomi-car/")["Location"] == "/articles/xiaomi-car-reviewed/"


def test_no_old_address_leads_to_an_article_not_on_the_site(client, article, draft):
    _rename(article, "xiaomi-car-production")
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))
    assert client.get("/articles/xiaomi-car/").status_code == 404

    # A draft's names before it went out were never given to anyone.
    old = draft.slug
    _rename(draft, "draft-renamed")
    draft.status = Article.Status.PUBLISHED
    save_article(article=draft)
    assert client.get(f"/articles/{old}/").status_code == 404
    assert client.get("/articles/draft-renamed/").status_code == 200


def test_a_story_renamed_while_taken_down_for_a_correction_keeps_the_address_it_went_out_under(
    client, article
):
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))
    article.refresh_from_db()
    _rename(article, "xiaomi-car-corrected")
    article.status = Article.Status.PUBLISHED
    save_article(article=article)

    assert client.get("/articles/xiaomi-car/")["Location"] == "/articles/xiaomi-car-corrected/"


def test_a_scheduled_story_s_name_before_its_release_is_nobody_s(client, make_article):
    scheduled = make_article(slug="embargoed-name", published_at=timezone.now() + timedelta(days=1))
    _rename(scheduled, "released-name")
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now(), first_published_at=timezone.now()
    )
    assert client.get("/articles/embargoed-name/").status_code == 404


def test_an_editor_ends_an_old_address_on_the_article_s_page(
    client, article, purges, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from tests.article_forms import change_form_data

    _rename(article, "xiaomi-car-production")
    editor = get_user_model().objects.create_superuser("desk", "desk@example.com", "pw")
    editor_client = client.__class__()
    editor_client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    assert "Old addresses" in editor_client.get(url).content.decode()

    old = article.old_slugs.get()
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url,
            change_form_data(
                article,
                **{
                    "old_slugs-TOTAL_FORMS": "1",
                    "old_slugs-INITIAL_FORMS": "1",
                    "old_slugs-0-id": old.pk,
                    "old_slugs-0-article": article.pk,
                    "old_slugs-0-DELETE": "on",
                },
            ),
        )

    assert response.status_code == 302
    assert client.get("/articles/xiaomi-car/").status_code == 404
    # The redirect shared caches kept under the article's key goes too.
    assert any(f"article-{article.pk}" in keys for keys in purges)
    assert client.get("/articles/xiaomi-car-production/").status_code == 200


def test_the_article_s_form_names_each_old_address_once(superuser_client, article):
    _rename(article, "xiaomi-car-production")

    html = superuser_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    group = html.split('id="old_slugs-group"', 1)[1].split("</fieldset>", 1)[0]

    # Row heading and field both said it: a list of two addresses read as four.
    assert len(re.findall(r"xiaomi-car\b(?!-)", group)) == 1
    assert 'name="old_slugs-0-DELETE"' in group
