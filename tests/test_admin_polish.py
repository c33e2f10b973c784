"""Small things editors and moderators read in the admin: a decision's note in a comment's
history counts its reports in plain words ('1 report', '2 reports'), not 'report(s)'; each
order box in the sections' list is named for its section, as a screen reader says it; the
byline's own "Add another" link is not named as each author box's "+" is."""

import json
import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Section
from comments.desk import report_comment
from comments.models import ModerationPolicy

CHANGELIST = "/admin/comments/comment/"


@pytest.mark.parametrize(
    ("reports", "decision", "said"),
    [
        (1, "approve", "1 report dismissed by the decision"),
        (2, "reject", "2 reports upheld by the decision"),
    ],
)
def test_a_decision_on_a_reported_comment_counts_its_reports_in_plain_words(
    moderator_client, moderator, approved_comment, reports, decision, said
):
    ModerationPolicy.objects.create(hide_after_reports=reports)
    for n in range(reports):
        report_comment(comment=approved_comment, reason="abuse", ip=f"198.51.100.{n + 7}")
    approved_comment.refresh_from_db()
    reason = {"reject": {"reason": "Abusive"}, "approve": {}}[decision]

    response = moderator_client.post(
        f"{CHANGELIST}{approved_comment.pk}/{decision}/",
        {f"seen-{approved_comment.pk}": approved_comment.revision, **reason},
    )

    assert response.status_code == 302
    notes = LogEntry.objects.filter(user=moderator).values_list("change_message", flat=True)
    assert said in list(notes)
    history = moderator_client.get(f"{CHANGELIST}{approved_comment.pk}/history/").content.decode()
    assert said in history
    assert "report(s)" not in history


def test_each_order_box_in_the_sections_list_is_named_for_its_section(superuser_client, section):

    Section.objects.create(name="Science & nature", slug="science", order=2)

    html = superuser_client.get("/admin/articles/section/").content.decode()

    assert 'aria-label="Place of Technology in the menu"' in html
    # Escaped as any name an editor types.
    assert 'aria-label="Place of Science &amp; nature in the menu"' in html


def test_the_bylines_add_link_and_each_authors_plus_are_told_apart(superuser_client, article):
    html = superuser_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    group = html[html.index('id="bylines-group"') :]
    formset = json.loads(unescape(re.search(r'data-inline-formset="([^"]*)"', group)[1]))
    plus = re.search(r'<a[^>]*id="add_id_bylines-0-author"[^>]*>', group)[0]
    assert formset["options"]["addText"] == "Add another Byline name"
    assert 'title="Add another author"' in plus
