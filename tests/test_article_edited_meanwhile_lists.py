"""Two editors on one story, its lists: the authors, the tags and the related links. A form opened
before another editor added a byline, a tag or a link neither drops it unseen (the form posts back
its old list) nor puts back what the other removed; this editor's own changes to them are saved;
changes both made are refused, this editor's kept in the form."""

import pytest

from articles.models import Article, Author, Tag
from tests.article_forms import byline_as
from tests.test_article_edited_meanwhile import (
    TYPO_FIX,
    _change,
    _said,
    opened,
    posted_again,
)

EXTERNAL = {"url": "https://example.org/plant", "title": "The plant in Lisbon"}
FACTORY = "Xiaomi opens its factory"  # one of our stories, linked after it, under its own title


@pytest.fixture
def choices(author, tag):
    """Two of each list's choices."""
    return {
        "authors": (author, Author.objects.create(name="Rui Costa", slug="rui-costa")),
        "tags": (tag, Tag.objects.create(name="Batteries", slug="batteries")),
    }


@pytest.fixture
def linked(article, add_related, make_article):
    """The story with two related links, the form's rows 0 and 1 (a blank one after them)."""
    add_related(article, **EXTERNAL)
    add_related(article, make_article(title=FACTORY), order=1, in_body=2)
    return article


def _listed(article, field) -> list[str]:
    """The tags, by name; the byline, in its order."""
    story = Article.objects.get(pk=article.pk)
    if field == "authors":
        return [str(line.author) for line in story.bylines.order_by("position", "author__name")]
    return sorted(map(str, getattr(story, field).all()))


def _chosen(article, field, objs) -> dict:
    """The form's tags, or its byline's rows, as an editor leaves them to choose these."""
    if field == "authors":
        return byline_as(article, objs)
    return {field: [obj.pk for obj in objs]}


def _now(field, names) -> str:
    """What the editor is told the list is now."""
    if field == "authors":
        return f"The byline is now “{', '.join(names)}”"
    return f"{field.capitalize()} are now “{', '.join(names)}”"


def _shown(response, field) -> list[str]:
    """What the form back with an error shows: the tags chosen, the byline's authors (ids)."""
    if field != "authors":
        return response.context["adminform"].form[field].value()
    (bylines,) = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "bylines"
    ]
    return [
        form["author"].value()
        for form in bylines.forms
        if form["author"].value() and not form["DELETE"].value()
    ]


def _link_titles(article) -> list[str]:
    return sorted(map(str, Article.objects.get(pk=article.pk).related_links.all()))


def _saved(client, article, form) -> None:
    response = client.post(_change(article), form)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
        [f.formset.non_form_errors() for f in response.context["inline_admin_formsets"]],
    )


NEW_LINK = {"related_links-2-url": "https://example.org/grid", "related_links-2-title": "The grid"}
# What an editor does to the related links in the form, and the links' titles after.
LINK_CHANGES = {
    "added": (NEW_LINK, ["The grid", "The plant in Lisbon", FACTORY]),
    "edited": (
        {"related_links-0-title": "The plant, in Lisbon"},
        ["The plant, in Lisbon", FACTORY],
    ),
    "deleted": ({"related_links-0-DELETE": "on"}, [FACTORY]),
}


@pytest.mark.parametrize("theirs", ["added", "removed"])
@pytest.mark.parametrize("field", ["authors", "tags"])
def test_a_byline_or_tag_added_or_removed_meanwhile_stays_so(
    chief, sub, article, choices, field, theirs
):
    first, second = choices[field]
    before, after = [first], [first, second]
    if theirs == "removed":
        before, after = after, before
    getattr(article, field).set(before)
    subs_form = opened(sub, article, body=article.body + TYPO_FIX)
    _saved(chief, article, opened(chief, article, **_chosen(article, field, after)))

    response = sub.post(_change(article), subs_form, follow=True)

    assert _listed(article, field) == sorted(map(str, after))
    assert Article.objects.get(pk=article.pk).body.endswith("not Porto.")
    assert f"{_now(field, sorted(map(str, after)))} (kept)" in _said(response)


@pytest.mark.parametrize("mine, theirs", [("authors", "tags"), ("tags", "authors")])
def test_editors_changing_different_lists_both_keep_theirs(
    chief, sub, article, choices, mine, theirs
):
    for field, (first, _) in choices.items():
        getattr(article, field).set([first])
    subs_form = opened(sub, article, **_chosen(article, mine, choices[mine]))
    _saved(chief, article, opened(chief, article, **_chosen(article, theirs, choices[theirs])))

    _saved(sub, article, subs_form)

    for field in (mine, theirs):
        assert _listed(article, field) == sorted(map(str, choices[field]))


@pytest.mark.parametrize("field", ["authors", "tags"])
def test_two_editors_changing_the_same_list_never_save_over_each_other_unread(
    chief, sub, article, choices, field
):
    first, second = choices[field]
    getattr(article, field).set([first])
    subs_form = opened(sub, article, body="Sam's rewrite.", **_chosen(article, field, [second]))
    _saved(chief, article, opened(chief, article, **_chosen(article, field, [first, second])))

    refused = sub.post(_change(article), subs_form)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This story was changed since you opened this form by Dana at" in page
    assert _now(field, sorted([str(first), str(second)])) in page
    said = "Your byline was not saved" if field == "authors" else "Your version, below, was not"
    assert said in page
    assert _shown(refused, field) == [str(second.pk)]  # Sam's, kept
    assert _listed(article, field) == sorted([str(first), str(second)])
    assert Article.objects.get(pk=article.pk).body != "Sam's rewrite."
    # Having read theirs, the editor saves again: their choice replaces the other's, knowingly.
    _saved(sub, article, posted_again(refused))
    assert _listed(article, field) == [str(second)]


