"""A queue card's article: a link to the story readers see, or, for a story off the site (a draft,
or scheduled for later), words saying so and a link to its admin page for those who may open it
(the public address of a story off the site is a 404 to a moderator)."""

import pytest

from comments.models import Report
from newsportal.formats import newsroom_time

CHANGELIST = "/admin/comments/comment/"


def _card(html, comment):
    start = html.index(f'id="queue-{comment.pk}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize("story", ["draft", "scheduled"])
def test_a_card_says_its_story_is_off_the_site_and_never_links_to_its_404(
    request, moderator_client, superuser_client, make_comment, story
):
    article = request.getfixturevalue(story)
    comment = make_comment(article)
    assert moderator_client.get(article.get_absolute_url()).status_code == 404

    card = _card(moderator_client.get(CHANGELIST).content.decode(), comment)
    boss_card = _card(superuser_client.get(CHANGELIST).content.decode(), comment)

    said = "draft" if story == "draft" else f"scheduled for {newsroom_time(article.published_at)}"
    for html in (card, boss_card):
        assert f"<strong>Article off the site ({said})</strong>" in html
        assert f'href="{article.get_absolute_url()}"' not in html
    # A moderator may not open stories in the admin either: the title, unlinked.
    assert f'<span class="queue-on">on</span> {article.title}</h3>' in card
    # Whoever may: the story's admin page, where it is published or its date set.
    admin_page = f"/admin/articles/article/{article.pk}/change/"
    assert f'<a href="{admin_page}">{article.title}</a>' in boss_card
    assert superuser_client.get(admin_page).status_code == 200


def test_a_reported_card_says_its_story_has_gone_off_the_site(moderator_client, approved_comment):
    Report.objects.create(comment=approved_comment, reason="spam", reporter="r-1")
    article = approved_comment.article
    article.status = article.Status.DRAFT
    article.save(update_fields=["status"])

    html = moderator_client.get(CHANGELIST, {"status": "reported"}).content.decode()

    assert "<strong>Article off the site (draft)</strong>" in _card(html, approved_comment)


def test_a_card_on_a_published_story_links_to_it(moderator_client, article, make_comment):
    comment = make_comment(article)

    card = _card(moderator_client.get(CHANGELIST).content.decode(), comment)

    assert f'<a href="{article.get_absolute_url()}">{article.title}</a>' in card
    assert "off the site" not in card
