"""Two editors on one story: a change form opened before another editor's change never undoes
it unseen (a pulled story back online, comments reopened, words overwritten), and the editor's
own work is never lost."""

import html
import html.parser
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.editor_fixtures import signed_in_editor
from tests.test_article_kept_picture import kept_token, photo
from tests.test_article_publishing_dates import form_as_shown

CHANGELIST = "/admin/articles/article/"
TYPO_FIX = "\n\nCorrection: the plant is in Lisbon, not Porto."


def _change(article) -> str:
    return f"{CHANGELIST}{article.pk}/change/"


class ShownLists(html.parser.HTMLParser):
    """What a browser posts back of a change page's lists as it shows them: the tags chosen, and
    the byline's and the related links' rows (the template row for "Add another" is not one)."""

    def __init__(self, page: str):
        super().__init__()
        self.posted, self._select = {}, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        shown = name in ("authors", "tags") or (
            name.startswith(("related_links-", "bylines-")) and "__prefix__" not in name
        )
        if tag == "select" and shown:
            self._select = {"name": name, "multiple": "multiple" in attrs, "first": None}
            self.posted[name] = []
        elif tag == "option" and self._select:
            if self._select["first"] is None:
                self._select["first"] = attrs.get("value", "")
            if "selected" in attrs:
                self.posted[self._select["name"]].append(attrs.get("value", ""))
        elif tag == "input" and shown and (attrs.get("type") != "checkbox" or "checked" in attrs):
            # A ticked box without a value posts "on", as browsers send it.
            default = "on" if attrs.get("type") == "checkbox" else ""
            self.posted.setdefault(name, []).append(attrs.get("value", default))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            # A list of one choice with none chosen posts its first.
            select, self._select = self._select, None
            if (
                not (select["multiple"] or self.posted[select["name"]])
                and select["first"] is not None
            ):
                self.posted[select["name"]] = [select["first"]]


def opened(client, article, **changes) -> dict:
    """The change form as the editor's browser opened it now, posted later with their changes."""
    page = client.get(_change(article)).content.decode()
    carried = re.search(r'name="opened_as" value="([^"]*)"', page)
    if carried:  # what the form was opened with; posted without it, the form saves as before
        changes["opened_as"] = html.unescape(carried.group(1))
    return form_as_shown(article) | ShownLists(page).posted | changes


def posted_again(response) -> dict:
    """The form the editor got back, as their browser posts it when they save again."""
    # The byline and the related links as shown again.
    shown = ShownLists(response.content.decode()).posted
    data = response.context["adminform"].form.data
    inlines = ("bylines", "related_links")
    return {key: values for key, values in data.lists() if not key.startswith(inlines)} | shown


def _said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _pull_with_the_action(chief, story):
    chief.post(CHANGELIST, {"action": "unpublish", "_selected_action": [story.pk]})


def _pull_with_the_form(chief, story):
    assert chief.post(_change(story), opened(chief, story, status="draft")).status_code == 302


@pytest.mark.parametrize("pull", [_pull_with_the_action, _pull_with_the_form])
def test_a_typo_fixed_in_a_form_opened_before_the_story_was_pulled_leaves_it_pulled(
    chief, sub, article, pull
):
    subs_form = opened(sub, article, body=article.body + TYPO_FIX)
    pull(chief, article)

    response = sub.post(_change(article), subs_form, follow=True)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.body.endswith("not Porto.")  # the fix is in, for when it goes out again
    assert Client().get(article.get_absolute_url()).status_code == 404
    said = _said(response)
    assert "changed since you opened this form by Dana at" in said
    assert "Status is now “Draft” (kept)" in said


