import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageStat

from articles.demo_content import LEAD_SLUG
from articles.models import Article, Author, RelatedLink, Section
from comments.models import Comment


def test_demo_content_loads_twice_without_duplicates_or_changes(db, capsys):
    call_command("load_demo_content", "--no-user")

    def snapshot():
        return (
            sorted(Article.objects.values_list("pk", "slug", "updated_at", "published_at")),
            sorted(RelatedLink.objects.values_list("pk", "article_id", "target_article_id")),
            Section.objects.count(),
        )

    first = snapshot()
    call_command("load_demo_content", "--no-images", "--no-user")

    assert snapshot() == first
    assert Article.objects.published().count() >= 21
    assert Section.objects.count() >= 4
    lead = Article.objects.get(slug="xiaomi-electric-car-mass-production-2024")
    assert lead.related_links.filter(in_body_after_paragraph__isnull=False).exists()
    # Written as they went out: "Updated" only where the demo corrected a story, as a
    # correction does (articles.correction_services), the lead's an hour after it went out, or
    # followed it live, as an update does (articles.live_services), at its latest update.
    heat = Article.objects.get(slug="heatwave-record-summer")
    others = Article.objects.exclude(pk__in=[lead.pk, heat.pk])
    assert not any(article.was_updated for article in others)
    assert lead.was_updated and lead.corrections.count() == 1
    assert heat.is_live and heat.live_updates.count() == 5
    assert heat.updated_at == heat.live_updates.first().posted_at


def test_the_demo_stories_are_found_by_the_words_of_their_bodies(db, client):
    call_command("load_demo_content", "--no-images", "--no-user")
    lead = Article.objects.get(slug=LEAD_SLUG)
    elsewhere = f"{lead.title} {lead.standfirst}".lower()
    word = next(
        word
        for word in sorted(set(re.findall(r"[a-z]{9,}", lead.body_text.lower())))
        if word not in elsewhere and Article.objects.filter(body__icontains=word).count() == 1
    )

    html = client.get("/search/", {"q": word}).content.decode()

    assert f">{unescape(lead.title)}<" in unescape(html)


def test_demo_content_prints_a_generated_staff_login(db, capsys, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("load_demo_content", "--no-images")

    out = capsys.readouterr().out
    assert "Staff login for /admin/: user 'editor', password '" in out


def test_demo_login_keeps_its_password_and_the_editors_sessions_across_runs(
    db, capsys, monkeypatch
):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "same-every-run-42")
    call_command("load_demo_content", "--no-images")
    editor = get_user_model().objects.get(username="editor")
    session_hash = editor.get_session_auth_hash()

    call_command("load_demo_content", "--no-images")

    editor.refresh_from_db()
    assert editor.check_password("same-every-run-42")
    assert editor.is_staff and editor.is_superuser
    # Django signs a session with this hash: unchanged, the editor stays signed in.
    assert editor.get_session_auth_hash() == session_hash
    assert "password 'same-every-run-42'" in capsys.readouterr().out


def test_the_demo_reporter_s_reply_wears_the_newsroom_badge(db, client, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "same-every-run-42")
    call_command("load_demo_content", "--no-images")
    call_command("load_demo_comments", verbosity=0)

    html = client.get(f"/articles/{LEAD_SLUG}/").content.decode()

    assert html.count(">Newsroom</span>") == 1
    assert re.search(r">Marta Ribeiro</strong> <span class=\"comment-badge\"", html)


def test_demo_comments_fill_the_lead_article_and_the_moderation_queue(db, client):
    call_command("load_demo_content", "--no-images", "--no-user")
    call_command("load_demo_comments", verbosity=0)
    lead = Article.objects.get(slug=LEAD_SLUG)

    approved = Comment.objects.approved().filter(article=lead)
    assert approved.count() >= 12
    assert approved.filter(parent__isnull=False).count() >= 4
    assert lead.approved_comment_count == approved.count()
    pending = Comment.objects.pending().filter(article=lead)
    reasons = sorted(reason for comment in pending for reason in comment.held_because)
    assert reasons == [
        "2 links (held at 2 or more)",
        "first-time commenter",
        "moderation word “scam”",
    ]
    # Nobody wrote from the future, and replies come after what they answer.
    comments = Comment.objects.filter(article=lead)
    assert all(lead.published_at < c.created_at <= timezone.now() for c in comments)
    assert all(c.created_at > c.parent.created_at for c in comments.filter(parent__isnull=False))

    page = client.get(lead.get_absolute_url())
    reply = approved.filter(parent__isnull=False).first()
    assert f'id="comment-{reply.pk}"' in page.content.decode()
    assert pending.first().body not in page.content.decode()
    # The story asks its readers a question, above the conversation it started.
    question = "What do you make of a phone maker building its own car? Would you buy one?"
    assert lead.readers_question == question
    html = page.content.decode()
    assert html.index(question) < html.index(f'id="comment-{reply.pk}"')


def test_demo_comments_load_twice_without_changes(db, capsys):
    call_command("load_demo_content", "--no-images", "--no-user")
    call_command("load_demo_comments")

    def snapshot():
        return sorted(Comment.objects.values_list("pk", "status", "created_at", "parent_id"))

    first = snapshot()
    call_command("load_demo_comments")

    assert snapshot() == first
    assert "already there" in capsys.readouterr().out


