"""What a reader sees on an article page."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article


def test_article_page_shows_title_lead_byline_times_body_and_end_marker(client, article):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert article.standfirst in response.content.decode()
    assert (
        '<a href="/author/marta-ribeiro/" rel="author">Marta Ribeiro</a>'
        in response.content.decode()
    )
    # Whole seconds: the HTML standard allows at most three digits of a fraction.
    published = article.published_at.strftime("%Y-%m-%dT%H:%M:%S+0000")
    assert f'<time datetime="{published}">' in response.content.decode()
    assert "<p>Second paragraph.</p>" in response.content.decode()
    assert "End of content" in response.content.decode()


def test_markdown_body_is_sanitised(client, make_article):
    article = make_article(
        body='Hello **world**\n\n<script>alert("x")</script>\n\n[click](javascript:alert(1))'
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<strong>world</strong>" in html
    assert '<script>alert("x")</script>' not in html
    assert "javascript:alert" not in html


def test_meta_tags_canonical_and_open_graph_are_present(client, article, settings):
    settings.SITE_URL = "https://news.example.com"
    response = client.get(article.get_absolute_url())
    # From SITE_URL, not from whatever host the first reader used.
    url = "https://news.example.com" + article.get_absolute_url()

    assert response.status_code == 200
    # assertContains(html=True) compares the parsed elements, whatever the attribute order.
    from django.test import SimpleTestCase

    check = SimpleTestCase()
    check.assertContains(response, f'<link rel="canonical" href="{url}">', html=True)
    check.assertContains(
        response, f'<meta property="og:title" content="{article.title}">', html=True
    )
    check.assertContains(response, f'<meta property="og:url" content="{url}">', html=True)
    check.assertContains(response, '<meta property="og:type" content="article">', html=True)
    check.assertContains(
        response, f'<meta property="og:site_name" content="{settings.SITE_NAME}">', html=True
    )
    check.assertContains(response, '<meta name="twitter:card" content="summary">', html=True)
    check.assertContains(
        response, f'<meta name="twitter:title" content="{article.title}">', html=True
    )


def test_json_ld_describes_a_news_article(client, article):
    article.title = "Cars </script><script>alert(1)</script> & more"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">')
    payload = html[start:].split(">", 1)[1].split("</script>", 1)[0]

    data = json.loads(payload)

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert [author["name"] for author in data["author"]] == ["Marta Ribeiro"]


def test_share_links_are_plain_links_without_third_party_scripts(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    for host in ("twitter.com/intent", "facebook.com/sharer", "wa.me", "linkedin.com", "mailto:"):
        assert host in html
    assert "Copy link" in html
    assert '<script src="http' not in html


def test_curated_related_links_show_in_order_with_external_titles(
    client, article, make_article, add_related
):
    other = make_article(title="Battery prices fall")
    add_related(article, url="https://example.org/story", title="External story", order=2)
    add_related(article, other, order=1)

    html = client.get(article.get_absolute_url()).content.decode()

    related = html[html.index('id="related-heading"') :]
    assert related.index("Battery prices fall") < related.index("External story")
    assert 'href="https://example.org/story"' in related


def test_a_related_link_can_stand_inside_the_body_as_a_heading(
    client, article, make_article, add_related
):
    other = make_article(title="Xiaomi may outsource its production")
    add_related(article, other, in_body=1)

    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('class="article-body"') : html.index("End of content")]

    heading = (
        f'<h2 class="inline-related h4"><a href="{other.get_absolute_url()}">'
        "Xiaomi may outsource its production</a></h2>"
    )
    assert heading in body
    assert body.index("First paragraph") < body.index(heading) < body.index("Second paragraph")


def test_without_curated_links_recent_articles_of_the_same_section_are_suggested(
    client, article, make_article
):
    sibling = make_article(title="Another technology story")

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'id="related-heading"' in html
    assert sibling.title in html[html.index('id="related-heading"') :]


@pytest.mark.parametrize("link_count", [0, 30])
def test_article_page_query_count_does_not_grow_with_related_links(
    client, article, make_article, add_related, tag, link_count, django_assert_max_num_queries
):
    article.tags.add(tag)
    for i in range(link_count):
        target = make_article(title=f"Target {i}")
        add_related(article, target, order=i, in_body=1 if i == 0 else None)
        add_related(article, url=f"https://example.org/{i}", title=f"External {i}", order=100 + i)

    with django_assert_max_num_queries(12):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200


def test_article_page_query_count_is_the_same_with_0_or_30_links(
    client, article, make_article, add_related
):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    # With no curated links the page looks up fallback suggestions instead.
    add_related(article, make_article(title="first"))
    few = count()
    for i in range(30):
        add_related(article, make_article(title=f"Target {i}"), order=i + 1)

    assert count() == few


def test_a_kept_article_page_costs_one_query_and_its_body_is_read_again_after_an_edit(
    client, article, make_comment, settings, django_capture_on_commit_callbacks
):
    from articles.services import save_article

    settings.FRAGMENT_CACHE_SECONDS = 300
    make_comment(article, status="approved", body="Kept with the page")
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as ctx:
        html = client.get(article.get_absolute_url()).content.decode()

    # The row (is it public?) and nothing else: the body, links and comments come kept.
    assert len(ctx.captured_queries) == 1
    assert "Kept with the page" in html and article.title in html
    article.body = "A corrected paragraph."
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=article)
    assert "A corrected paragraph." in client.get(article.get_absolute_url()).content.decode()


def test_an_article_deleted_while_its_page_is_drawn_is_a_404(client, article, settings):
    from unittest import mock

    import articles.views

    settings.FRAGMENT_CACHE_SECONDS = 300
    draw = articles.views.article_page_parts

    def deleted_meanwhile(row, **kwargs):
        Article.objects.filter(pk=row.pk).delete()
        return draw(row, **kwargs)

    with mock.patch.object(articles.views, "article_page_parts", deleted_meanwhile):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 404


def test_updated_time_is_shown_only_for_a_real_update(client, make_article):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(published_at=timezone.now())
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" not in html

    type(article).objects.filter(pk=article.pk).update(
        updated_at=article.published_at + timedelta(hours=2)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated <time" in html


def test_staff_see_only_the_links_to_pages_they_may_open(
    client, article, moderator, editor, django_user_model
):
    edit, queue = "Edit this article</a>", "Comments waiting for review</a>"
    plain = django_user_model.objects.create_user("plain", "plain@example.com", is_staff=True)
    for user, shown in ((editor, {edit, queue}), (moderator, {queue}), (plain, set())):
        client.force_login(user)
        html = client.get(article.get_absolute_url()).content.decode()
        assert {link for link in (edit, queue) if link in html} == shown, user.username
    # And what they are shown opens.
    for user, url in (
        (editor, f"/admin/articles/article/{article.pk}/change/"),
        (moderator, "/admin/comments/comment/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_rails_latest_leaves_out_the_stories_related_already_shows(
    client, make_article, add_related
):
    import re

    story = make_article(title="The story read")
    newest = [make_article(title=f"Newest {n}") for n in range(1, 8)]  # 1 is the newest
    add_related(story, newest[0])
    add_related(story, newest[2], in_body=1)

    page = client.get(story.get_absolute_url()).content.decode()
    rail = page[page.index('id="latest-heading"') :]
    latest = re.findall(r">(Newest \d)<", rail[: rail.index("</ol>")])

    assert latest == ["Newest 2", "Newest 4", "Newest 5", "Newest 6", "Newest 7"]
    assert "Newest 1" in page and "Newest 3" in page  # shown once, under Related and in the body


def test_the_byline_says_which_time_zone_its_times_are_in(client, make_article, settings):
    # A reader abroad cannot tell "10:30" in the newsroom's time from their own.
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Europe/London"
    summer = make_article(published_at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC))
    type(summer).objects.filter(pk=summer.pk).update(
        updated_at=datetime(2026, 7, 1, 12, tzinfo=UTC)
    )
    winter = make_article(published_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC))

    html = client.get(summer.get_absolute_url()).content.decode()
    assert '+0100">1 Jul 2026, 10:30 BST</time>' in html
    assert 'Updated <time datetime="2026-07-01T13:00:00+0100">1 Jul 2026, 13:00 BST</time>' in html
    html = client.get(winter.get_absolute_url()).content.decode()
    assert (
        'Published <time datetime="2026-01-05T09:30:00+0000">5 Jan 2026, 09:30 GMT</time>' in html
    )