def test_everyone_who_saved_the_story_meanwhile_is_named_not_only_the_last(chief, sub, article):
    subs_form = opened(sub, article, body=article.body + TYPO_FIX)
    _pull_with_the_action(chief, article)
    chris = signed_in_editor("chris", "Chris")
    as_it_is = opened(chris, article, status="draft")  # saved with nothing changed
    assert chris.post(_change(article), as_it_is).status_code == 302

    said = _said(sub.post(_change(article), subs_form, follow=True))

    assert re.search(r"by Dana at \d\d:\d\d and Chris at \d\d:\d\d: Status is now", said)


def test_the_storys_history_says_what_the_editor_changed_and_nothing_else(sub, article):
    from django.contrib.admin.models import LogEntry

    retitled = opened(sub, article, title="A new headline")
    assert sub.post(_change(article), retitled).status_code == 302

    said = LogEntry.objects.get().get_change_message()
    assert "Title" in said and "opened" not in said.lower()


def test_comments_closed_meanwhile_stay_closed(chief, sub, article):
    subs_form = opened(sub, article, body=article.body + TYPO_FIX)
    chief.post(_change(article), opened(chief, article, comments_enabled=""))

    response = sub.post(_change(article), subs_form, follow=True)

    article.refresh_from_db()
    assert article.comments_enabled is False
    assert article.body.endswith("not Porto.")
    assert "Comments allowed is now “unticked” (kept)" in _said(response)


def test_a_draft_published_meanwhile_stays_published(chief, sub, draft):
    subs_form = opened(sub, draft, status="draft", body=draft.body + TYPO_FIX)
    chief.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})

    sub.post(_change(draft), subs_form)

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert Client().get(draft.get_absolute_url()).status_code == 200
    assert "not Porto." in Client().get(draft.get_absolute_url()).content.decode()


def test_a_story_scheduled_meanwhile_stays_scheduled(chief, sub, article):
    subs_form = opened(sub, article, body=article.body + TYPO_FIX)
    later = timezone.localtime(timezone.now() + timedelta(hours=3))
    chiefs_form = opened(chief, article)
    chiefs_form.update(
        published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S")
    )
    assert chief.post(_change(article), chiefs_form).status_code == 302

    sub.post(_change(article), subs_form)

    article.refresh_from_db()
    assert article.published_at > timezone.now() + timedelta(hours=2)
    assert article.title not in Client().get("/").content.decode()


@pytest.mark.parametrize(
    "field, theirs, mine",
    [
        ("body", "The plant opens in May.", "The plant opens in June."),
        ("title", "Xiaomi delays its car", "Xiaomi's car comes in June"),
    ],
)
def test_two_editors_rewording_the_same_story_never_save_over_each_other_unread(
    chief, sub, article, field, theirs, mine
):
    subs_form = opened(sub, article, **{field: mine})
    assert (
        chief.post(_change(article), opened(chief, article, **{field: theirs})).status_code == 302
    )

    refused = sub.post(_change(article), subs_form)

    assert refused.status_code == 200  # the form again, with what happened
    page = refused.content.decode()
    assert "This story was changed since you opened this form by Dana at" in page
    assert "Your version, below, was not saved" in page
    assert html.escape(mine) in page  # the editor's words, kept in the form
    assert getattr(Article.objects.get(pk=article.pk), field) == theirs
    # Having read theirs, the editor saves again: their words replace the other's, knowingly.
    assert sub.post(_change(article), posted_again(refused)).status_code == 302
    assert getattr(Article.objects.get(pk=article.pk), field) == mine


def test_a_save_refused_only_for_another_s_change_says_so_not_please_correct_the_errors(
    chief, sub, article
):
    subs_form = opened(sub, article, body="Sam's rewrite.")
    chief.post(_change(article), opened(chief, article, body="Dana's rewrite."))

    refused = sub.post(_change(article), subs_form)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Please correct the error" not in page  # nothing of the editor's is wrong
    assert "<title>Not saved: " in page
    top = page[page.index('<p class="errornote">') :]
    assert top.startswith(
        '<p class="errornote">Not saved: someone else changed this story since you opened this '
        "form, where you changed it too (marked below)."
    )
    assert "This story was changed since you opened this form by Dana at" in top  # by whom
    assert page.count("This story was changed since you opened this form by") == 1


