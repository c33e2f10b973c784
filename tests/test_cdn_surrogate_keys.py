"""Behind a CDN: each shared page names its purge keys in the header the CDN reads
(EDGE_SURROGATE_KEY_HEADER: Fastly's Surrogate-Key, Cloudflare's Cache-Tag, Akamai's
Edge-Cache-Tag), the same keys our Varnish reads, so the CDN can be purged by them; personal
answers carry none. A value that is none of those stops start-up, naming the variable."""

import pytest

from articles.breaking_services import put_up_breaking_news
from articles.correction_services import append_correction
from articles.models import Article, BreakingNews
from newsportal.middleware import fewer_keys
from tests.test_settings_deploy import manage, production_env


def keys(response, header="Surrogate-Key", separator=" "):
    return response[header].split(separator) if response.has_header(header) else []


@pytest.mark.django_db
def test_cloudflare_reads_a_shared_page_s_keys_from_cache_tag_comma_separated(
    client, settings, article
):
    settings.EDGE_SURROGATE_KEY_HEADER = "Cache-Tag"

    page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    assert f"article-{article.pk}" in keys(page)
    assert keys(page, "Cache-Tag", ",") == keys(page)
    # A CDN revalidating its copy keeps the keys on the 304.
    again = client.get(article.get_absolute_url(), headers={"If-None-Match": page["ETag"]})
    assert again.status_code == 304
    assert keys(again, "Cache-Tag", ",") == keys(page)


@pytest.mark.django_db
def test_a_personal_answer_carries_no_keys_for_the_cdn(client, settings, article, admin_user):
    settings.EDGE_SURROGATE_KEY_HEADER = "Cache-Tag"
    client.force_login(admin_user)

    page = client.get(article.get_absolute_url())

    assert page.status_code == 200
    assert "private" in page["Cache-Control"]
    assert not page.has_header("Cache-Tag")
    assert not page.has_header("Surrogate-Key")


@pytest.mark.django_db
def test_without_a_cdn_header_the_keys_are_in_surrogate_key_alone(client, settings, article):
    settings.EDGE_SURROGATE_KEY_HEADER = ""

    page = client.get(article.get_absolute_url())

    assert f"article-{article.pk}" in keys(page)
    assert not page.has_header("Cache-Tag")
    assert not page.has_header("Edge-Cache-Tag")


@pytest.mark.parametrize("value", ["cache-tag", "Surrogate-Key", "EDGE-CACHE-TAG", ""])
def test_each_cdn_header_starts_in_any_case(value):
    result = manage("check", env=production_env(EDGE_SURROGATE_KEY_HEADER=value))

    assert result.returncode == 0, result.stderr


def test_a_header_no_cdn_reads_stops_start_up_naming_the_variable():
    result = manage("check", env=production_env(EDGE_SURROGATE_KEY_HEADER="X-Purge-Keys"))

    assert result.returncode != 0
    assert (
        "EDGE_SURROGATE_KEY_HEADER must be one of Surrogate-Key, Cache-Tag, Edge-Cache-Tag "
        "(the header your CDN reads purge keys from), or empty, not 'X-Purge-Keys'"
    ) in result.stderr


@pytest.fixture
def story_naming_many(make_article, add_related):
    """A story whose related links name 80 others: two keys each, over Akamai's 128 tags."""
    story = make_article(title="Everything about ferries", slug="ferries")
    for order in range(80):
        add_related(story, make_article(), order=order)
    return story


