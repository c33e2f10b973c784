"""The admin's warnings after a decision, counted in words: what a decision left as it was,
and why."""

from django.contrib import messages

from newsportal.wording import counted, left_alone


def sentence(text: str) -> str:
    """A full stop after words that may end with their own (a preset reason)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def waiting_text(n):
    return (
        f"{counted(n, 'reply', 'replies')} left waiting: a reply can only be published under a "
        "published comment. Approve the comment first."
    )


def edited_text(n):
    return (
        f"{counted(n, 'comment')} edited by {'its' if n == 1 else 'their'} author since you "
        f"read {'it' if n == 1 else 'them'}: left waiting. Read {'it' if n == 1 else 'them'} again."
    )


def unseen_text(n):
    return (
        f"{counted(n, 'comment')} not shown to you (on other pages, or new since) "
        f"{left_alone(n)}: decide what you have read."
    )


def came_down_text(n):
    what = (
        "1 reply came down with the comment it answers: it comes"
        if n == 1
        else f"{n} replies came down with the comments they answer: each comes"
    )
    return f"{what} back with that comment (its Undo), not on its own."


def tell_left_waiting(model_admin, request, result, waiting=waiting_text) -> None:
    """The warnings after a decision: what it left waiting, and why."""
    for count, text in (
        (result.waiting, waiting),
        (result.edited, edited_text),
        (result.unseen, unseen_text),
    ):
        if count:
            model_admin.message_user(request, text(count), messages.WARNING)
