"""The article list's "published" column says when a story went out, or goes out: a draft never
published has no such time (the one it holds is when its form was opened)."""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model

from articles.services import unpublish_articles

LIST = "/admin/articles/article/"


def _published_cells(client) -> dict[str, str]:
    html = client.get(LIST).content.decode()
    body = html.split('id="result_list"', 1)[1].split("</table>", 1)[0]
    cells = {}
    for row in body.split("<tr")[2:]:
        title = row.split('class="field-title">', 1)[1].split("</a>", 1)[0].rsplit(">", 1)[1]
        cells[title] = row.split('<td class="field-published">', 1)[1].split("</td>", 1)[0]
    return cells


def test_a_draft_reads_as_not_published_not_as_dated(client, db, make_article):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    opened = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    make_article(title="Opened", status="draft", published_at=opened)
    make_article(title="Dated later", status="draft", published_at=datetime(2099, 1, 1, tzinfo=UTC))
    make_article(title="Coming", published_at=datetime(2099, 1, 1, 9, 0, tzinfo=UTC))
    make_article(title="Out", published_at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    pulled = make_article(title="Taken down", published_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    unpublish_articles(queryset=type(pulled).objects.filter(pk=pulled.pk))

    cells = _published_cells(client)

    assert cells["Opened"] == "Not published yet"
    assert cells["Dated later"] == "Not published yet"  # not scheduled: a draft never goes out
    # Scheduled, out, or out before and taken down: the time it has, kept when published again.
    assert cells["Coming"].startswith("1 Jan 2099, ")
    assert cells["Out"].startswith("2 Mar 2026, ")
    assert cells["Taken down"].startswith("1 Mar 2026, ")
