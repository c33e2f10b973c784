"""The newsroom's stories (article), the names they are listed under (listing), the
corrections appended to them (correction), their live coverage (live) and the breaking-news
strip (breaking)."""

from articles.models.article import (
    OWN_CREDIT_WORD,
    UPDATE_GRACE,
    Article,
    Byline,
    OldSlug,
    RelatedLink,
)
from articles.models.breaking import BreakingNews
from articles.models.correction import Correction
from articles.models.listing import (
    BYLINE_KEPT,
    Author,
    ListingEntry,
    OldAuthorSlug,
    OldEntrySlug,
    OldSectionSlug,
    OldTagSlug,
    Section,
    Tag,
)
from articles.models.live import LiveUpdate

__all__ = [
    "BYLINE_KEPT",
    "OWN_CREDIT_WORD",
    "UPDATE_GRACE",
    "Article",
    "Author",
    "BreakingNews",
    "Byline",
    "Correction",
    "ListingEntry",
    "LiveUpdate",
    "OldAuthorSlug",
    "OldEntrySlug",
    "OldSectionSlug",
    "OldSlug",
    "OldTagSlug",
    "RelatedLink",
    "Section",
    "Tag",
]