def test_a_byline_put_in_another_order_meanwhile_stays_so(chief, sub, article, choices):
    first, second = choices["authors"]
    article.authors.set([first, second])
    subs_form = opened(sub, article, body=article.body + TYPO_FIX)
    _saved(chief, article, opened(chief, article, **_chosen(article, "authors", [second, first])))

    response = sub.post(_change(article), subs_form, follow=True)

    assert _listed(article, "authors") == [str(second), str(first)]
    assert Article.objects.get(pk=article.pk).body.endswith("not Porto.")
    assert f"{_now('authors', [str(second), str(first)])} (kept)" in _said(response)


def test_two_editors_ordering_the_byline_differently_never_save_over_each_other_unread(
    chief, sub, article, choices
):
    first, second = choices["authors"]
    third = Author.objects.create(name="Ana Lopes", slug="ana-lopes")
    article.authors.set([first, second])
    subs_form = opened(sub, article, **_chosen(article, "authors", [second, first]))
    _saved(chief, article, opened(chief, article, **_chosen(article, "authors", [first, third])))

    refused = sub.post(_change(article), subs_form)

    assert refused.status_code == 200
    assert _now("authors", [str(first), str(third)]) in refused.content.decode()
    assert _shown(refused, "authors") == [str(first.pk), str(second.pk)]  # rows, Sam's numbers
    assert "Please correct the error" not in refused.content.decode()  # nothing wrong of his
    assert _listed(article, "authors") == [str(first), str(third)]
    _saved(sub, article, posted_again(refused))
    assert _listed(article, "authors") == [str(second), str(first)]


@pytest.mark.parametrize("theirs", ["authors", "tags", "related_links"])
def test_refused_for_the_words_the_form_shows_their_lists_and_saving_again_keeps_them(
    chief, sub, linked, choices, theirs
):
    subs_form = opened(sub, linked, body="Sam's rewrite.")
    chiefs_change = {
        "authors": _chosen(linked, "authors", choices["authors"]),
        "tags": {"tags": [choices["tags"][1].pk]},
        "related_links": LINK_CHANGES["edited"][0],
    }[theirs]
    _saved(chief, linked, opened(chief, linked, body="Dana's rewrite.", **chiefs_change))
    as_chief_left = (_listed(linked, "authors"), _listed(linked, "tags"), _link_titles(linked))

    refused = sub.post(_change(linked), subs_form)

    assert refused.status_code == 200
    assert "(kept)" in refused.content.decode()
    _saved(sub, linked, posted_again(refused))
    assert (_listed(linked, "authors"), _listed(linked, "tags"), _link_titles(linked)) == (
        as_chief_left
    )
    assert Article.objects.get(pk=linked.pk).body == "Sam's rewrite."


@pytest.mark.parametrize("theirs", LINK_CHANGES)
def test_a_related_link_added_edited_or_deleted_meanwhile_stays_so(chief, sub, linked, theirs):
    subs_form = opened(sub, linked, body=linked.body + TYPO_FIX)
    change, titles = LINK_CHANGES[theirs]
    _saved(chief, linked, opened(chief, linked, **change))

    response = sub.post(_change(linked), subs_form, follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    assert _link_titles(linked) == titles
    assert Article.objects.get(pk=linked.pk).body.endswith("not Porto.")
    said = _said(response)
    assert "changed since you opened this form by Dana at" in said
    assert "Related links were changed (kept)" in said


@pytest.mark.parametrize("mine", LINK_CHANGES)
def test_a_related_link_changed_while_another_editor_tagged_the_story_both_kept(
    chief, sub, linked, tag, mine
):
    change, titles = LINK_CHANGES[mine]
    subs_form = opened(sub, linked, **change)
    _saved(chief, linked, opened(chief, linked, tags=[tag.pk]))

    _saved(sub, linked, subs_form)

    assert _link_titles(linked) == titles
    assert _listed(linked, "tags") == [str(tag)]


@pytest.mark.parametrize(
    "theirs, mine, saved_again",
    [
        (
            "added",
            {"related_links-0-title": "Lisbon's plant"},
            ["Lisbon's plant", "The grid", FACTORY],
        ),
        ("edited", {"related_links-0-title": "Lisbon's plant"}, ["Lisbon's plant", FACTORY]),
        ("edited", NEW_LINK, ["The grid", "The plant, in Lisbon", FACTORY]),
        ("deleted", {"related_links-0-title": "Lisbon's plant"}, ["Lisbon's plant", FACTORY]),
        # Left as it was by this editor, a link deleted by the other does not come back.
        ("deleted", {"related_links-1-title": "Earlier: the factory"}, ["Earlier: the factory"]),
    ],
)
def test_two_editors_changing_the_related_links_never_save_over_each_other_unread(
    chief, sub, linked, theirs, mine, saved_again
):
    subs_form = opened(sub, linked, body="Sam's rewrite.", **mine)
    change, titles = LINK_CHANGES[theirs]
    _saved(chief, linked, opened(chief, linked, **change))

    refused = sub.post(_change(linked), subs_form)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This story was changed since you opened this form by Dana at" in page
    assert "Related links were changed" in page
    assert "Your changes to the related links were not saved" in page
    for value in mine.values():
        assert value.replace("'", "&#x27;") in page  # the editor's links, kept in the form
    assert _link_titles(linked) == titles
    assert Article.objects.get(pk=linked.pk).body != "Sam's rewrite."
    # Having read theirs, the editor saves again: their changes, shown over the links as they are
    # now, go over the other's, knowingly; what the other changed where they did not stays.
    _saved(sub, linked, posted_again(refused))
    assert _link_titles(linked) == saved_again
