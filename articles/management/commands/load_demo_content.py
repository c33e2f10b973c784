import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import demo_content
from articles.breaking_services import put_up_breaking_news
from articles.listing_services import save_listing_entries
from articles.models import (
    Article,
    Author,
    BreakingNews,
    Correction,
    LiveUpdate,
    RelatedLink,
    Section,
    Tag,
)
from articles.picture_services import refresh_hero_renditions
from articles.rendering import render_markdown
from articles.search import plain_text
from articles.services import purge_articles, set_bylines

# Illustrations made for the demo (no text on them, no one else's photographs).
PICTURES = Path(demo_content.__file__).with_name("demo_pictures")


class Command(BaseCommand):
    help = "Load the demo sections, authors and articles (safe to run again) and a staff login."

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="Skip hero images.")
        parser.add_argument("--no-user", action="store_true", help="Do not create a login.")

    @transaction.atomic
    def handle(self, *args, **options):
        specs = demo_content.ARTICLES
        # What is already there is left as it is: a second run changes nothing (no "Updated"
        # stamp), and what an editor changed in the admin (a story, a section's name or place
        # in the menu, a byline) stays. Only what is missing is made.
        articles = _by_slug(Article, [spec["slug"] for spec in specs])
        new_specs = [spec for spec in specs if spec["slug"] not in articles]
        created_now = {spec["slug"] for spec in new_specs}
        sections, new_sections = _found_or_new(Section, demo_content.SECTIONS)
        authors, new_authors = _found_or_new(Author, demo_content.AUTHORS)
        tags, new_tags = _found_or_new(
            Tag, {slugify(name): {"name": name} for spec in new_specs for name in spec["tags"]}
        )
        save_listing_entries(objs=[*new_sections, *new_authors, *new_tags])
        now = timezone.now()
        for index, spec in enumerate(specs):
            if spec["slug"] not in created_now:
                continue
            published_at = now - timedelta(hours=3 * index + 2)
            article = articles[spec["slug"]] = Article.objects.create(
                slug=spec["slug"],
                title=spec["title"],
                standfirst=spec["standfirst"],
                body=spec["body"],
                body_html=(body_html := render_markdown(spec["body"])),
                body_text=plain_text(body_html),
                section=sections[spec["section"]],
                status=Article.Status.PUBLISHED,
                # The lead is the newest (out for two hours, time for readers to comment:
                # load_demo_comments); the rest step back a few hours each.
                published_at=published_at,
                first_published_at=published_at,
                updated_at=published_at,  # written as it went out, not edited since
                hero_credit="Newsportal graphics (illustration)",
                readers_question=spec.get("readers_question", ""),
                readers_question_set_at=published_at if spec.get("readers_question") else None,
            )
            # In the order the demo names them, as an editor sets a byline (lead reporter first).
            set_bylines(article=article, authors=[authors[slug] for slug in spec["authors"]])
            article.tags.set([tags[slugify(name)] for name in spec["tags"]])
            # Told an hour after it went out, as a newsroom corrects a story readers flagged.
            for text in spec.get("corrections", []):
                told = Correction.objects.create(
                    article=article, text=text, published_at=published_at + timedelta(hours=1)
                )
                article.updated_at = article.corrected_at = told.published_at
                Article.objects.filter(pk=article.pk).update(
                    updated_at=told.published_at, corrected_at=told.published_at
                )
            _followed_live(article, spec.get("live_updates", []))
            if not options["no_images"]:
                article.hero_alt = spec["picture"]["alt"]
                with (PICTURES / spec["picture"]["file"]).open("rb") as picture:
                    article.hero_image.save(f"{article.slug}.jpg", File(picture), save=True)
                refresh_hero_renditions(article=article)

        for spec in new_specs:  # once every story they may link to is there
            for order, link in enumerate(spec.get("related", [])):
                RelatedLink.objects.create(
                    article=articles[spec["slug"]],
                    order=order,
                    in_body_after_paragraph=link.get("after_paragraph"),
                    target_article=articles[link["article"]] if "article" in link else None,
                    title=link.get("title", ""),
                    url=link.get("url", ""),
                )
        if new_specs:
            # The new stories on every list, their pages and the fallbacks beside others' stories.
            purge_articles(
                article_ids=[articles[spec["slug"]].pk for spec in new_specs],
                section_ids={sections[spec["section"]].pk for spec in new_specs},
                tag_ids={tags[slugify(name)].pk for spec in new_specs for name in spec["tags"]},
            )
        if not BreakingNews.objects.exists():  # once: an editor may have ended it since
            _put_up_strip(articles)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Demo content ready: {len(articles)} articles."))
        if not options["no_user"]:
            self._staff_login(options["verbosity"])

    def _staff_login(self, verbosity):
        username = os.environ.get("DEMO_ADMIN_USER") or "editor"
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = True
        user.is_superuser = True
        # A new password would sign the editor out of every open session: set it only when it
        # changed (with .env, `make run` passes the same one every time).
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        if verbosity:
            self.stdout.write(
                self.style.WARNING(
                    f"Staff login for /admin/: user {username!r}, password {password!r}"
                )
            )


def _followed_live(article, updates: list[dict]) -> None:
    """The story's live coverage, dated after it went out (live_services.post_update dates an
    update now): written as the demo was, so the story reads as followed through the day."""
    for update in updates:
        posted_at = article.published_at + timedelta(minutes=update["minutes"])
        LiveUpdate.objects.create(
            article=article,
            headline=update.get("headline", ""),
            text=update["text"],
            text_html=render_markdown(update["text"]),
            key_event=update.get("key_event", False),
            posted_at=posted_at,
        )
        article.live_since = article.live_since or posted_at
        article.updated_at = posted_at
    if updates:
        Article.objects.filter(pk=article.pk).update(
            live_since=article.live_since, updated_at=article.updated_at
        )


def _put_up_strip(articles) -> None:
    spec = demo_content.BREAKING_NEWS
    banner = BreakingNews(
        label=spec["label"],
        text=spec["text"],
        article=articles[spec["article"]],
        ends_at=timezone.now() + timedelta(hours=spec["hours"]),
    )
    put_up_breaking_news(banner=banner)


def _found_or_new(model, fields_by_slug):
    """The rows with these slugs, by slug: those already there as they are, the missing ones
    made from these fields (not saved yet: they are returned apart too, for the caller to
    create through services.py)."""
    found = _by_slug(model, list(fields_by_slug))
    new = [
        model(slug=slug, **fields) for slug, fields in fields_by_slug.items() if slug not in found
    ]
    return {**found, **{obj.slug: obj for obj in new}}, new


def _by_slug(model, slugs: list[str]) -> dict:
    """The rows with these slugs, by slug, and those renamed since (an editor corrected a
    headline): found by their old address. Not found, a second run made the page again under
    it, taking the links that lead to the renamed one (or was refused for it: Article's and the
    listing entries' validation)."""
    found = model.objects.in_bulk(slugs, field_name="slug")
    relation = model.old_slugs.field
    renamed = relation.model.objects.filter(slug__in=slugs).select_related(relation.name)
    return {old.slug: getattr(old, relation.name) for old in renamed} | found
