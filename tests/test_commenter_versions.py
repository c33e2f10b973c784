"""The moderator sees what changed when a commenter edited: every earlier version, with the
words each edit took out and put in, on the comment's page; the last edit on its queue card."""

from django.urls import reverse

from comments.commenter_services import edit_comment
from comments.models import Comment
from comments.tokens import status_token
from comments.versions import word_diff


def test_the_comment_page_lists_every_earlier_version_with_what_each_edit_changed(
    article, make_comment, moderator_client
):
    comment = make_comment(article, body="Teh first version of my point")
    edit_comment(comment=comment, body="The first version of my point")
    edit_comment(comment=comment, body="The second version of my point")

    page = moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()

    assert "earlier versions" in page.lower()
    versions = page[page.index('class="comment-versions"') :]
    assert versions.count("<li>") == 2
    assert "<del>Teh</del><ins>The</ins> first version of my point" in versions
    assert "The <del>first</del><ins>second</ins> version of my point" in versions


def card(page: str, pk: int) -> str:
    start = page.index(f'id="queue-{pk}"')
    return page[start : page.index("</tr>", start)]


def test_the_queue_card_shows_what_the_last_edit_changed(article, make_comment, moderator_client):
    comment = make_comment(
        article, body="One two three four five six seven eight nine ten eleven twelve"
    )
    edit_comment(
        comment=comment, body="One two three four five six seven eight nine TEN eleven twelve"
    )
    untouched = make_comment(article, body="Never edited")

    page = moderator_client.get("/admin/comments/comment/?status=pending").content.decode()

    cards = {pk: card(page, pk) for pk in (comment.pk, untouched.pk)}
    assert "Edited by its author" in cards[comment.pk]
    assert "… six seven eight nine <del>ten</del><ins>TEN</ins> eleven twelve" in cards[comment.pk]
    assert "Edited by its author" not in cards[untouched.pk]


def test_a_diff_shows_reader_markup_as_text():
    html = word_diff("<b>bold</b> claim", "<script>alert(1)</script> claim")

    assert "<script>" not in html and "<b>" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> claim" in html


def test_a_long_rewrite_shows_taken_out_and_put_in_whole_between_the_words_kept(
    article, make_comment, moderator_client
):
    # Matched word by word, "a a a ..." edited to "a b a b ..." took minutes at 800 words and
    # held the queue's page; a rewrite this long is shown whole instead.
    taken_out, put_in = "x " + "a " * 150 + "y", "z " + "a b " * 75 + "w"
    comment = make_comment(article, body=f"Start {taken_out} end.")
    edit_comment(comment=comment, body=f"Start {put_in} end.")

    page = moderator_client.get("/admin/comments/comment/?status=pending").content.decode()

    assert f"Start <del>{taken_out}</del><ins>{put_in}</ins> end." in card(page, comment.pk)


def test_a_comment_edited_twenty_times_can_be_edited_no_more_and_its_writer_is_told_why(
    reader, article, make_comment
):
    # Every edit is another version on the moderator's page and another turn in the queue.
    comment = make_comment(article, body="Version 19")
    Comment.objects.filter(pk=comment.pk).update(revision=19)
    edit_url = reverse("comments:edit", args=[status_token(comment)])

    assert reader.post(edit_url, {"body": "Version 20"}).status_code == 302
    refused = reader.post(edit_url, {"body": "Version 21"})
    status_page = reader.get(comment.status_url).content.decode()

    assert refused.status_code == 403
    assert "It has been edited 20 times, the most we allow" in refused.content.decode()
    assert "Version 21" in refused.content.decode()  # the words come back to keep
    assert ">Edit</a>" not in status_page
    assert "It has been edited 20 times, the most we allow." in status_page
    comment.refresh_from_db()
    assert comment.body == "Version 20"
