"""A live update's or a correction's change page as an editor's browser shows it and posts it
back: its boxes, its ticked boxes and its hidden inputs, for the tests of two editors mending
the same one."""

import html.parser
from html import escape

from django.contrib.admin.models import LogEntry
from django.utils import timezone

FIELDS = ("headline", "text", "key_event", "opened_as")


class ShownForm(html.parser.HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.posted, self._box = {}, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if name not in FIELDS:
            return
        if tag == "textarea":
            self._box = name
            self.posted[name] = ""
        elif tag == "input" and (attrs.get("type") != "checkbox" or "checked" in attrs):
            default = "on" if attrs.get("type") == "checkbox" else ""
            self.posted[name] = attrs.get("value", default)

    def handle_data(self, data):
        if self._box:
            self.posted[self._box] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._box:
            # A browser drops the one line break that follows <textarea>.
            self.posted[self._box] = self.posted[self._box].removeprefix("\n")
            self._box = None


def change_url(row) -> str:
    return f"/admin/articles/{row._meta.model_name}/{row.pk}/change/"


def opened(client, url: str, **changes) -> dict:
    """The form as the editor's browser opened it now, to be posted later with their changes."""
    return ShownForm(client.get(url).content.decode()).posted | changes


def shown_again(response, **changes) -> dict:
    """The form the editor got back, as their browser posts it when they save again."""
    return ShownForm(response.content.decode()).posted | changes


def saved_at(first_name: str) -> str:
    """When that editor last saved in the admin, as the newsroom's clock shows it."""
    entry = LogEntry.objects.filter(user__first_name=first_name).latest("action_time")
    return f"{timezone.localtime(entry.action_time):%H:%M}"


def mended_by_both(first, second, url: str, *, firsts: str, seconds: str):
    """Two editors open the same change page; the first saves their words, then the second
    theirs, from the form opened before: the second's answer."""
    seconds_form = opened(second, url, text=seconds)
    assert first.post(url, opened(first, url, text=firsts)).status_code == 302
    return second.post(url, seconds_form)


def refused_and_kept(refused, *, firsts: str, seconds: str, by: str) -> None:
    """The second save refused, saying by whom and when, with the first's words to merge with
    and the second's in the form."""
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"changed since you opened this form by {by} at {saved_at(by)}" in page
    assert escape(firsts) in page
    assert shown_again(refused)["text"] == seconds
    assert "changed successfully" not in page
