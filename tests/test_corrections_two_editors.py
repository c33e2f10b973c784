"""Two editors mending the same correction at once: the second save over the first's words,
from a form opened before them, is refused, saying by whom and when, the second editor's words
kept in the form to merge and save again."""

from html import escape

from articles.correction_services import append_correction
from articles.models import Correction
from tests.short_text_forms import change_url, mended_by_both, opened, refused_and_kept, shown_again

DANAS = "The bridge is 300 m long, not 3 km."
SAMS = "The bridge is 320 m long, not 3 km."


def test_a_mend_over_a_colleagues_mend_meanwhile_is_refused_with_the_words_kept(
    chief, sub, article
):
    correction = append_correction(article=article, text="The bridge is 3 km long.")

    refused = mended_by_both(chief, sub, change_url(correction), firsts=DANAS, seconds=SAMS)

    refused_and_kept(refused, firsts=DANAS, seconds=SAMS, by="Dana")
    assert Correction.objects.get(pk=correction.pk).text == DANAS


def test_saved_again_after_the_refusal_the_editors_words_replace_the_colleagues(
    chief, sub, article
):
    correction = append_correction(article=article, text="The bridge is 3 km long.")
    refused = mended_by_both(chief, sub, change_url(correction), firsts=DANAS, seconds=SAMS)

    again = sub.post(change_url(correction), shown_again(refused))

    assert again.status_code == 302
    assert Correction.objects.get(pk=correction.pk).text == SAMS
    history = sub.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert escape(f"Mended a correction, which said “{DANAS}”") in history


def test_the_same_words_saved_by_both_are_not_refused(chief, sub, article):
    correction = append_correction(article=article, text="The bridge is 3 km long.")
    subs_form = opened(sub, change_url(correction), text=DANAS)
    chief.post(change_url(correction), opened(chief, change_url(correction), text=DANAS))

    assert sub.post(change_url(correction), subs_form).status_code == 302
    assert Correction.objects.get(pk=correction.pk).text == DANAS
