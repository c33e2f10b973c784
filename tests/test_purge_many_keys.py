"""A purge naming many stories at once: a moderator's delete (or an erase) across 700 stories
purges 700 article keys, over 8 KB of them. They went in one xkey-purge header, past the 8 KB
Varnish takes in one (http_req_hdr_len): Varnish refused the request, nothing it named was
purged, and readers saw the old pages until they expired (the worker's repeats were refused
too). The keys now go over several requests, each header well under the limit."""

from comments.deletion import delete_comments
from comments.models import Comment
from tests.purge_helpers import VARNISH_HEADER_LIMIT
from tests.test_privacy_erase_many import REGULAR, _one_approved_comment_on_each, _stories_like
from tests.test_proxy_fake_origin import proxy_before_fake_origin

STORIES = 700


def _stories(article) -> list[int]:
    """STORIES stories, one approved comment on each."""
    return _one_approved_comment_on_each(_stories_like(article, STORIES))


def _delete_across_them(on_commit) -> None:
    """A moderator's delete of those comments, committed (its purge sent)."""
    with on_commit(execute=True):
        assert delete_comments(Comment.objects.filter(email=REGULAR)) == STORIES


def test_every_storys_key_reaches_the_front_cache_in_headers_it_takes(
    article, purges, django_capture_on_commit_callbacks
):
    stories = _stories(article)

    _delete_across_them(django_capture_on_commit_callbacks)

    assert set().union(*purges) == {*(f"article-{pk}" for pk in stories), "list"}
    assert len(purges) > 1
    sizes = [len(f"xkey-purge: {' '.join(keys)}") for keys in purges]
    assert max(sizes) <= VARNISH_HEADER_LIMIT // 2  # well under it


def test_varnish_purges_the_last_of_700_stories_named_at_once(
    article, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Against the real Varnish, as serve.py configures it: the page of the story named last
    (its key at the end of the last request) is fetched again after the delete."""
    stories = _stories(article)
    with proxy_before_fake_origin(monkeypatch, {}) as (proxy, origin):
        settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{proxy.purge_port}/"]
        origin.surrogate_key = f"site article-{max(stories)}"
        assert [proxy.get("/page").header("X-Cache") for _ in "12"] == ["MISS", "HIT"]

        _delete_across_them(django_capture_on_commit_callbacks)

        assert proxy.get("/page").header("X-Cache") == "MISS"  # before: HIT, the old page
        assert origin.requests == 2
