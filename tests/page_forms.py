"""The forms on a page as a browser would submit them, for the tests that post through the real
proxy stack (tests/proxy_stack.py) rather than Django's test client."""

import html.parser
from urllib.parse import urlsplit


class FormScraper(html.parser.HTMLParser):
    """Every <form> on a page: its attributes and the fields a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict] = {}
        self._form = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"attrs": attrs, "fields": {}}
            self.forms[attrs.get("id") or f"form-{len(self.forms)}"] = self._form
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                self._form["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def scrape_form(page: str, form_id: str) -> tuple[str, dict]:
    scraper = FormScraper()
    scraper.feed(page)
    assert form_id in scraper.forms, f"no form #{form_id} on the page"
    form = scraper.forms[form_id]
    action = urlsplit(form["attrs"].get("action", ""))
    return action.path + (f"?{action.query}" if action.query else ""), dict(form["fields"])
