"""An editor's preview of a story readers cannot open yet says what it is (a draft, or scheduled
for its time) where the page would say when it was published, and offers no sharing of an
address that answers readers "not found"; the published page is as readers get it."""

from datetime import UTC, datetime

import pytest

from articles.models import Article


def _byline(page: str) -> str:
    return page.split('<p class="byline-dates">', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("fragment_seconds", [0, 300], ids=["uncached", "cached"])
def test_a_draft_s_preview_says_draft_and_offers_no_sharing(
    editor_client, draft, settings, fragment_seconds
):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds

    page = editor_client.get(draft.get_absolute_url()).content.decode()

    assert "Published" not in _byline(page)
    assert "Draft, not published" in _byline(page)
    assert "Share this article" not in page and "twitter.com/intent" not in page
    assert "data-copy-link" not in page
    assert "Sharing comes with publication" in page


def test_a_scheduled_story_s_preview_says_when_it_goes_out(editor_client, scheduled, settings):
    settings.TIME_ZONE = "Europe/London"
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=datetime(2099, 7, 2, 9, 30, tzinfo=UTC)
    )

    page = editor_client.get(scheduled.get_absolute_url()).content.decode()

    byline = _byline(page)
    assert "Published" not in byline
    assert 'Scheduled for <time datetime="2099-07-02T10:30:00+0100">2 Jul 2099, 10:30 BST' in byline
    assert "Share this article" not in page and "data-copy-link" not in page


@pytest.mark.parametrize("fragment_seconds", [0, 300], ids=["uncached", "cached"])
def test_readers_of_a_published_story_see_its_date_and_share_buttons(
    client, editor_client, article, settings, fragment_seconds
):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds

    for someone in (client, editor_client):
        page = someone.get(article.get_absolute_url()).content.decode()

        assert "Published <time" in _byline(page)
        assert "Share this article" in page and "data-copy-link" in page
        assert "Sharing comes with publication" not in page
