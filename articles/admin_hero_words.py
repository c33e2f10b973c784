"""Words typed for the hero picture in the same save as its "Clear": refused, the words and the
tick kept, rather than erased with the picture (articles.services: a picture's words go with it).

Refused, not saved and said: words typed then were meant for a picture, this one ("Clear" ticked
by mistake) or the next (its file not chosen yet). Erased, even named in a message, the editor
copied them back from it on a deadline, or lost them; kept in the form, one click settles it.
Django refuses a file chosen with "Clear" ticked alike, for the same doubt."""

# The picture's words, as its messages name them (articles.admin_saving).
HERO_WORDS = (("hero_alt", "alt text"), ("hero_caption", "caption"), ("hero_credit", "credit"))


def typed_for_a_picture_cleared(form) -> str:
    """Why the article's form (cleaned) may not be saved as posted, or "" when it may: its
    picture cleared, with words typed for it in the same post. Words another editor changed
    meanwhile (form.kept, articles.meanwhile) are not this editor's."""
    data = form.cleaned_data
    if data.get("hero_image") is not False or not form.initial.get("hero_image"):
        return ""  # not cleared ("Clear" is only shown with a picture)
    typed = [
        (label, data[name])
        for name, label in HERO_WORDS
        if data.get(name) and data[name] != (form.initial.get(name) or "")
        if name not in form.kept
    ]
    if not typed:
        return ""
    labels = " and ".join(label for label, _ in typed)
    words = ", ".join(f"“{text}”" for _, text in typed)
    return (
        f"“Clear” removes the picture and its words, the {labels} you typed too: {words}. "
        "Untick “Clear” to keep your words with this picture (or with a new one you choose), "
        "or empty what you typed to remove the picture."
    )
