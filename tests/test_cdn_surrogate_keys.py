"""Behind a CDN: each shared page names its purge keys in the header the CDN reads
(EDGE_SURROGATE_KEY_HEADER: Fastly's Surrogate-Key, Cloudflare's Cache-Tag, Akamai's
Edge-Cache-Tag), the same keys our Varnish reads, so the CDN can be purged by them; personal
answers carry none. A value that is none of those stops start-up, naming the variable."""

import pytest

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