def test_a_save_refused_for_another_s_change_and_a_mistake_of_its_own_asks_to_correct_it(
    chief, sub, article
):
    subs_form = opened(sub, article, body="Sam's rewrite.", title="")
    chief.post(_change(article), opened(chief, article, body="Dana's rewrite."))

    refused = sub.post(_change(article), subs_form)

    page = refused.content.decode()
    assert "Please correct the errors below." in page and "This field is required." in page
    assert "Not saved: someone else" not in page


def test_refused_for_the_words_the_form_shows_the_pull_and_saving_again_keeps_it(
    chief, sub, article
):
    subs_form = opened(sub, article, body="Sam's rewrite.")
    chief.post(_change(article), opened(chief, article, status="draft", body="Dana's rewrite."))

    refused = sub.post(_change(article), subs_form)

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert form["status"].value() == "draft"  # as it is now, not as it was opened
    assert "Status is now “Draft” (kept)" in refused.content.decode()
    sub.post(_change(article), posted_again(refused))
    article.refresh_from_db()
    assert (article.status, article.body) == (Article.Status.DRAFT, "Sam's rewrite.")


def test_editors_changing_different_fields_both_keep_theirs_line_ends_as_browsers_post_them(
    chief, sub, article
):
    # A browser posts a text box's lines ending in CRLF: the body left alone is not an edit.
    subs_form = opened(
        sub, article, title="Xiaomi's car comes in June", body=article.body.replace("\n", "\r\n")
    )
    chief.post(_change(article), opened(chief, article, body="Dana's rewrite."))

    assert sub.post(_change(article), subs_form).status_code == 302

    article.refresh_from_db()
    assert (article.title, article.body) == ("Xiaomi's car comes in June", "Dana's rewrite.")


# Two editors choose a picture for the same story: the second is refused (the first one's is not
# replaced unseen), and the picture they chose is kept for their next save, as on any other
# error: a browser cannot show a chosen file again.
def _chief_chooses_a_picture(chief, article):
    form = opened(chief, article, hero_alt="The bridge at dawn")
    saved = chief.post(_change(article), {**form, "hero_image": photo("dawn.jpg", (30, 200, 30))})
    assert saved.status_code == 302
    article.refresh_from_db()
    return article.hero_image.name


def test_a_picture_chosen_while_another_editor_changed_it_is_kept_for_the_next_save(
    chief, sub, article
):
    subs_form = opened(sub, article, hero_alt="The bridge at dusk")
    theirs = _chief_chooses_a_picture(chief, article)

    refused = sub.post(_change(article), {**subs_form, "hero_image": photo("dusk.jpg")})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This story was changed since you opened this form by Dana at" in page
    assert "Picture kept: dusk.jpg" in page
    assert "choose it again" not in page
    assert Article.objects.get(pk=article.pk).hero_image.name == theirs
    # Having looked at theirs, the editor saves again: their picture replaces the other's.
    again = posted_again(refused) | {"hero_image_kept": kept_token(page)}
    assert sub.post(_change(article), again).status_code == 302
    article.refresh_from_db()
    assert re.search(r"-dusk\.jpg$", article.hero_image.name)
    assert article.hero_alt == "The bridge at dusk"


def test_the_editor_who_prefers_the_other_picture_drops_theirs_and_it_stays(chief, sub, article):
    subs_form = opened(sub, article, hero_alt="The bridge at dusk")
    theirs = _chief_chooses_a_picture(chief, article)
    refused = sub.post(_change(article), {**subs_form, "hero_image": photo("dusk.jpg")})
    page = refused.content.decode()

    again = posted_again(refused) | {
        "hero_image_kept": kept_token(page),
        "hero_image_kept_drop": "on",
    }

    assert sub.post(_change(article), again).status_code == 302
    assert Article.objects.get(pk=article.pk).hero_image.name == theirs
