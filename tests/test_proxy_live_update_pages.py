"""A live coverage's addresses through the real front proxy (tests/proxy_stack.py): an update's
own address is a redirect the proxy never stores (the next update may move it to another page)
and reads no query; a story never followed live has no earlier pages, only the shared 404; a
HEAD (js/live.js asks an update's address so) is answered as a GET, without the body, for a
reader from the cache and for a signed-in editor from Django."""

import re

import pytest

from tests.page_forms import scrape_form
from tests.proxy_stack import ADMIN_PASSWORD, warm


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


def _long_coverage(stack) -> tuple[str, int, int]:
    """The live story, its coverage run over more than a page (updates posted through the
    service that purges the proxy's copies); its oldest update's id, and the page it is on."""
    story = _stories(stack, live=True)[0]
    out = stack.manage(
        "shell",
        "-c",
        "from articles.live_pages import LIVE_UPDATES_PER_PAGE, live_update_page\n"
        "from articles.live_services import post_update\n"
        "from articles.models import Article\n"
        f"story = Article.objects.get(slug={story.strip('/').rsplit('/', 1)[-1]!r})\n"
        "for n in range(LIVE_UPDATES_PER_PAGE + 1 - story.live_updates.count()):\n"
        "    post_update(article=story, text=f'Update {n} through the proxy.')\n"
        "oldest = story.live_updates.order_by('posted_at', 'pk').first().pk\n"
        "print(oldest, live_update_page(story, oldest))",
    )
    oldest, page = map(int, out.split())
    return story, oldest, page


# What a reader's HEAD and GET may tell apart: when and how each was answered, and how its body
# was framed (a HEAD has none; a GET's is unzipped from the stored copy as it is sent, chunked).
PER_REQUEST = {"Date", "Age", "X-Cache", "X-Request-ID", "Connection"}
FRAMING = {"Content-Length", "Transfer-Encoding"}


def _headers(response) -> dict[str, str]:
    told = PER_REQUEST | FRAMING
    return {name: value for name, value in response.headers.items() if name not in told}


def _signed_in(stack) -> dict[str, str]:
    """An editor's session cookie: their requests pass the cache to Django, a HEAD as a HEAD."""
    form = stack.get("/admin/login/")
    action, fields = scrape_form(form.text, "login-form")
    fields.update(username="editor", password=ADMIN_PASSWORD)
    cookies = {"csrftoken": form.cookies["csrftoken"]}
    signed_in = stack.post(action or "/admin/login/", fields, cookies=cookies)
    assert signed_in.status == 302, signed_in.text[:2000]
    return {"Cookie": f"sessionid={signed_in.cookies['sessionid']}"}


@pytest.mark.parametrize("reader", ["anonymous", "editor"])
def test_head_answers_as_get_does_without_a_body_on_a_coverages_addresses(stack, reader):
    story, oldest, page = _long_coverage(stack)
    at, earlier = f"{story}updates/at/{oldest}/", f"{story}updates/{page}/"
    # Neither kept yet: each HEAD is the first request (js/live.js asks an update's address so).
    stack.forget(at, earlier)
    cookie = _signed_in(stack) if reader == "editor" else {}

    head_at, get_at = stack.fetch("HEAD", at, headers=cookie), stack.get(at, headers=cookie)
    head_earlier = stack.fetch("HEAD", earlier, headers=cookie)
    get_earlier = stack.get(earlier, headers=cookie)

    for head, got in ((head_at, get_at), (head_earlier, get_earlier)):
        assert head.body == b""
        assert (head.status, _headers(head)) == (got.status, _headers(got))
    # The update's address: to the earlier page, asked of Django each time, kept by no cache.
    assert head_at.status == 302
    assert head_at.header("Location") == f"{earlier}#update-{oldest}"
    assert head_at.header("X-Cache") in ("MISS", "PASS")
    assert "no-store" in head_at.header("Cache-Control")
    assert head_earlier.status == 200
    assert f'id="update-{oldest}"' in get_earlier.text
    if reader == "editor":  # their own, passed to Django each time
        assert {head_earlier.header("X-Cache"), get_earlier.header("X-Cache")} == {"PASS"}
        assert "private" in head_earlier.header("Cache-Control")
        return
    # The earlier page, shared: the HEAD filled the cache with the whole page the GET then got.
    assert head_earlier.header("Cache-Control").startswith("public")
    assert get_earlier.header("X-Cache") == "HIT"
    assert stack.fetch("HEAD", earlier).header("X-Cache") == "HIT"
