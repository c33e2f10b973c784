"""A live coverage's addresses through the real front proxy (tests/proxy_stack.py): an update's
own address is a redirect the proxy keeps under the story's key, so the readers of a shared link
never reach Django, until a write moves the update (newer updates push it to an earlier page,
its deletion) and purges it; it reads no query. A story never followed live has no earlier
pages, only the shared 404; a HEAD (js/live.js asks an update's address so) is answered as a
GET, without the body, for a reader from the cache and for a signed-in editor from Django."""

import pytest

from tests.page_forms import scrape_form
from tests.proxy_stack import ADMIN_PASSWORD, request_id, warm


def _stories(stack, *, live: bool) -> list[str]:
    return [
        story for story in stack.articles if ('id="live-updates"' in stack.get(story).text) == live
    ]


def _shell(stack, story: str, code: str) -> str:
    """Code run in a shell of the stack's, with the live story as `story`: writes go through
    the services, which purge the proxy's copies."""
    slug = story.strip("/").rsplit("/", 1)[-1]
    return stack.manage(
        "shell",
        "-c",
        "from articles.live_pages import LIVE_UPDATES_PER_PAGE\n"
        "from articles.live_services import delete_updates, post_update\n"
        "from articles.models import Article, LiveUpdate\n"
        f"story = Article.objects.get(slug={slug!r})\n" + code,
    )


def _just_in(stack, story: str) -> int:
    """A new update posted to the story (the newest: on the story's own page); its id."""
    return int(_shell(stack, story, "print(post_update(article=story, text='Just in.').pk)"))


def _read(stack, path, method="GET"):
    """The proxy's answer, and the request's id (gunicorn's access log names it when it came)."""
    rid = request_id()
    return stack.fetch(method, path, headers={"X-Request-ID": rid}), rid


NEWER_PAGE = "for n in range(LIVE_UPDATES_PER_PAGE):\n    post_update(article=story, text=f'{n}.')"


def test_an_updates_own_address_is_kept_until_newer_updates_move_it(stack):
    story = _stories(stack, live=True)[0]
    pk = _just_in(stack, story)
    at = f"{story}updates/at/{pk}/"

    (first, asked), (again, asked_again) = _read(stack, at), _read(stack, at)
    tagged, asked_tagged = _read(stack, f"{at}?utm_source=x&page=3")
    head, asked_head = _read(stack, at, "HEAD")

    for response in (first, again, tagged, head):
        assert response.status == 302
        assert response.header("Location") == f"{story}#update-{pk}"
        # Shared caches keep it; browsers ask again (the proxy answers them).
        assert response.header("Cache-Control").startswith("public, max-age=0, s-maxage=")
    assert stack.reached_gunicorn(asked)
    # A viral link's readers (the same link with a tracking tag, js/live.js's HEAD) never
    # reach Python.
    assert [r.header("X-Cache") for r in (again, tagged, head)] == ["HIT"] * 3
    for rid in (asked_again, asked_tagged, asked_head):
        assert stack.never_reached_gunicorn(rid)

    # A page's worth of newer updates pushes it to page 2: each post purged the story's key,
    # so the next reader is led there at once, and the answer kept again.
    _shell(stack, story, NEWER_PAGE)
    (moved, asked_moved), (kept, asked_kept) = _read(stack, at), _read(stack, at)

    earlier = f"{story}updates/2/"
    for response in (moved, kept):
        assert response.status == 302
        assert response.header("Location") == f"{earlier}#update-{pk}"
    assert stack.reached_gunicorn(asked_moved)
    assert stack.never_reached_gunicorn(asked_kept)
    assert kept.header("X-Cache") == "HIT"
    assert f'id="update-{pk}"' in stack.get(earlier).text


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_update_deleted_is_not_found_at_its_address_at_once(stack, method):
    story = _stories(stack, live=True)[0]
    pk = _just_in(stack, story)
    at = f"{story}updates/at/{pk}/"
    assert warm(stack, at).header("X-Cache") == "HIT"

    _shell(stack, story, f"delete_updates(queryset=LiveUpdate.objects.filter(pk={pk}))")
    gone, asked = _read(stack, at, method)

    assert gone.status == 404
    assert "Location" not in gone.headers
    assert stack.reached_gunicorn(asked)


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


# What a reader's HEAD and GET may tell apart: when and how each was answered (a personal
# answer's Expires is the moment Django drew it: a second may pass between the two), and how
# its body was framed (a HEAD has none; a GET's is unzipped from the stored copy as it is sent,
# chunked).
PER_REQUEST = {"Date", "Expires", "Age", "X-Cache", "X-Request-ID", "Connection"}
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
    # The update's address: to the earlier page.
    assert head_at.status == 302
    assert head_at.header("Location") == f"{earlier}#update-{oldest}"
    assert head_earlier.status == 200
    assert f'id="update-{oldest}"' in get_earlier.text
    if reader == "editor":  # their own, passed to Django each time, kept by no cache
        for response in (head_at, get_at, head_earlier, get_earlier):
            assert response.header("X-Cache") == "PASS"
            assert "private" in response.header("Cache-Control")
        return
    # Both shared: the HEAD filled the cache with the whole answer the GET then got.
    for head, got in ((head_at, get_at), (head_earlier, get_earlier)):
        assert head.header("Cache-Control").startswith("public")
        assert got.header("X-Cache") == "HIT"
    assert stack.fetch("HEAD", at).header("X-Cache") == "HIT"
    assert stack.fetch("HEAD", earlier).header("X-Cache") == "HIT"
