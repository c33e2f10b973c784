"""The preview says which related links the page leaves out until their story is out (a draft,
or scheduled): they were left out without a word, and a link to a story going out later read as
lost to the editor checking it."""

from datetime import timedelta

from django.utils import timezone

from tests.article_forms import change_form_data


def _with_links(article, *targets) -> dict:
    data = change_form_data(article) | {
        "related_links-TOTAL_FORMS": str(len(targets)),
        "related_links-INITIAL_FORMS": "0",
    }
    for i, target in enumerate(targets):
        data |= {
            f"related_links-{i}-target_article": str(target.pk),
            f"related_links-{i}-order": str(i),
        }
    return data


def _preview(client, article, data) -> str:
    response = client.post(f"/admin/articles/article/{article.pk}/preview/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_links_to_stories_not_out_yet_are_named_and_left_out(superuser_client, make_article):
    story = make_article(title="Night ferry back in May")
    out = make_article(title="Ferries return")
    draft = make_article(title="Ferry strike called off", status="draft")
    coming = make_article(
        title="Timetable for May", published_at=timezone.now() + timedelta(days=1)
    )
    when = f"{timezone.localtime(coming.published_at):%-d %b %Y, %H:%M}"

    page = _preview(superuser_client, story, _with_links(story, out, draft, coming))

    assert (
        "Not on the page until their stories are out: the related link to “Ferry strike called "
        f"off” (a draft); the related link to “Timetable for May” (scheduled for {when}"
    ) in page
    rail = page.split('<div class="article-rail">', 1)[1]
    assert "Ferries return" in rail and "Ferry strike" not in rail


def test_a_preview_with_every_link_out_says_nothing_of_them(superuser_client, make_article):
    story = make_article(title="Night ferry back in May")

    page = _preview(
        superuser_client, story, _with_links(story, make_article(title="Ferries return"))
    )

    assert "Not on the page until" not in page


def test_an_editor_without_the_links_in_their_form_is_told_of_the_saved_ones(
    editor_client, make_article, add_related
):
    story = make_article(title="Night ferry back in May")
    add_related(story, make_article(title="Ferries return"), order=0)
    add_related(story, make_article(title="Ferry strike called off", status="draft"), order=1)

    page = _preview(editor_client, story, change_form_data(story))

    assert (
        "Not on the page until its story is out: the related link to “Ferry strike called off” "
        "(a draft)."
    ) in page
    assert "Ferries return" in page.split('<div class="article-rail">', 1)[1]
