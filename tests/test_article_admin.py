"""Editors manage articles in the admin."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from tests.article_forms import change_form_data


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def test_article_list_shows_status_section_and_filters(editor_client, article, draft):
    from articles.models import Section

    Section.objects.create(name="Sport", slug="sport")
    html = editor_client.get("/admin/articles/article/").content.decode()

    assert article.title in html and draft.title in html
    assert 'data-filter-title="status"' in html
    assert 'data-filter-title="section"' in html
    # The editor's switch, not a promise: the policy may close comments by age as well.
    assert "Comments allowed" in html and "Comments open" not in html


def test_the_article_list_tells_a_scheduled_story_from_a_live_one(editor_client, make_article):
    make_article(title="Out now", published_at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    make_article(title="Coming", published_at=datetime(2099, 1, 1, 9, 0, tzinfo=UTC))
    make_article(title="Not yet written", status="draft")

    html = editor_client.get("/admin/articles/article/?o=1").content.decode()
    rows = {
        title: row
        for row in html.split("<tr")[1:]
        for title in ("Out now", "Coming", "Not yet written")
        if f">{title}<" in row
    }

    assert '<td class="field-state">Published</td>' in rows["Out now"]
    assert '<td class="field-state">Scheduled</td>' in rows["Coming"]
    assert '<td class="field-state">Draft</td>' in rows["Not yet written"]
    # Times as the comment lists write them (TIME_ZONE is the newsroom's).
    assert "1 Jan 2099, " in rows["Coming"] and "01 Jan" not in rows["Coming"]


@pytest.mark.parametrize(
    "choice, listed",
    [("draft", {"Not yet written"}), ("scheduled", {"Coming"}), ("live", {"Out now"})],
)
def test_the_article_list_filters_scheduled_stories_apart_from_live_ones(
    editor_client, make_article, choice, listed
):
    make_article(title="Out now", published_at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    make_article(title="Coming", published_at=datetime(2099, 1, 1, 9, 0, tzinfo=UTC))
    make_article(title="Not yet written", status="draft")

    everything = editor_client.get("/admin/articles/article/").content.decode()
    assert 'href="?state=scheduled"' in everything
    html = editor_client.get(f"/admin/articles/article/?state={choice}").content.decode()

    shown = {t for t in ("Out now", "Coming", "Not yet written") if f">{t}<" in html}
    assert shown == listed


def test_publish_and_unpublish_actions(editor_client, article, draft):
    url = "/admin/articles/article/"
    editor_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    editor_client.post(url, {"action": "unpublish", "_selected_action": [article.pk]})

    draft.refresh_from_db()
    article.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert article.status == Article.Status.DRAFT


def test_publishing_an_old_draft_dates_it_now_and_a_scheduled_one_keeps_its_time(
    editor_client, make_article
):
    from datetime import timedelta

    from django.utils import timezone

    old = make_article(status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(7))
    later = timezone.now() + timedelta(days=2)
    scheduled = make_article(status=Article.Status.DRAFT, published_at=later)

    answer = editor_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [old.pk, scheduled.pk]},
        follow=True,
    )
    again = editor_client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [scheduled.pk]},
        follow=True,
    )

    # The editor is told which went out and which waits for its time.
    said = [str(m) for m in answer.context["messages"]]
    assert said == [
        f"Published 1 article: “{old.title}”. Scheduled 1 article, dated later: "
        f"“{scheduled.title}”; each goes out at its publication time (the first at "
        f"{timezone.localtime(later):%-d %b %Y, %H:%M %Z})."
    ]
    assert "Nothing to publish" in " ".join(str(m) for m in again.context["messages"])
    old.refresh_from_db()
    scheduled.refresh_from_db()
    assert old.status == scheduled.status == Article.Status.PUBLISHED
    assert timezone.now() - old.published_at < timedelta(minutes=1)
    assert scheduled.published_at == later
    assert old.title in editor_client.get("/").content.decode()
    assert scheduled.title not in editor_client.get("/").content.decode()


def test_unpublishing_a_draft_says_nothing_was_unpublished(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)

    answer = editor_client.post(
        "/admin/articles/article/",
        {"action": "unpublish", "_selected_action": [draft.pk]},
        follow=True,
    )

    said = [(m.level_tag, str(m)) for m in answer.context["messages"]]
    assert said == [("info", "Nothing to unpublish: the selected articles were drafts already.")]


def test_saving_a_story_published_with_a_time_to_come_says_it_is_scheduled_and_when(
    editor_client, article
):
    from django.utils import timezone

    later = datetime(2099, 1, 1, 9, 0, tzinfo=UTC)
    data = change_form_data(article, published_at_0="2099-01-01", published_at_1="09:00:00")
    answer = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data, follow=True)
    now_out = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form_data(article), follow=True
    )

    said = " ".join(str(m) for m in answer.context["messages"])
    assert (
        f"Scheduled: “{article.title}” goes out at its publication time, "
        f"{timezone.localtime(later):%-d %b %Y, %H:%M %Z}." in said
    )
    assert "Scheduled" not in " ".join(str(m) for m in now_out.context["messages"])


def test_a_draft_given_a_time_to_come_is_told_it_will_not_go_out_then(editor_client, draft):
    # The time's help says a time to come schedules the story; as a draft it never goes out.
    from django.utils import timezone

    later = datetime(2099, 1, 1, 9, 0, tzinfo=UTC)
    data = change_form_data(
        draft, status="draft", published_at_0="2099-01-01", published_at_1="09:00:00"
    )
    answer = editor_client.post(f"/admin/articles/article/{draft.pk}/change/", data, follow=True)
    now = editor_client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        change_form_data(draft, status="draft", published_at_0="2020-01-01"),
        follow=True,
    )

    said = [(m.level_tag, str(m)) for m in answer.context["messages"]]
    assert (
        "warning",
        f"Not scheduled: “{draft.title}” is a draft, so it will not go out at its publication "
        f"time, {timezone.localtime(later):%-d %b %Y, %H:%M %Z}. To schedule it, set its "
        "status to Published and save.",
    ) in said
    assert "Not scheduled" not in " ".join(str(m) for m in now.context["messages"])
    assert "Scheduled" not in " ".join(str(m) for m in answer.context["messages"])


def test_change_page_has_related_links_inline_and_view_on_site(editor_client, article):
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "related_links-TOTAL_FORMS" in html
    assert "View on site" in html


def test_a_related_link_needs_exactly_one_target(editor_client, article, make_article):
    other = make_article()
    data = change_form_data(
        article,
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-order": "0",
            "related_links-0-target_article": other.pk,
            "related_links-0-url": "https://example.org/both",
            "related_links-0-title": "Both",
        },
    )

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    html = response.content.decode()
    # Said once, in the newsroom's words (not also as "Constraint … is violated").
    assert html.count("Choose either one of our articles or an external URL.") == 1
    assert "is violated" not in html
    assert not article.related_links.exists()


def test_readers_cannot_reach_the_admin(client, db):
    response = client.get("/admin/articles/article/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_saving_an_article_in_the_admin_updates_the_cached_page(
    editor_client, article, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.FRAGMENT_CACHE_SECONDS = 300
    Client().get(article.get_absolute_url())
    data = change_form_data(article, title="Headline fixed in the admin")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Headline fixed in the admin" in html


@pytest.fixture
def newsroom_editor(db):
    """Staff status ticked and in the Editors group, as README says to make an editor."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        "writer", "writer@example.com", "pw-writer-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_an_editor_logs_in_writes_previews_and_publishes_a_story(
    client, newsroom_editor, section, author
):
    login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "writer", "password": "pw-writer-123", "next": "/admin/"},
    )
    assert login.status_code == 302 and login["Location"] == "/admin/"
    assert client.get("/admin/articles/article/add/").status_code == 200

    written = client.post(
        "/admin/articles/article/add/",
        {
            "title": "Tram line opens",
            "slug": "tram-line-opens",
            "standfirst": "The first trams run on Monday.",
            "body": "The new line links the station with the harbour.",
            "section": section.pk,
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": author.pk,
            "status": "draft",
            "published_at_0": "2024-01-01",
            "published_at_1": "10:00:00",
            "comments_enabled": "on",
            "related_links-TOTAL_FORMS": "0",
            "related_links-INITIAL_FORMS": "0",
        },
    )
    assert written.status_code == 302, written.context["adminform"].form.errors
    story = Article.objects.get(slug="tram-line-opens")
    assert client.get(story.get_absolute_url()).status_code == 200  # the draft's preview

    client.post("/admin/articles/article/", {"action": "publish", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_public


def test_an_editor_can_neither_moderate_comments_nor_change_the_moderation_policy(
    client, newsroom_editor
):
    from django.contrib.auth.models import Group

    client.force_login(newsroom_editor)

    assert client.get("/admin/comments/comment/").status_code == 403
    assert client.get("/admin/comments/moderationpolicy/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert "/admin/comments/" not in client.get("/admin/").content.decode()
    apps = Group.objects.get(name="Editors").permissions.values_list(
        "content_type__app_label", flat=True
    )
    assert set(apps) == {"articles"}


def test_an_editor_edits_a_byline_without_the_user_lookup_they_may_not_open(
    client, newsroom_editor, author
):
    author.user = newsroom_editor
    author.save()
    client.force_login(newsroom_editor)
    page = f"/admin/articles/author/{author.pk}/change/"

    html = client.get(page).content.decode()
    saved = client.post(page, {"name": "Ann Byline", "slug": author.slug, "bio": ""})

    assert 'name="user"' not in html and "/admin/auth/user/" not in html
    assert client.get("/admin/auth/user/").status_code == 403  # where the lookup led
    assert saved.status_code == 302
    author.refresh_from_db()
    assert (author.name, author.user) == ("Ann Byline", newsroom_editor)


def test_an_editor_reads_the_bylines_without_the_accounts_behind_them(
    client, newsroom_editor, author
):
    author.user = get_user_model().objects.create_user("chief-login", is_staff=True)
    author.save()
    client.force_login(newsroom_editor)

    html = client.get("/admin/articles/author/").content.decode()

    assert author.name in html
    assert "chief-login" not in html


def test_a_superuser_still_links_a_byline_to_an_account(editor_client, author):
    html = editor_client.get(f"/admin/articles/author/{author.pk}/change/").content.decode()

    assert 'name="user"' in html


def test_text_pasted_from_a_word_processor_is_cleaned_or_refused_on_its_field(
    editor_client, article
):
    url = f"/admin/articles/article/{article.pk}/change/"

    # A soft return (Word's manual line break) or a forced line break (InDesign) reads as a
    # break: the one-line headline gets a space there, the lead its line break.
    saved = editor_client.post(
        url,
        change_form_data(
            article, title="Budget vote\x0bdelayed again", standfirst="The vote\u2028slips."
        ),
    )
    assert saved.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("Budget vote delayed again", "The vote\nslips.")

    # Anything else invisible is refused on its field, the editor's text kept to fix.
    refused = editor_client.post(
        url, change_form_data(article, title="Budget vote\x08 delayed", hero_credit="Jane\x1fDoe")
    )
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert form.errors["title"] == [
        "Remove the invisible control characters from this field (found: U+0008)."
    ]
    assert "U+001F" in form.errors["hero_credit"][0]
    assert form["title"].value() == "Budget vote\x08 delayed"
    article.refresh_from_db()
    assert article.title == "Budget vote delayed again"


def test_a_section_name_with_a_control_character_is_refused(editor_client, section):
    response = editor_client.post(
        f"/admin/articles/section/{section.pk}/change/",
        {"name": "Tech\x07nology", "slug": section.slug, "order": "1"},
    )

    assert response.status_code == 200
    assert "Remove the invisible control characters" in response.content.decode()
    section.refresh_from_db()
    assert section.name == "Technology"
