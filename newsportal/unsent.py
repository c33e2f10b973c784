"""The words a post carried that a database outage lost, for the 503 page to give back
(newsportal.middleware.database_unavailable): a reader's comment or report, or what a staff
member typed in the admin, each box named as the form they typed it in named it.

All of it is read from the post, the admin's classes and the models' _meta: the database is
what is missing."""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.text import capfirst

# A reader's words posted to these views: the field that carries them, and what the outage page
# says of them. It gives them back, since a reload would only post them into the same outage.
_UNSENT_WORDS = {
    "comments:post": ("body", "Your comment was not sent", "Your comment (not sent)", "send"),
    "comments:edit": ("body", "Your changes were not saved", "Your comment (not saved)", "save"),
    "comments:report": (
        "text",
        "Your report was not sent",
        "What you added to your report (not sent)",
        "send",
    ),
}


# A staff post's fields that are not what they wrote: the CSRF token, anything named like a
# secret (a password, a token, a key, a one-time code), and what the admin's forms carry for
# them (buttons and _changelist_filters, the action's name, a confirmation's "post", the article
# form's opened_as fingerprint). Ids, counts, times and ticked boxes (no letter, or "on") are
# left out by their values; choices, by the admin's forms and models (_label).
_NOT_WRITTEN = re.compile(
    r".*(password|secret|token|key|otp).*|_.*|action|post|(.*-)?opened_as", re.I
)


_NOTHING_WRITTEN = {"admin:login", "admin:logout"}

# A field of an inline's row, as the admin's formsets post it: <prefix>-<row>-<field>.
_INLINE_FIELD = re.compile(r"(?P<prefix>.+)-(?P<row>\d+)-(?P<field>.+)")


def _fallback(name: str) -> str:
    """A name no form or model here explains, made readable: "reason-12" -> "Reason 12"."""
    return capfirst(re.sub(r"[_-]+", " ", name))


def _label(name: str, opts, declared: dict) -> str | None:
    """What the admin's form labels the field posted as `name` (a field its form declares, else
    the model's field of that name); None for one no one types in (a choice, a relation, a
    number, a date, a box, a hidden field)."""
    if name in declared:
        field = declared[name]
        typed = isinstance(field, forms.CharField) and not field.widget.is_hidden
        return (field.label or _fallback(name)) if typed else None
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        return _fallback(name)
    if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
        return capfirst(field.verbose_name)
    return None


def _inlines_by_prefix(model_admin) -> dict:
    """The admin's inlines by the prefix their formsets post under: the accessor of the
    relation from the admin's model (Django's default, which the admin and our formsets use)."""
    inlines = {}
    for inline in model_admin.inlines:
        for relation in model_admin.model._meta.related_objects:
            if relation.related_model is inline.model and inline.fk_name in (
                None,
                relation.field.name,
            ):
                inlines[relation.get_accessor_name()] = inline
    return inlines


def _labeller(match, post):
    """name -> the label of a field a staff member types in, or None for one they do not."""
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is None:  # the admin site's own pages: no model to ask
        return _fallback
    typed_fields = getattr(model_admin, "typed_fields", None)
    if typed_fields is not None:
        # An admin with forms of its own (the moderator's desk) names what is typed in them;
        # nothing else they post (a preset, a period) is anyone's words.
        return typed_fields(match, post).get
    opts = model_admin.model._meta
    declared = getattr(model_admin.form, "base_fields", {})
    inlines = _inlines_by_prefix(model_admin)

    def label(name):
        row = _INLINE_FIELD.fullmatch(name)
        inline = inlines.get(row["prefix"]) if row else None
        if inline is None:
            return _label(name, opts, declared)
        field = _label(row["field"], inline.model._meta, getattr(inline.form, "base_fields", {}))
        if field is None:
            return None
        # As the stacked inline heads its rows: "Related link: #1".
        named = capfirst(inline.verbose_name or inline.model._meta.verbose_name)
        return f"{named} #{int(row['row']) + 1}: {field}"

    return label


def _written(post, label) -> list[tuple[str, str]]:
    """A staff post's typed fields, as (label, text), in the order the form sent them."""
    return [
        (shown, value)
        for name, values in post.lists()
        if not _NOT_WRITTEN.fullmatch(name) and (shown := label(name))
        for value in values
        if value != "on" and any(c.isalpha() for c in value)
    ]


def unsent_words(request) -> dict | None:
    """What the reader or staff member posted and the outage lost, for the page to give back;
    else None."""
    if request.method != "POST":
        return None
    try:
        # An outage met in a middleware before the URL was resolved leaves no resolver_match.
        match = request.resolver_match or resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name in _UNSENT_WORDS:
        field, heading, label, verb = _UNSENT_WORDS[match.view_name]
    elif match.view_name.startswith("admin:") and match.view_name not in _NOTHING_WRITTEN:
        # Staff: a moderator's reasons and notes, an editor's story; whatever they wrote.
        field, heading, label, verb = None, "Your changes were not saved", "", "save"
    else:
        return None
    try:
        if field is None:
            fields = _written(request.POST, _labeller(match, request.POST))
        else:
            text = request.POST.get(field, "")
            fields = [(label, text)] if text else []
    except Exception:
        # A body that cannot be parsed (too large, cut off) must not cost the reader the page
        # that tells them nothing was sent.
        fields = []
    return {"heading": heading, "verb": verb, "fields": fields}
