"""“Preview changes” on an article's change form, and on the add form: the story's page drawn
from the form as it stands, unsaved, in a new tab. "View on site" shows a story as last saved,
so an editor correcting a published story had to save a change, live, to see how it read, and a
reporter writing a new one had to save it (a draft) before reading it once.

Nothing is written and nothing is purged: the form, its byline and its related links are
checked as a save checks them, and drawn. The rest of the page (comments, sharing, the newest
stories) is not what the editor is changing, and is left out."""

import base64
import io

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from PIL import ExifTags, Image, ImageOps

from articles.images import QUARTER_TURNS, in_srgb
from articles.models import Byline, RelatedLink
from articles.querysets import in_byline_order
from articles.rendering import body_with_inline_links, render_markdown
from articles.services import dates_as_saving_would, dates_stored
from newsportal.caching import personal_page

# The rows the preview draws, and how a problem in them is named (as the form's headings).
HEADINGS = {Byline: "Byline", RelatedLink: "Related links"}
# A picture chosen, not saved yet, as drawn in the preview: the story column's widest.
PREVIEW_WIDTH = 1200


def preview_urls(model_admin) -> list:
    """ArticleAdmin's own addresses for it (the add form's first: "<id>/" would take "add"),
    to go before the admin's (whose "<id>/" would take them). POST only, checked first: a GET
    is a 405, not a sign-in page or a CSRF refusal."""

    def view(request, object_id=None):
        return preview_changes(request, model_admin, object_id)

    opts = model_admin.opts
    name = f"{opts.app_label}_{opts.model_name}_preview"
    preview = require_POST(model_admin.admin_site.admin_view(view))
    # A form too large to read is refused before this view (newsportal.views.bad_request): in
    # the preview's own tab, which has no Back, said as its other refusals are.
    preview.bad_request_template = "articles/preview_refused.html"
    return [
        path("add/preview/", preview, name=f"{name}_new"),
        path("<path:object_id>/preview/", preview, name=name),
    ]


def preview_changes(request, model_admin, object_id):
    """The story `object_id` as its change form has it, or with none a new story as the add
    form has it."""
    if object_id is None:
        article = None
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
    else:
        article = model_admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article")
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
    # What others changed since the form was opened is taken in as a save takes it in (the
    # form, articles.admin_forms), or the preview showed their correction undone and dated the
    # page "Updated" now for a comment box unticked, neither of which the save does. The
    # inlines are drawn as this editor has them.
    data = request.POST.copy()
    stored = dates_stored(article) if article is not None else None  # before the form changes it
    form_class = model_admin.get_form(request, article, change=article is not None)
    form = form_class(data, request.FILES, instance=article)
    form.previewing = True
    inline_data = data.copy()
    inline_data.pop("opened_as", None)  # the related links would merge, locking, or refuse
    if "hero_image" in form.fields:
        form.fields["hero_image"].checks_only = True  # not stored: drawn small (_chosen_picture)
    form_valid = form.is_valid()
    chosen_picture = _chosen_picture(form) if form_valid else ""
    # A new story's rows hang from the form's own story, unsaved, as the add form's save has it.
    article = form.instance
    formsets = _formsets(request, model_admin, article, inline_data)
    checked = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
    if not all(checked):
        context = {"problems": _problems(form, formsets.values())}
        return personal_page(render(request, "articles/preview_refused.html", context, status=400))
    # The form's values are in `article` now (in memory: never saved); dated as the save will
    # date it, "Updated" too.
    dates_as_saving_would(
        article=article, stored=stored, date_set="published_at" in form.changed_data
    )
    bylines = formsets.get(Byline)
    links, waiting_links = _links(formsets.get(RelatedLink), article)
    context = {
        "article": article,
        "authors": bylines.authors() if bylines else _saved(article, "authors", in_byline_order),
        "tags": form.cleaned_data.get("tags") if "tags" in form.fields else _saved(article, "tags"),
        "body_html": body_with_inline_links(render_markdown(article.body), links),
        "related_links": links,
        "waiting_links": waiting_links,
        # A new one is shown as chosen (its sizes and crops are made on saving).
        "picture_changed": "hero_image" in form.changed_data,
        "chosen_picture": chosen_picture,
        "current_section": article.section.slug,
        "meanwhile": form.meanwhile,
        "clashed": form.clashed,
        # Drawn from this editor's rows (merging them would lock the story): the page says so.
        "rows_as_yours": {"authors", "related_links"} & {*form.kept, *form.clashed},
    }
    return personal_page(render(request, "articles/preview.html", context))


