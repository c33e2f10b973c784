"""Corrections when others act meanwhile, and through the caches Django keeps: a correction
deleted while another is added to the same story stays on its page; a story deleted (or a
correction deleted) between the form and its save gives the editor their words back, not an
error; a story corrected while taken down reads "Updated" when it is out again; and with the
page fragments kept, every write shows on the story and on /corrections/ at once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles import admin_corrections
from articles.correction_services import append_correction, delete_corrections
from articles.models import Article, Correction
from articles.services import publish_articles, save_article, unpublish_articles
from tests.test_moderation_report_race import _at_once

REAL = "The bridge is 300 m long, not 3 km."


def _days_old(article, days=2):
    then = timezone.now() - timedelta(days=days)
    Article.objects.filter(pk=article.pk).update(published_at=then, updated_at=then)


# The rows the migrations wrote (groups, permissions) restored after them, as every test of
# real concurrent transactions here does: emptied and made again by post_migrate, they clashed
# with the next such test's restore.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestInRealConcurrentTransactions:
    def test_a_correction_added_while_another_is_deleted_stays_on_the_story_s_page(
        self, client, make_article
    ):
        story = make_article(title="Council votes for the new bridge")
        mistaken = append_correction(article=story, text="Added to the wrong story.")

        _at_once(
            lambda: append_correction(article=story, text=REAL),
            lambda: delete_corrections(queryset=Correction.objects.filter(pk=mistaken.pk)),
        )

        page = client.get(story.get_absolute_url()).content.decode()
        assert REAL in page and "Added to the wrong story." not in page
        assert 'href="#corrections">Correction at the end</a>' in page


def test_a_story_corrected_while_taken_down_reads_updated_when_out_again(client, article):
    _days_old(article)
    unpublish_articles(queryset=Article.objects.filter(pk=article.pk))

    append_correction(article=article, text=REAL)
    publish_articles(queryset=Article.objects.filter(pk=article.pk))

    page = client.get(article.get_absolute_url()).content.decode()
    assert REAL in page
    assert "Updated <time" in page


def test_a_story_deleted_before_its_correction_is_saved_gives_the_words_back(desk, article):
    def deleted_first(**kwargs):
        Article.objects.filter(pk=article.pk).delete()
        return append_correction(**kwargs)

    with mock.patch.object(admin_corrections, "append_correction", deleted_first):
        answer = desk.post(
            "/admin/articles/correction/add/", {"article": article.pk, "text": REAL}, follow=True
        )

    assert answer.status_code == 200
    said = answer.content.decode()
    assert "Not saved: This story was deleted meanwhile." in said
    assert f"Your words: “{REAL}”" in said
    assert not Correction.objects.exists()


def test_a_correction_deleted_before_its_mended_words_are_saved_says_so(desk, article):
    correction = append_correction(article=article, text="The bridge is 3 km long.")
    url = f"/admin/articles/correction/{correction.pk}/change/"
    form = desk.get(url)
    assert form.status_code == 200

    # The admin read the correction; another editor deleted it before this save.
    as_read = Correction.objects.get(pk=correction.pk)
    Correction.objects.filter(pk=correction.pk).delete()
    with mock.patch.object(
        admin_corrections.CorrectionAdmin, "get_object", lambda *args, **kwargs: as_read
    ):
        answer = desk.post(url, {"text": REAL}, follow=True)

    assert "Not saved: This correction was deleted meanwhile." in answer.content.decode()
    assert not Correction.objects.exists()


def test_a_blank_correction_is_refused_once_and_plainly(desk, article):
    refused = desk.post("/admin/articles/correction/add/", {"article": article.pk, "text": " "})

    html = refused.content.decode()
    assert refused.status_code == 200
    assert html.count("This field is required.") == 1
    assert "Say what was wrong" not in html  # the same thing said twice
    assert not Correction.objects.exists()


def test_a_correction_saved_unchanged_tells_the_story_s_history_nothing(desk, article):
    correction = append_correction(article=article, text=REAL)
    url = f"/admin/articles/correction/{correction.pk}/change/"

    desk.post(url, {"text": REAL})
    desk.post(url, {"text": REAL + " It opened in 1932."})

    history = desk.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert history.count("Mended a correction") == 1
    assert f"Mended a correction, which said “{REAL}”" in history


def test_with_fragments_kept_every_write_shows_at_once(
    settings, client, desk, make_article, django_capture_on_commit_callbacks
):
    settings.FRAGMENT_CACHE_SECONDS = 300
    story = make_article(title="Council votes for the new bridge")
    for address in (story.get_absolute_url(), "/corrections/"):
        assert REAL not in client.get(address).content.decode()  # drawn and kept

    def written(write):
        with django_capture_on_commit_callbacks(execute=True):  # the purges, after commit
            return write()

    correction = written(lambda: append_correction(article=story, text=REAL))
    for address in (story.get_absolute_url(), "/corrections/"):
        assert REAL in client.get(address).content.decode()

    url = f"/admin/articles/correction/{correction.pk}/change/"
    written(lambda: desk.post(url, {"text": "Mended words."}))
    story.title = "Council approves the new bridge"
    written(lambda: save_article(article=story))
    listed = client.get("/corrections/").content.decode()
    assert "Mended words." in listed and "Council approves the new bridge" in listed
    assert "Mended words." in client.get(story.get_absolute_url()).content.decode()

    written(lambda: unpublish_articles(queryset=Article.objects.filter(pk=story.pk)))
    assert "Mended words." not in client.get("/corrections/").content.decode()
    written(lambda: publish_articles(queryset=Article.objects.filter(pk=story.pk)))
    assert "Mended words." in client.get("/corrections/").content.decode()

    written(lambda: delete_corrections(queryset=Correction.objects.all()))
    for address in (story.get_absolute_url(), "/corrections/"):
        assert "Mended words." not in client.get(address).content.decode()


def test_a_correction_deleted_before_its_form_is_sent_gives_the_words_back(desk, article):
    correction = append_correction(article=article, text="The bridge is 3 km long.")
    url = f"/admin/articles/correction/{correction.pk}/change/"
    assert desk.get(url).status_code == 200
    Correction.objects.filter(pk=correction.pk).delete()  # by another editor, meanwhile

    answer = desk.post(url, {"text": REAL}, follow=True)

    said = answer.content.decode()
    assert "Not saved: This correction was deleted meanwhile." in said
    assert f"Your words: “{REAL}”" in said
