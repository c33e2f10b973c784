import logging
import mimetypes
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    Stylesheet,
    get_tag_uri,
)
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from articles.images import fallback_rendition
from articles.models import Article, Section
from articles.pages import absolute
from newsportal.caching import also_keyed, listed_key, mark_shared
from newsportal.methods import read_only
from newsportal.text import xml_safe

logger = logging.getLogger(__name__)
FEED_SIZE = 30


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (list, tuple)):  # categories
        return [_xml_safe(v) for v in value]
    return value


class XmlSafeFeedMixin:
    """Every text of the feed and its items made one XML can carry. The models refuse control
    characters, but a row saved before they did (or written around them) would otherwise make
    the feed a 500 (Django refuses to write them) for every reader until it is edited."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: _xml_safe(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _xml_safe(value) for key, value in self.items[-1].items()}


def quiet_since() -> datetime:
    """What a feed without stories (a new or quiet section) dates itself by: the newest change
    readers could see on the site, or, with nothing published yet, when the site was set up
    (its articles' tables made). Both feeds must give a date (Atom's updated is required), and
    not the time of each request (Django's default), which told feed readers it had changed
    at every poll and gave every response a new ETag; 1 January 1970 read as a broken feed."""
    newest = Article.objects.published().aggregate(newest=Max("updated_at"))["newest"]
    if newest is not None:
        return newest
    set_up = MigrationRecorder(connection).migration_qs.filter(app="articles", name="0001_initial")
    return set_up.values_list("applied", flat=True).first() or datetime(2000, 1, 1, tzinfo=UTC)


class StableDateMixin:
    """A feed's date (RSS lastBuildDate, Atom updated) is its newest story's; an empty one's is
    quiet_since()'s, asked only then."""

    def latest_post_date(self):
        return super().latest_post_date() if self.items else quiet_since()


DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
# Served as XML, not as application/rss+xml or atom+xml: Chromium shows those as plain text and
# Firefox downloads them, so a reader who opens a feed never got its stylesheet's page. Feed
# readers read the document, whatever its type (many feeds are application/xml), and the pages
# still announce the feeds by their own types (<link rel="alternate">).
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"


class XmlSafeRssFeed(XmlSafeFeedMixin, StableDateMixin, Rss201rev2Feed):
    content_type = FEED_CONTENT_TYPE

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS's own <author> is an e-mail address: Dublin Core's creator, once per byline.
        for name, _ in item["bylines"]:
            handler.addQuickElement("dc:creator", name)


class XmlSafeAtomFeed(XmlSafeFeedMixin, StableDateMixin, Atom1Feed):
    content_type = FEED_CONTENT_TYPE

    def write(self, outfile, encoding):
        # Django (5.2) names the feed's stylesheets in RSS only: Atom's, opened in a browser,
        # is drawn as the same page, the instruction placed where RSS has it (before the root).
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # Django's Feed gives an entry one author; a story written together has several.
        for name, uri in item["bylines"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", uri)
            handler.endElement("author")


class LatestArticlesFeed(Feed):
    feed_type = XmlSafeRssFeed
    description = "The latest articles."
    # As the pages' lang and the news sitemap say it (Django would write LANGUAGE_CODE, en-us).
    language = "en"

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return "/"

    def stylesheets(self):
        # Opened in a browser, a feed is a page saying what it is and how to follow it, not raw
        # XML; feed readers ignore the instruction. Same origin (XSLT is refused across
        # origins; stylesheet below); text/xsl is the type browsers look for.
        return [Stylesheet(reverse("articles:feed-stylesheet"), mimetype="text/xsl")]

    def items(self):
        return Article.objects.for_listing()[:FEED_SIZE]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The keys of the stories it lists, read from the items drawn (item_extra_kwargs): a
        # takedown, or an edit of a story's words, purges the feed for good.
        also_keyed(request, *(listed_key(item["article_id"]) for item in feed.items))
        return feed

    def author_name(self):
        # Atom's entries need an author: one without a byline is the site's.
        return settings.SITE_NAME

    def item_extra_kwargs(self, item):
        return {
            "article_id": item.pk,  # kept on the item only: the feed writers ignore it
            # Each author's name and page, written by the feed classes above (item_author_name
            # gives Django one author per story).
            "bylines": [(a.name, absolute(a.get_absolute_url())) for a in item.authors.all()],
        }

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Both feeds carry the description as HTML: the lead is plain text, so "the <blink>
        # tag" must not reach feed readers as a tag, nor "R&amp;D" as "R&D".
        return escape(item.standfirst)

    # What feed readers know a story by: not its address, which a corrected headline's new
    # slug changes (readers would be shown the story again as a new one).
    item_guid_is_permalink = False

    def item_guid(self, item):
        first = item.first_published_at or item.published_at
        return get_tag_uri(f"{settings.SITE_URL}/articles/{item.pk}", first)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.section.name]

    def item_enclosures(self, item):
        # The picture social cards share: never the upload, which no public page names.
        name, length = shared_picture(item)
        if not name:
            return []
        if length is None:
            try:  # a picture cropped before crops kept their size
                length = default_storage.size(name)
            except Exception as exc:  # gone from storage, or the storage away: no picture
                logger.warning("feed enclosure left out: %s", type(exc).__name__)
                return []
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return [Enclosure(absolute(default_storage.url(name)), str(length), kind)]


def shared_picture(article) -> tuple[str, int | None]:
    """The stored name of the hero's 16:9 crop (Open Graph's image) and its size in bytes, or
    for a picture saved before crops were made the rendition Open Graph shares then (up to the
    crops' width: images.fallback_rendition); ("", None) without a picture. The size is None
    where it was not kept."""
    crops = article.hero_crop_images
    if crops:
        return crops[0]["name"], crops[0].get("bytes")
    name = fallback_rendition(article.hero_renditions)
    return (name, None) if name else ("", None)


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # Followed in readers' apps: its address before the section's slug changed leads
            # on to it (articles.listing_services), for good.
            old = Section.objects.filter(old_slugs__slug=kwargs["slug"])
            moved = old.values_list("slug", flat=True).first()
            if moved is None:
                raise
            view_name = request.resolver_match.view_name
            return redirect(reverse(view_name, args=[moved]), permanent=True)

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return f"{settings.SITE_NAME}: {section.name}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return section.description or f"The latest articles in {section.name}."

    def items(self, section):
        return Article.objects.for_listing().filter(section=section)[:FEED_SIZE]


class SectionAtomFeed(SectionFeed):
    feed_type = XmlSafeAtomFeed

    def subtitle(self, section):
        return self.description(section)


@read_only
def stylesheet(request):
    """The XSLT the feeds name (templates/articles/feed.xsl.xml), drawn by Django so it names
    its CSS by the hashed name (fresh with each release, kept for good) where a static file
    could only name it unhashed (kept a day). Shared, and revalidated by browsers (a 304)."""
    xslt = render_to_string("articles/feed.xsl.xml")
    return mark_shared(request, HttpResponse(xslt, content_type=FEED_CONTENT_TYPE))