def _formsets(request, model_admin, article, data) -> dict:
    """The byline's and the related links' rows, by model, as the form posts them (an inline
    this editor may not change is not in their form, nor here)."""
    formsets = {}
    shown_for = article if article.pk is not None else None  # the add form's inlines
    for formset, inline in model_admin.get_formsets_with_inlines(request, shown_for):
        if inline.model in HEADINGS:
            prefix = formset.get_default_prefix()
            kwargs = model_admin.get_formset_kwargs(request, article, inline, prefix)
            formsets[inline.model] = formset(**{**kwargs, "data": data})
    return formsets


def _chosen_picture(form) -> str:
    """A picture chosen in the form, not saved yet, as a data: address (the pages' CSP takes
    them), to see it with the story before it goes out: its sizes and crops are made only when
    it is saved. Drawn as the renditions are (upright, in sRGB, on white), at most
    PREVIEW_WIDTH wide; "" when none was chosen. One that cannot be read is refused, in the
    form's words, as a save refuses it."""
    upload = form.cleaned_data.get("hero_image")
    if "hero_image" not in form.changed_data or not isinstance(upload, UploadedFile):
        return ""
    try:
        shown = _drawn_small(upload)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        form.add_error("hero_image", "The file is not a valid image.")
        return ""
    buffer = io.BytesIO()
    shown.save(buffer, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _drawn_small(upload) -> Image.Image:
    """The picture no larger than the preview draws it, decoded no larger than needed: a JPEG
    at a half, a quarter or an eighth of its size, as libjpeg decodes it (draft). Decoded whole
    (and once more before, by the form, to store it stripped: the preview stores nothing), a
    phone's 40-megapixel photo took hundreds of MB of a worker's memory for 1,200 pixels."""
    upload.seek(0)
    with Image.open(upload) as opened:
        box = (PREVIEW_WIDTH, PREVIEW_WIDTH * 4)
        if opened.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS:
            box = box[::-1]  # turned upright below: its height is its width on the page
        width, height = opened.size
        scale = min(box[0] / width, box[1] / height, 1)
        # Only a JPEG decodes scaled, to the smallest scale at least this large; the rest whole.
        opened.draft(opened.mode, (max(1, int(width * scale)), max(1, int(height * scale))))
        opened.thumbnail(box)
        return in_srgb(ImageOps.exif_transpose(opened))


def _saved(article, name: str, order=list) -> list:
    """The story's authors or tags as saved, where the form has none (a field this editor may
    not change): a new story has none saved."""
    return order(getattr(article, name).all()) if article.pk is not None else []


def _links(formset, article) -> tuple[list, list]:
    """The related links as the form has them (without their rows in the form, as saved), in
    their order: those readers would see (an external one, or one to a story that is out), and
    those to a story not out yet, left out of the page until it is. Left out without a word,
    a link to a story going out later read as lost, to an editor checking the preview."""
    if formset is None:
        rows = list(article.related_links.select_related("target_article")) if article.pk else []
    else:
        rows = [
            form.instance
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
    rows.sort(key=lambda link: (link.order, link.pk is None, link.pk or 0))
    shown, waiting = [], []
    for link in rows:
        (shown if link.is_external or link.target_article.is_public else waiting).append(link)
    return shown, waiting


def _problems(form, formsets) -> list[str]:
    """What to fix, each said with the field it is in, as the form would show it on a save."""
    problems = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{capfirst(field.label)}: " if field is not None and field.label else ""
        problems += [f"{label}{error}" for error in errors]
    for formset in formsets:
        heading = HEADINGS[formset.model]
        problems += [f"{heading}: {error}" for error in formset.non_form_errors()]
        for number, errors in enumerate(formset.errors, start=1):
            for said in errors.values():
                problems += [f"{heading}, row {number}: {error}" for error in said]
    return problems
