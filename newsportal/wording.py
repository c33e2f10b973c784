"""Counts in words for the admin's messages: "1 comment approved.", "3 comments approved.",
never "comment(s)", which read as a form letter at every decision of a moderator's day."""


def counted(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def were(number: int) -> str:
    return "was" if number == 1 else "were"


def left_alone(number: int) -> str:
    return "was left as it was" if number == 1 else "were left as they were"
