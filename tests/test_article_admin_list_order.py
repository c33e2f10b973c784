"""The article list puts what the newsroom worked on last first: a draft by its last edit, a
story out or scheduled by its publication time. Drafts sorted by the time their form was first
opened: the story a reporter wrote all morning, started last week, sat pages down the list."""

from datetime import timedelta

from django.utils import timezone

from tests.article_forms import change_form_data

LIST = "/admin/articles/article/"


def _titles(client, **query) -> list[str]:
    html = client.get(LIST, query).content.decode()
    rows = html.split('id="result_list"', 1)[1].split("</table>", 1)[0].split("<tr")[2:]
    return [
        row.split('class="field-title">', 1)[1].split("</a>", 1)[0].rsplit(">", 1)[1]
        for row in rows
    ]


def _as_dated(article) -> dict:
    """The form's publication time, as it shows the story's."""
    day, time = f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M:%S}".split()
    return {"published_at_0": day, "published_at_1": time}


def _draft(make_article, title, days_ago):
    opened = timezone.now() - timedelta(days=days_ago)
    return make_article(title=title, status="draft", published_at=opened)


def test_a_draft_just_worked_on_comes_first(editor_client, make_article):
    week_old = _draft(make_article, "Started last week", days_ago=7)
    _draft(make_article, "Started yesterday", days_ago=1)
    make_article(title="Out an hour ago", published_at=timezone.now() - timedelta(hours=1))
    data = change_form_data(week_old, status="draft", body="Rewritten this morning.")

    response = editor_client.post(f"{LIST}{week_old.pk}/change/", data | _as_dated(week_old))

    assert response.status_code == 302
    assert _titles(editor_client, state="draft") == ["Started last week", "Started yesterday"]
    assert _titles(editor_client) == ["Started last week", "Out an hour ago", "Started yesterday"]


def test_a_correction_does_not_move_a_story_out_up_the_list(editor_client, make_article):
    oldest = make_article(title="Oldest", published_at=timezone.now() - timedelta(days=3))
    make_article(title="Older", published_at=timezone.now() - timedelta(days=2))
    make_article(title="Newer", published_at=timezone.now() - timedelta(days=1))
    data = change_form_data(oldest, body="Corrected: the figure was 3%.") | _as_dated(oldest)

    assert editor_client.post(f"{LIST}{oldest.pk}/change/", data).status_code == 302

    assert _titles(editor_client) == ["Newer", "Older", "Oldest"]
