"""The article form's picture field: the upload is checked (articles.images) and stored again
without its metadata before Django's ImageField decodes it, and refused with words an editor can
act on when the media storage could not take it (a full disk, a storage refusing writes), rather
than an error page that loses the whole edit at save."""

import logging
import shutil
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from articles.images import (
    ALLOWED_FORMATS,
    hero_upload_to,
    pixels_accepted,
    validate_image_upload,
    without_metadata,
)

logger = logging.getLogger(__name__)

RENDITIONS_ROOM = 8 * 1024 * 1024


def picture_limits() -> str:
    """The limits, as the picture field's help says them before an editor chooses a file."""
    megapixels = settings.IMAGE_MAX_PIXELS // 1_000_000
    jpeg = pixels_accepted("JPEG") // 1_000_000
    larger = (
        f" A JPEG photo larger than that (up to {jpeg} megapixels, as phones take them) is "
        "stored at a half or a quarter of its size."
        if jpeg > megapixels
        else ""
    )
    return (
        f"JPEG, PNG, WebP or GIF, at most {filesizeformat(settings.IMAGE_MAX_BYTES)} and "
        f"{megapixels} megapixels.{larger}"
    )


def room_to_store(size: int) -> bool:
    """Whether the media disk has room for an upload, its renditions and crops (a few MB of
    JPEG at most): a full disk found halfway through the save would lose the editor's whole
    edit to an error page. Storages other than a local disk are not asked."""
    location = getattr(default_storage, "location", None)
    if location is None:
        return True
    folder = Path(location)
    while not folder.exists() and folder != folder.parent:  # made at the first upload
        folder = folder.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return True
    if free > size + RENDITIONS_ROOM:
        return True
    # The editor is told to tell whoever runs the site: this line is what that person finds.
    logger.error("media storage full: %d bytes free at %s, a picture refused", free, location)
    return False


def storage_takes_writes() -> bool:
    """Whether the media storage stores a file now. A MEDIA_ROOT the server may not write to (a
    read-only mount, another owner after a restore) or a bucket refusing us showed only when
    the story was saved: a 500 page, and the editor's whole edit lost with it."""
    try:
        # Where the upload goes (hero_upload_to): a month's folder may be another owner's.
        name = default_storage.save(hero_upload_to(None, ".write-check"), ContentFile(b""))
    except Exception as exc:  # any storage's own errors too (object storage's are no OSError)
        logger.error(
            "media storage refuses writes, a picture refused: %s: %s", type(exc).__name__, exc
        )
        return False
    try:
        default_storage.delete(name)
    except Exception as exc:
        logger.warning("could not delete %s: %s", name, exc)
    return True


class CheckedImageField(forms.ImageField):
    """Django's ImageField decodes the upload first and reports any failure, a decompression
    bomb included, as "not a valid image": run our checks before it, with their own words."""

    # The preview's (articles.admin_preview): checked as a save checks it, from its header, but
    # not decoded whole and encoded again to be stored: it is not stored, and is drawn small.
    checks_only = False

    def to_python(self, data):
        if data and hasattr(data, "seek"):
            image_format = validate_image_upload(data)
            if self.checks_only:
                return super().to_python(data)
            if not room_to_store(data.size):
                raise ValidationError(
                    "The server has no room to store this picture right now (its disk is "
                    "full). Your changes are kept: save without the picture, or tell whoever "
                    "runs the site."
                )
            if not storage_takes_writes():
                raise ValidationError(
                    "The server cannot store pictures right now (its media storage refuses "
                    "files). Your changes are kept: save without the picture, or tell whoever "
                    "runs the site."
                )
            try:
                cleaned = without_metadata(data, image_format)
            except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
                raise ValidationError("The file is not a valid image.") from None
            # Stored, and served from our own site, under the extension of what it is: a PNG
            # named report.pdf would otherwise go out as a PDF.
            stem = PurePosixPath(data.name or "image").stem or "image"
            data = SimpleUploadedFile(
                stem + ALLOWED_FORMATS[image_format], cleaned, getattr(data, "content_type", None)
            )
        return super().to_python(data)