@pytest.mark.django_db
def test_akamai_gets_the_list_level_key_for_stories_past_its_128_tags(
    client, settings, story_naming_many, make_article
):
    # Akamai keeps the first 128 tags and ignores the rest: a related story taken down and
    # purged by its keys (README, "Behind a CDN") would have stayed on this page.
    settings.EDGE_SURROGATE_KEY_HEADER = "Edge-Cache-Tag"

    page = client.get(story_naming_many.get_absolute_url())

    tags = keys(page, "Edge-Cache-Tag", ",")
    assert len(keys(page)) > 128  # our Varnish still gets every key
    assert len(tags) <= 128
    assert "listed-all" in tags  # purged with every story's listed key
    assert f"article-{story_naming_many.pk}" in tags
    assert "latest" in tags and "site" in tags
    assert not [tag for tag in tags if tag.startswith("listed-") and tag != "listed-all"]
    # Under the limit nothing changes.
    short = client.get(make_article().get_absolute_url())
    assert keys(short, "Edge-Cache-Tag", ",") == keys(short)


@pytest.mark.django_db
@pytest.mark.parametrize("leads_to", ["the story", "a related story"])
def test_akamai_keeps_the_page_s_own_keys_past_its_128_tags(
    client, settings, story_naming_many, purges, django_capture_on_commit_callbacks, leads_to
):
    # A correction (or a comment approved) purges the story's article-<id> and the lists, not
    # listed-all: folded into it, the story's own page at the CDN would never be purged by them.
    settings.EDGE_SURROGATE_KEY_HEADER = "Edge-Cache-Tag"
    related = story_naming_many.related_links.first().target_article
    story = story_naming_many if leads_to == "the story" else related
    with django_capture_on_commit_callbacks(execute=True):
        banner = put_up_breaking_news(banner=BreakingNews(text="Ferries stop", article=story))

    tags = keys(client.get(story_naming_many.get_absolute_url()), "Edge-Cache-Tag", ",")
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        append_correction(article=story_naming_many, text="The ferry leaves at nine.")

    assert len(tags) <= 128 and "listed-all" in tags
    assert f"article-{story_naming_many.pk}" in tags
    assert any(f"article-{story_naming_many.pk}" in purged for purged in purges)
    # The strip's own key where the page shows it (not on the page of the story it leads to).
    assert (f"breaking-{banner.pk}" in tags) is (leads_to == "a related story")
    assert f"article-{related.pk}" not in tags


def test_only_the_keys_of_stories_a_page_said_it_shows_are_folded():
    # A page naming its own story by its listed key too (as the strip's marks did on the
    # story's own page) keeps its article-<id>; so does a page that said nothing of the others.
    page = ["site", "article-1", "latest", "listed-1", "breaking-7", "section-3"]
    others = [key for pk in range(2, 70) for key in (f"article-{pk}", f"listed-{pk}")]

    unsaid = fewer_keys([*page, *others], 128, None)
    assert "article-1" in unsaid and "article-2" in unsaid and "listed-2" not in unsaid
    folded = fewer_keys([*page, *others], 128, None, shown=range(2, 70))
    assert folded == ["site", "article-1", "latest", "listed-all", "breaking-7", "section-3"]


@pytest.mark.django_db
def test_every_purge_of_a_listed_key_purges_the_key_that_stands_for_it(article, monkeypatch):
    # Its words drawn again (render_body_again) purge the search pages that quote them by
    # listed-<id>: listed-all too, which such a page carries at a CDN in its stead.
    from articles import purges, services

    purged = []
    monkeypatch.setattr(services, "purge", lambda *keys: purged.append(keys))
    Article.objects.filter(pk=article.pk).update(body_text="Words drawn by an older renderer.")

    assert services.render_body_again(article_id=article.pk)
    assert f"listed-{article.pk}" in purged[0] and "listed-all" in purged[0]
    assert "listed-all" in purges.article_keys(article_ids=[article.pk], for_good=True)


@pytest.mark.django_db
def test_cloudflare_gets_every_key_well_under_its_16_kb(client, settings, story_naming_many):
    settings.EDGE_SURROGATE_KEY_HEADER = "Cache-Tag"

    page = client.get(story_naming_many.get_absolute_url())

    assert keys(page, "Cache-Tag", ",") == keys(page)
