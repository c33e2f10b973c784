"""What the design promises in the HTML itself: the current section marked, the rail's newest
stories (and the key that purges them), share buttons with their own icons, the reader's
messages where they land after posting, and a reply control on every comment."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, Section
from tests.test_article_metadata import with_hero

RECEIVED = "Comment sent successfully! We will review it in the next few hours."


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


@pytest.mark.parametrize("fragment_seconds", [0, 300])
def test_the_section_nav_marks_the_section_page_and_the_section_of_an_article(
    client, article, make_article, settings, django_user_model, fragment_seconds
):
    # With fragments kept, pages draw both menus into their own fragment: the second reader of
    # each page (and a signed-in one, who gets the article's parts without the shared comments)
    # sees them marked the same.
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    section_url = article.section.get_absolute_url()
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("nav-reader", "n@example.com"))
    footer = f'<li><a href="{section_url}">{article.section.name}</a></li>'

    for reader in (client, client, signed_in):
        section_page = reader.get(section_url).content.decode()
        article_page = reader.get(article.get_absolute_url()).content.decode()
        home = reader.get("/").content.decode()

        assert f'<a href="{section_url}" aria-current="page">' in section_page
        assert f'<a href="{section_url}" aria-current="true">' in article_page
        assert '<a href="/" aria-current="page">Home</a>' in home
        assert f'<a href="{section_url}" aria-current' not in home
        for page in (section_page, article_page, home):
            assert footer in page[page.index('aria-label="Sections (footer)"') :]


def test_the_article_rail_lists_the_newest_other_published_stories(client, article, make_article):
    # From another section: stories of its own section would be under "Related" instead.
    sport = Section.objects.create(name="Sport", slug="sport")
    older = make_article(
        title="An older story", published_at=timezone.now() - timedelta(days=2), section=sport
    )
    newest = make_article(title="The newest story", section=sport)
    make_article(title="A draft nobody sees", status=Article.Status.DRAFT, section=sport)
    make_article(
        title="Tomorrow's story", published_at=timezone.now() + timedelta(days=1), section=sport
    )

    html = client.get(article.get_absolute_url()).content.decode()
    rail = _between(html, 'id="latest-heading"', "</ol>")

    assert rail.index("The newest story") < rail.index("An older story")
    assert newest.get_absolute_url() in rail and older.get_absolute_url() in rail
    assert "A draft nobody sees" not in rail and "Tomorrow" not in rail
    assert article.title not in rail


def test_the_article_page_carries_the_latest_key_and_its_query_count_stays_flat(
    client, article, make_article, django_assert_max_num_queries
):
    for _ in range(8):
        make_article()

    response = client.get(article.get_absolute_url())

    assert "latest" in response["Surrogate-Key"].split()
    assert "public" in response["Cache-Control"]
    with django_assert_max_num_queries(13):  # 12, and the breaking-news strip's since
        client.get(article.get_absolute_url())


def test_share_buttons_carry_inline_icons_and_their_names(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    share = _between(html, 'class="share"', "</section>")

    assert share.count("<svg") == 6
    assert share.count('aria-hidden="true"') == 6
    for name in ("X", "Facebook", "WhatsApp", "LinkedIn", "E-mail", "Copy link"):
        assert f'<span class="share-label">{name}</span>' in share
    assert "<script" not in share


@pytest.mark.django_db
def test_after_posting_the_reader_lands_at_the_comments_and_reads_the_promise_there(
    reader, article, comment_form_data
):
    response = reader.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(article), follow=True
    )

    assert response.redirect_chain == [(article.get_absolute_url() + "#comments", 302)]
    html = response.content.decode()
    comments = html[html.index('id="comments"') :]
    assert RECEIVED in comments
    assert "private status page" in comments
    # Every link on the landing goes somewhere: no "Back to the comment" to an anchor that
    # is not there (the comment waits for review, unshown).
    anchors = re.findall(r'href="#([^"]+)"', html)
    assert all(f'id="{anchor}"' in html for anchor in anchors), anchors
    assert html.count(RECEIVED) == 1
    assert "private" in response["Cache-Control"]


def test_no_comments_yet_is_said_once(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert "0 comments" in html
    assert "No comments yet" not in html


def test_each_comment_has_a_reply_control_that_works_without_javascript(
    client, article, approved_comment
):
    html = client.get(article.get_absolute_url()).content.decode()
    thread = _between(html, f'id="comment-{approved_comment.pk}"', "</li>")

    link = re.search(r'<a class="reply-link"[^>]*>.*?</a>', thread, re.S).group(0)
    assert (
        f'href="{article.get_absolute_url()}?reply-to={approved_comment.pk}#comment-form"' in link
    )
    assert f'data-reply-to="{approved_comment.pk}"' in link
    text = re.sub(r"<[^>]+>", "", link)
    assert text == "Reply to Early Bird"


def test_section_and_author_pages_do_not_repeat_their_subject_on_every_card(
    client, article, make_article, author
):
    make_article(title="Second technology story")
    kicker = f'<p class="kicker">{article.section.name}</p>'

    section = client.get(article.section.get_absolute_url()).content.decode()
    by_author = client.get(author.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()

    assert section.count('class="article-card') == 2 and kicker not in section
    assert by_author.count('class="article-card') == 2
    assert 'class="card-authors"' not in by_author and kicker in by_author
    assert 'class="card-authors"' in home and kicker in home


def test_a_comment_sent_back_to_send_once_more_has_its_message_next_to_the_form(
    article, comment_form_data
):
    data = comment_form_data(article, body="Sent from the shared page.")
    data.update(csrfmiddlewaretoken="", started="")  # as the shared page has them

    response = Client(enforce_csrf_checks=True).post(
        reverse("comments:post", args=[article.pk]), data
    )

    html = response.content.decode()
    message = html.index("once more")
    # Inside the form the page lands on, under its heading, before the fields.
    form = html.index('id="comment-form"')
    assert form < html.index('id="comment-form-heading"') < message < html.index('name="body"')
    assert "Sent from the shared page." in html[form:]


def _card_images(html: str) -> list[str]:
    return re.findall(r'<img class="card-image"[^>]*>', html)


def test_without_a_lead_story_the_first_cards_picture_is_fetched_first(
    client, article, make_article, author
):
    with_hero(make_article(title="An older story", published_at=timezone.now() - timedelta(1)))
    with_hero(article)

    for url in (article.section.get_absolute_url(), author.get_absolute_url()):
        first, second = _card_images(client.get(url).content.decode())
        assert 'fetchpriority="high"' in first and "loading=" not in first
        assert 'loading="lazy"' in second and "fetchpriority" not in second


def test_under_the_home_pages_lead_every_card_picture_loads_lazily(client, article, make_article):
    with_hero(make_article(title="An older story", published_at=timezone.now() - timedelta(1)))
    with_hero(make_article(title="The oldest story", published_at=timezone.now() - timedelta(2)))
    with_hero(article)

    html = client.get("/").content.decode()

    assert html.count('fetchpriority="high"') == 1 and 'class="lead-image"' in html
    cards = _card_images(html)
    assert len(cards) == 2 and all('loading="lazy"' in card for card in cards)


def test_rail_headlines_are_links_inside_headings(client, article, make_article, add_related):
    related = make_article(title="The related story")
    add_related(article, related)
    newest = make_article(title="The newest story")  # "Latest" leaves out what Related shows

    html = client.get(article.get_absolute_url()).content.decode()

    for heading_id, other in (("latest-heading", newest), ("related-heading", related)):
        link = f'<a href="{other.get_absolute_url()}">{other.title}</a>'
        rail = _between(html, f'id="{heading_id}"', "</section>")
        assert f'<h3 class="rail-headline">{link}</h3>' in rail


def test_the_site_header_is_the_pages_banner_and_the_share_heading_is_short(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count('role="banner"') == 1
    assert '<header class="site-header" role="banner">' in html
    assert '<h2 id="share-heading" class="share-heading">Share this article</h2>' in html


def test_without_javascript_the_reply_form_is_drawn_under_the_comment_it_answers(
    client, article, approved_comment, make_comment
):
    later = make_comment(article, name="Later Reader", status="approved")

    html = client.get(
        f"{article.get_absolute_url()}?reply-to={approved_comment.pk}"
    ).content.decode()

    thread = _between(html, f'id="comment-{approved_comment.pk}"', f'id="comment-{later.pk}"')
    assert 'id="comment-form"' in thread and "Reply to Early Bird" in strip_tags(thread)
    assert html.count('id="comment-form"') == 1
    assert f'name="parent" value="{approved_comment.pk}"' in thread


def test_a_reply_link_on_a_later_comments_page_keeps_that_page(
    client, article, make_comment, settings
):
    settings.COMMENTS_PER_PAGE = 1
    make_comment(article, name="First", status="approved")
    second = make_comment(article, name="Second", status="approved")
    article.approved_comment_count = 2
    article.save()

    html = client.get(f"{article.get_absolute_url()}?comments-page=2").content.decode()

    path = article.get_absolute_url()
    assert f'href="{path}?comments-page=2&amp;reply-to={second.pk}#comment-form"' in html


def test_a_reply_with_a_mistake_comes_back_under_the_comment_with_its_text_kept(
    client, article, approved_comment, make_comment, comment_form_data
):
    later = make_comment(article, name="Later Reader", status="approved")
    data = comment_form_data(article, parent=approved_comment.pk, email="not an address")
    data["body"] = "Answering the early bird."

    response = client.post(reverse("comments:post", args=[article.pk]), data)

    html = response.content.decode()
    thread = _between(html, f'id="comment-{approved_comment.pk}"', f'id="comment-{later.pk}"')
    assert 'id="comment-form"' in thread and "Answering the early bird." in thread
    assert html.count('id="comment-form"') == 1
