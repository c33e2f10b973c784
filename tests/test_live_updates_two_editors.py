"""Two editors mending the same live update at once: the second save over the first's words,
from a form opened before them, is refused, saying by whom and when, the second editor's words
kept in the form to merge and save again; a change of another part meanwhile does not block;
and the story's History keeps the words a mend replaced."""

from html import escape

from articles.live_services import post_update
from articles.models import LiveUpdate
from tests.short_text_forms import change_url, mended_by_both, opened, refused_and_kept, shown_again

DANAS = "Winds rise to 120 km/h on the coast."
SAMS = "Winds rise to 102 km/h at Kilbride."


def test_a_mend_over_a_colleagues_mend_meanwhile_is_refused_with_the_words_kept(
    chief, sub, article
):
    update = post_update(article=article, text="Winds rise.", headline="Storm")

    refused = mended_by_both(chief, sub, change_url(update), firsts=DANAS, seconds=SAMS)

    refused_and_kept(refused, firsts=DANAS, seconds=SAMS, by="Dana")
    assert LiveUpdate.objects.get(pk=update.pk).text == DANAS


def test_saved_again_after_the_refusal_the_merged_words_replace_the_colleagues(chief, sub, article):
    update = post_update(article=article, text="Winds rise.", headline="Storm")
    refused = mended_by_both(chief, sub, change_url(update), firsts=DANAS, seconds=SAMS)

    merged = f"{DANAS} {SAMS}"
    again = sub.post(change_url(update), shown_again(refused, text=merged))

    assert again.status_code == 302
    assert LiveUpdate.objects.get(pk=update.pk).text == merged


def test_a_headline_mended_meanwhile_does_not_block_a_mend_of_the_text(chief, sub, article):
    update = post_update(article=article, text="Winds rise.", headline="Storm")
    subs_form = opened(sub, change_url(update), text=SAMS)
    chiefs_form = opened(chief, change_url(update), headline="Storm reaches Kilbride")
    assert chief.post(change_url(update), chiefs_form).status_code == 302

    saved = sub.post(change_url(update), subs_form, follow=True)

    assert saved.status_code == 200
    mended = LiveUpdate.objects.get(pk=update.pk)
    assert (mended.headline, mended.text) == ("Storm reaches Kilbride", SAMS)
    assert "by Dana at" in saved.content.decode()  # told what was kept


def test_the_storys_history_keeps_the_words_a_mend_replaced(chief, article):
    update = post_update(article=article, text="Winds rise.", headline="Storm")

    chief.post(change_url(update), opened(chief, change_url(update), text=DANAS))

    history = chief.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert escape(f"Mended a live update, which said “Winds rise.”: “{DANAS}”") in history