def test_demo_heroes_are_described_scenes_not_gradient_boxes(db, client):
    call_command("load_demo_content", "--no-user", verbosity=0)

    articles = list(Article.objects.all())
    assert all(a.hero_renditions and a.hero_crops for a in articles)
    # Each story its own picture, and the alt text says what it shows; the caption does not
    # repeat the standfirst.
    assert len({a.hero_alt for a in articles}) == len(articles)
    technology = client.get("/section/technology/").content.decode()
    pictures = re.findall(r'<img class="(?:lead|card)-image"[^>]* alt="([^"]*)"', technology)
    assert len(pictures) >= 4 and len(set(pictures)) == len(pictures)
    assert not [a for a in articles if a.title in a.hero_alt or a.hero_caption == a.standfirst]
    lead = Article.objects.get(slug=LEAD_SLUG)
    with lead.hero_image.open("rb") as stored, Image.open(stored) as picture:
        # A scene changes across a row (a gradient box only changes down the picture).
        row = picture.convert("L").crop((0, 500, 1200, 501))
        assert ImageStat.Stat(row).stddev[0] > 10
        assert picture.size == (1200, 675)
    assert "road" in lead.hero_alt


def test_each_demo_story_is_written_in_its_own_words(db):
    call_command("load_demo_content", "--no-images", "--no-user", verbosity=0)

    seen = {}
    for article in Article.objects.all():
        # Every sentence belongs to one story.
        for sentence in re.split(r"(?<=[.!?])\s+", article.body):
            assert seen.setdefault(sentence.strip(), article.slug) == article.slug, sentence
    assert Article.objects.count() == 25 and len(seen) > 25 * 2


def test_no_demo_story_reads_its_standfirst_twice(db, client):
    # The standfirst is drawn under the headline; 24 of the 25 bodies opened with it again, so
    # a reader read the same sentence twice in a row on every story but the lead.
    call_command("load_demo_content", "--no-images", "--no-user", verbosity=0)

    twice = []
    for article in Article.objects.all():
        html = client.get(article.get_absolute_url()).content.decode()
        body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
        if article.standfirst in " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split()):
            twice.append(article.slug)
    assert not twice, f"the body repeats the standfirst on {twice}"


def load_demo_content():
    call_command("load_demo_content", no_images=True, no_user=True, verbosity=0)


def front_cache_purges(purges, capture, action) -> list[set[str]]:
    """The keys of each purge the front cache at FRONT_CACHE_PURGE_URLS receives for this
    action, once it commits."""
    received_before = len(purges)
    with capture(execute=True):
        action()
    return purges[received_before:]


def test_a_rerun_keeps_the_section_and_byline_an_editor_renamed(db, client):
    load_demo_content()
    Section.objects.filter(slug="technology").update(name="Tech and Gadgets", order=9)
    Author.objects.filter(slug="marta-ribeiro").update(name="Marta R. Ribeiro", bio="Edited.")

    load_demo_content()  # what `make run` does on every start

    technology = Section.objects.get(slug="technology")
    assert (technology.name, technology.order) == ("Tech and Gadgets", 9)
    marta = Author.objects.get(slug="marta-ribeiro")
    assert (marta.name, marta.bio) == ("Marta R. Ribeiro", "Edited.")
    page = client.get(Article.objects.get(slug=LEAD_SLUG).get_absolute_url()).content.decode()
    assert ">Tech and Gadgets</a>" in page and ">Technology</a>" not in page
    assert ">Marta R. Ribeiro</a>" in page and ">Marta Ribeiro</a>" not in page


def test_the_first_run_purges_the_menu_and_every_list_and_story_it_adds(
    db, purges, django_capture_on_commit_callbacks
):
    received = front_cache_purges(purges, django_capture_on_commit_callbacks, load_demo_content)

    keys = set().union(*received)
    assert {"site", "list", "latest"} <= keys
    assert {f"article-{pk}" for pk in Article.objects.values_list("pk", flat=True)} <= keys
    assert {f"section-{pk}" for pk in Section.objects.values_list("pk", flat=True)} <= keys
    assert any(key.startswith("tag-") for key in keys)


def test_a_rerun_purges_nothing_unless_it_brings_a_story_back(
    db, purges, django_capture_on_commit_callbacks
):
    # The first run is received by the front cache (so an empty list below means nothing was
    # sent, not that nothing could be seen).
    assert front_cache_purges(purges, django_capture_on_commit_callbacks, load_demo_content)

    assert front_cache_purges(purges, django_capture_on_commit_callbacks, load_demo_content) == []

    # An editor deleted a demo story: the next start writes it again, and only it is purged
    # (its section, byline and tags were there all along).
    Article.objects.filter(slug="phone-repair-law").delete()
    received = front_cache_purges(purges, django_capture_on_commit_callbacks, load_demo_content)

    back = Article.objects.get(slug="phone-repair-law")
    keys = set().union(*received)
    assert {f"article-{back.pk}", "list", "latest", f"section-{back.section_id}"} <= keys
    assert "site" not in keys


class TestDemoCommentsCommitted:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.parametrize("queue", ["database", "immediate"])
    def test_demo_comments_mail_nobody(
        self, transactional_db, django_db_serialized_rollback, mailoutbox, settings, queue
    ):
        # Committed for real, so mail to the moderators would be queued, or sent after commit.
        settings.TASKS = {
            "default": {
                "BACKEND": "django_tasks_db.DatabaseBackend"
                if queue == "database"
                else "django_tasks.backends.immediate.ImmediateBackend",
                "QUEUES": ["mail"],
            }
        }
        call_command("load_demo_content", "--no-images")
        call_command("load_demo_comments", verbosity=0)

        assert Comment.objects.pending().exists()
        assert mailoutbox == []
        assert not DBTaskResult.objects.exists()
