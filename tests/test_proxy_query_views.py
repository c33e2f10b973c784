"""The proxy's query allow-list (deploy/vcl/query.vcl.in) against what the views really read.

Varnish drops from a shared page's address every parameter not on its list for that path, so a
view that starts reading a new one (`?sort=`, `?view=`) would silently never see it behind the
proxy: every reader would get the page drawn without it. Here every public page is drawn through
Django with its query recorded (each key a view asks `request.GET` for, present or not), and
what each page read must be what the VCL lets through for its address; every public URL pattern
must be among the pages drawn, so a new page is held to it too."""

import re
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, resolve

QUERY_VCL = Path(__file__).resolve().parent.parent / "deploy" / "vcl" / "query.vcl.in"
# The first path segments the proxy always passes to Django with the query as sent (personal).
PASSED = ("admin/", "comments/")
# What the pages below read, by (path, key), filled by ReadRecorder.
READS: set[tuple[str, str]] = set()


class ReadRecorder(QueryDict):
    """request.GET that notes each key a view asks for (a copy notes its reads too), once
    filled (filling it asks whether each key is there already)."""

    recording = False

    def _note(self, key):
        if self.recording:
            READS.add((_current_path[0], key))

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.recording = self.recording
        return copy

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


_current_path = [""]


def record_reads(get_response):
    def middleware(request):
        _current_path[0] = request.path
        request.GET = ReadRecorder(request.META.get("QUERY_STRING", ""))
        request.GET.recording = True
        return get_response(request)

    return middleware


def allow_list() -> list[tuple[re.Pattern, set[str]]]:
    """(address pattern, parameters kept) as newsportal_query tries them, in order; any other
    address keeps none. VCL strings have no escapes, so its regular expressions are Python's."""
    vcl = QUERY_VCL.read_text()
    rules = re.findall(
        r'if \(req\.url ~ "([^"]+)"\) \{\s*set req\.http\.X-Proxy-Query = regsuball\('
        r'req\.http\.X-Proxy-Query,\s*"\(\?<=\[\?&\]\)\(\?!\(?([a-z|-]+?)\)?\(=\|&\|\$\)\)',
        vcl,
    )
    # Every rule read, none skipped for a shape of its own (it would go unchecked).
    assert len(rules) >= 4 and len(rules) == vcl.count("regsuball(req.http.X-Proxy-Query"), (
        "query.vcl.in's rules are no longer in the shape this test reads"
    )
    return [(re.compile(address), set(names.split("|"))) for address, names in rules]


def kept_by_the_proxy(path: str) -> set[str]:
    for address, names in allow_list():
        if address.match(f"{path}?"):
            return names
    return set()


def public_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return {route for route in walk(get_resolver().url_patterns) if not route.startswith(PASSED)}


@pytest.fixture
def site(article, approved_comment, tag, author, section):
    article.tags.set([tag])
    return [
        "/",
        "/search/",
        f"/section/{section.slug}/",
        f"/section/{section.slug}/follow/",
        f"/section/{section.slug}/feed/",
        f"/section/{section.slug}/atom/",
        f"/author/{author.slug}/",
        f"/tag/{tag.slug}/",
        "/follow/",
        "/corrections/",
        "/feed.xsl",
        "/feed/",
        "/atom/",
        article.get_absolute_url(),
        # A long live coverage's earlier updates (none here: the page's 404 reads no query).
        f"{article.get_absolute_url()}updates/2/",
        # An update's own address (none here: its 404 reads no query either).
        f"{article.get_absolute_url()}updates/at/1/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/sitemap-articles.xml",
        "/robots.txt",
        "/healthz",
        "/media/no-such-picture.jpg",
    ]


def test_every_public_page_is_among_those_checked(site):
    # A page added to the URLs without being added above fails here, not silently behind the
    # proxy.
    drawn = {resolve(path).route for path in site}

    assert public_routes() <= drawn, public_routes() - drawn


def test_the_proxy_keeps_exactly_the_parameters_each_page_reads(client, settings, site):
    settings.MIDDLEWARE = ["tests.test_proxy_query_views.record_reads", *settings.MIDDLEWARE]
    READS.clear()
    for path in site:
        # With no query, and with the words a search draws its results (and their pages) for.
        for query in ("", "?q=article"):
            assert client.get(path + query).status_code in (200, 404), path

    for path in site:
        read = {key for page, key in READS if page == path}
        assert read <= kept_by_the_proxy(path), (
            f"{path} reads {sorted(read - kept_by_the_proxy(path))}, which the proxy drops: "
            "add it to deploy/vcl/query.vcl.in"
        )
    for path in site:
        # Page by page, not pooled over a rule's address: a rule that comes to match one more
        # page (the sitemap index beside the sitemaps) keeps, there, what only the others read.
        read = {key for page, key in READS if page == path}
        unread = kept_by_the_proxy(path) - read
        assert not unread, (
            f"deploy/vcl/query.vcl.in keeps {sorted(unread)} for {path}, which does not read "
            "them: each would split the cache for nothing (and reach Django)"
        )
