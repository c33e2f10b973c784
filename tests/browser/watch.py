"""What the browser tests watch on every page a test opens (conftest's `watch` fixture)."""


class PageWatch:
    """Everything a page said that a reader must never cause: console errors, uncaught
    exceptions, failed requests and CSP violations, across every page of one test."""

    def __init__(self):
        self.log = []
        self.problems = []

    def on_console(self, message):
        url = message.location.get("url", "").split("#")[0]
        where = message.page.url if message.page else "a worker"
        self.log.append(f"[{message.type}] {message.text}  ({url} on {where})")
        if message.type != "error":
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def on_page_error(self, error):
        self.log.append(f"[pageerror] {error}")
        self.problems.append(f"uncaught exception: {error}")

    def on_request_failed(self, request):
        self.log.append(f"[requestfailed] {request.url} {request.failure}")
        if request.failure == "net::ERR_ABORTED":
            return  # left behind by a navigation (a click while an image loads), not broken
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def on_response(self, response):
        if response.request.resource_type == "document":
            if response.status >= 400:
                self.problems.append(f"HTTP {response.status} for the page {response.url}")
        elif response.status >= 400:
            self.log.append(f"[response] {response.status} {response.url}")
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def on_csp_violation(self, source, violation):
        text = (
            f"CSP violation of {violation['directive']}: blocked {violation['blocked']!r} "
            f"({violation['source']}:{violation['line']}) {violation['sample']!r}"
        )
        self.log.append(f"[csp] {text} on {source['frame'].url}")
        self.problems.append(text)
