"""Live coverage while the newsroom works on the story: an editor's save of the story, its form
opened before an update was posted or the coverage ended, leaves both as they are; words
refused meanwhile come back whole; the story's form leads to its own updates."""

import re

from articles import admin_saving
from articles.live_services import end_coverage, post_update
from articles.models import Article, LiveUpdate
from articles.services import save_article
from tests.article_forms import change_form_data


def test_an_editors_save_does_not_undo_an_update_posted_meanwhile(article, client):
    opened = Article.objects.get(pk=article.pk)  # the form's row, read before its save's lock
    post_update(article=article, text="Police close the coast road.")
    opened.standfirst = "A new standfirst."
    save_article(article=opened)

    story = Article.objects.get(pk=article.pk)
    assert story.is_live
    assert "Police close the coast road." in client.get(story.get_absolute_url()).content.decode()


def test_an_editors_save_does_not_take_up_again_a_coverage_ended_meanwhile(article):
    post_update(article=article, text="Police close the coast road.")
    opened = Article.objects.get(pk=article.pk)
    end_coverage(queryset=Article.objects.filter(pk=article.pk))
    opened.standfirst = "A new standfirst."
    save_article(article=opened)

    assert not Article.objects.get(pk=article.pk).is_live


def test_an_update_posted_while_the_story_form_is_saved_is_shown(
    desk, client, article, monkeypatch
):
    real = admin_saving.save_article

    def another_editor_posts_first(**kwargs):
        post_update(article=Article.objects.get(pk=article.pk), text="Trains stop at noon.")
        return real(**kwargs)

    monkeypatch.setattr(admin_saving, "save_article", another_editor_posts_first)
    data = change_form_data(article, standfirst="Mended standfirst.")
    data["published_at_0"] = article.published_at.strftime("%Y-%m-%d")
    data["published_at_1"] = article.published_at.strftime("%H:%M:%S")
    assert desk.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302

    html = client.get(article.get_absolute_url()).content.decode()
    assert "Trains stop at noon." in html


def test_a_mend_refused_meanwhile_gives_back_the_headline_too(desk, article):
    update = post_update(article=article, text="Winds rise.", headline="Storm")
    change = f"/admin/articles/liveupdate/{update.pk}/change/"
    LiveUpdate.objects.filter(pk=update.pk).delete()  # another editor, meanwhile

    form = {"headline": "Storm reaches the coast", "text": "Winds rise to 120 km/h."}
    said = desk.post(change, form, follow=True).content.decode()

    assert "This update was deleted meanwhile." in said
    assert "“Storm reaches the coast” “Winds rise to 120 km/h.”" in said


def test_the_story_form_leads_to_its_own_updates_alone(desk, make_article):
    storm = make_article(title="Storm", slug="storm")
    other = make_article(title="Storm warning lifted", slug="storm-2")
    post_update(article=storm, text="Winds rise.")
    post_update(article=other, text="All clear.")
    form = desk.get(f"/admin/articles/article/{storm.pk}/change/").content.decode()

    link = re.search(r'href="([^"]+)">All its updates', form).group(1).replace("&amp;", "&")
    listed = desk.get(link).content.decode()
    assert "Winds rise." in listed and "All clear." not in listed
