"""Every answer at an address that holds a commenter's secret token says Referrer-Policy:
strict-origin, whichever layer drew it: the views say so for their own pages, but the CSRF
check's refusal, the 500 page and the outage's 503 are drawn elsewhere, with the same
stylesheets, whose requests carried the whole address (token and all) into the proxy's log.
Only these addresses: the rest of the site keeps its policy, since same-origin logic (the
admin's Undo among it) reads full Referers."""

from functools import cache

from django.urls import get_script_prefix, reverse

from comments.links import keep_address_to_itself

# The routes whose address is a prefix and then a token (status/<token>/ and the buttons
# below it; the pages of the mailed links).
TOKEN_ROUTES = (
    "comments:status",
    "comments:privacy-action",
    "comments:confirm",
    "comments:confirm-comment",
    "comments:unsubscribe",
    "comments:stop-mail",
)


@cache
def _token_prefixes(script_prefix: str) -> tuple[str, ...]:
    # Keyed on the script prefix, which reverse() writes in front of each.
    return tuple(reverse(name, args=["-"]).removesuffix("-/") for name in TOKEN_ROUTES)


def holds_a_token(path: str) -> bool:
    """Something after a token route's prefix ("/comments/privacy/" alone is the privacy
    page, no token in it)."""
    prefixes = _token_prefixes(get_script_prefix())
    return any(path.startswith(prefix) and len(path) > len(prefix) for prefix in prefixes)


class TokenAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if holds_a_token(request.path):
            keep_address_to_itself(response)
        return response
