"""A live coverage's addresses through the real front proxy (tests/proxy_stack.py): an update's
own address is a redirect the proxy never stores (the next update may move it to another page)
and reads no query; a story never followed live has no earlier pages, only the shared 404."""

import re

from tests.proxy_stack import warm


def _stories(stack, *, live: bool) -> list[str]:
    return [
        story for story in stack.articles if ('id="live-updates"' in stack.get(story).text) == live
    ]


def test_an_updates_own_address_is_a_redirect_the_proxy_never_keeps(stack):
    story = _stories(stack, live=True)[0]
    at = re.search(r'class="live-update-time" id="[^"]+" href="([^"]+)"', stack.get(story).text)[1]
    pk = re.search(r"/updates/at/(\d+)/$", at)[1]

    first, again = stack.get(at), stack.get(at)
    tagged = stack.get(f"{at}?utm_source=x&page=3")

    for response in (first, again, tagged):
        assert response.status == 302
        assert response.header("Location") == f"{story}#update-{pk}"
        # Asked of Django each time, and kept by no browser or cache beyond.
        assert response.header("X-Cache") in ("MISS", "PASS")
        assert "no-store" in response.header("Cache-Control")


def test_a_story_never_followed_live_has_no_earlier_pages(stack):
    story = _stories(stack, live=False)[0]

    for number in (2, 999999999):
        kept = warm(stack, f"{story}updates/{number}/")
        assert kept.status == 404
        assert "earlier updates" not in kept.text
