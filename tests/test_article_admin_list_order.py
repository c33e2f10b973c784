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


def _dated_later(article, **overrides) -> dict:
    later = timezone.localtime(timezone.now() + timedelta(days=7))
    data = change_form_data(article, status="draft", **overrides)
    return data | {"published_at_0": f"{later:%Y-%m-%d}", "published_at_1": f"{later:%H:%M:%S}"}


def test_a_draft_dated_next_week_is_placed_by_its_last_edit_not_its_date(
    editor_client, make_article
):
    # A draft is not scheduled (its form says so when saved): it sat at the top of the list
    # for a week, above every draft worked on since, dated as if edited next week.
    dated = _draft(make_article, "Dated next week", days_ago=2)
    other = _draft(make_article, "Worked on since", days_ago=3)
    make_article(title="Out an hour ago", published_at=timezone.now() - timedelta(hours=1))
    later = _dated_later(dated, body="Written up for next week's special.")
    assert editor_client.post(f"{LIST}{dated.pk}/change/", later).status_code == 302
    data = change_form_data(other, status="draft", body="Rewritten.") | _as_dated(other)

    assert editor_client.post(f"{LIST}{other.pk}/change/", data).status_code == 302

    assert _titles(editor_client, state="draft") == ["Worked on since", "Dated next week"]
    assert _titles(editor_client) == ["Worked on since", "Dated next week", "Out an hour ago"]
    form = editor_client.get(f"{LIST}{dated.pk}/change/").content.decode()
    updated = form.split("Updated at", 1)[1].split('class="readonly">', 1)[1].split("<", 1)[0]
    assert updated.startswith(f"{timezone.localtime():%-d %b %Y}")  # today, not next week


def test_a_scheduled_story_sorts_at_its_publication_time(editor_client, make_article):
    # Published with a time to come: the list's "Scheduled", placed by when it goes out.
    make_article(title="Goes out tomorrow", published_at=timezone.now() + timedelta(days=1))
    draft = _draft(make_article, "Being written", days_ago=1)
    data = change_form_data(draft, status="draft", body="A paragraph more.") | _as_dated(draft)

    assert editor_client.post(f"{LIST}{draft.pk}/change/", data).status_code == 302

    assert _titles(editor_client) == ["Goes out tomorrow", "Being written"]


def test_a_schedule_withdrawn_comes_first_among_the_drafts(editor_client, make_article):
    # Its "last edit" was its time to come: pulled, it sat above the drafts until that time.
    story = make_article(title="Pulled", published_at=timezone.now() + timedelta(days=3))
    draft = _draft(make_article, "Being written", days_ago=1)
    data = change_form_data(draft, status="draft", body="A paragraph more.") | _as_dated(draft)
    unpublish = {"action": "unpublish", "_selected_action": [story.pk]}

    assert editor_client.post(LIST, unpublish).status_code == 302
    assert editor_client.post(f"{LIST}{draft.pk}/change/", data).status_code == 302

    assert _titles(editor_client, state="draft") == ["Being written", "Pulled"]
