"""Text people paste: the control characters no one types, the line breaks word processors put
where a field has none, and what XML (feeds, sitemaps) cannot carry at all. Shared by the
comment forms and the newsroom's models."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Control characters other than tab and line breaks (C0, DEL, C1, and the Unicode line and
# paragraph separators): never typed by a person.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Breaks a word processor writes into pasted text: Word's manual line break (U+000B, a "soft
# return") and page break (U+000C), the Unicode line and paragraph separators (InDesign's
# forced line break, Google Docs). The editor saw a break there, not a character to delete.
PASTED_BREAK = re.compile(r"[\x0b\x0c\u2028\u2029]")
# What XML 1.0 cannot carry in any form, escaped or not: C0 controls other than tab and line
# breaks, lone surrogates, U+FFFE and U+FFFF. One in a feed is a 500 or an ill-formed document.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def no_control_characters(value: str) -> None:
    found = sorted(set(CONTROL_CHARACTERS.findall(value)))
    if found:
        # Named, since nothing shows where they are: the editor can search for them.
        raise ValidationError(
            "Remove the invisible control characters from this field (found: %(found)s).",
            code="control_characters",
            params={"found": ", ".join(f"U+{ord(c):04X}" for c in found)},
        )


def pasted_breaks_as(value: str, replacement: str) -> str:
    """The text with a word processor's breaks as a space (a field of one line) or a line
    break (one of several), rather than refused: the editor's words stay as they read them."""
    return PASTED_BREAK.sub(replacement, value)


def one_kind_of_line_end(value: str) -> str:
    """Every line end "\n": a browser posts a text box's with "\r\n", a script writes "\n", a
    paste from an old Mac "\r". Stored one way, a story saved unchanged reads the same."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def as_a_form_posts(value, *, text_box: bool = False):
    """A value as the admin's form shows it and a browser posts it back, to tell whether a save
    changed it: text with "\n" line ends (one_kind_of_line_end); a one-line box's trimmed, as the
    form trims it; a text box (the lead, the body) with only the blanks at its very end dropped, its
    first line's indentation kept (in Markdown, four spaces start a code block); what is not
    text, as it is. Compared so, a story written by a script (the demo loader, the shell: "\n",
    a last one too) and saved unchanged in the admin is not changed."""
    if not isinstance(value, str):
        return value
    value = one_kind_of_line_end(value)
    return value.rstrip() if text_box else value.strip()


def xml_safe(value: str) -> str:
    """Text any XML document can carry: a row saved before fields were checked (or written
    around the checks) still leaves feeds and sitemaps well-formed."""
    return NOT_IN_XML.sub(" ", pasted_breaks_as(value, " "))


def clean_pasted_fields(instance, *, one_line=(), several_lines=()) -> dict[str, ValidationError]:
    """For a model's clean(): each field's pasted breaks made a space (one line) or a line break
    (several, whose line ends are all made "\n"), then any other control character refused on
    the field, the text kept in the form for the editor to fix. The errors, by field, for the
    model to raise with its own."""
    errors = {}
    for names, replacement in ((one_line, " "), (several_lines, "\n")):
        for name in names:
            value = getattr(instance, name)
            if not value:
                continue
            fixed = pasted_breaks_as(value, replacement)
            if names is several_lines:
                fixed = one_kind_of_line_end(fixed)
            if fixed != value:
                setattr(instance, name, fixed.strip() if replacement == " " else fixed)
            try:
                no_control_characters(fixed)
            except ValidationError as error:
                errors[name] = error
    return errors


def most_text_sent() -> str:
    """How much text one form may send (DATA_UPLOAD_MAX_MEMORY_SIZE), as an editor reckons it:
    "256.0 KB (about 40,000 words)", at some six bytes a word of English with its space."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    words = round(limit / 6.5, -3) if limit >= 6500 else round(limit / 6.5)
    return f"{filesizeformat(limit)} (about {words:,.0f} words)"
