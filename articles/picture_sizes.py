"""The size of a picture a story's body shows, read from where our site serves it (its media or
static files): what the body's <img> says of its width and height, so the page does not jump as
it loads."""

import logging
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import File
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from articles.images import BODY_PICTURE_FORMATS, QUARTER_TURNS

logger = logging.getLogger(__name__)


def picture_size(path: str) -> tuple[int, int] | None:
    """(width, height) of the picture at this path on our site (its query and fragment aside),
    as browsers draw it: under MEDIA_URL read from the default storage, under STATIC_URL from
    the static files. Only its header is read, never its pixels, and Pillow's decompression-bomb
    guard applies. None when it cannot be told (no such file, not a picture, SVG, a storage
    error), which costs the picture its size only: the caller (an article's save) goes on."""
    path = posixpath.normpath(unquote(urlsplit(path).path))  # "a/../b" as a browser asks
    try:
        with _file_served_at(path) as file, Image.open(file, formats=BODY_PICTURE_FORMATS) as image:
            width, height = image.size
            # The EXIF the header carried (a PNG's getexif() would decode its pixels for more).
            exif = Image.Exif()
            exif.load(image.info.get("exif") or b"")
            if exif.get(ExifTags.Base.Orientation) in QUARTER_TURNS:
                width, height = height, width
    except Exception as exc:  # any storage's own errors too (object storage's are no OSError)
        logger.info("No size for the body picture %s: %r", path, exc)
        return None
    return width, height


def _file_served_at(path: str) -> File:
    if path.startswith(settings.MEDIA_URL):
        return default_storage.open(path.removeprefix(settings.MEDIA_URL))
    if path.startswith(settings.STATIC_URL):
        name = path.removeprefix(settings.STATIC_URL)
        if staticfiles_storage.exists(name):  # collected (a hashed name too)
            return staticfiles_storage.open(name)
        if found := finders.find(name):  # not collected yet: where collectstatic takes it from
            return File(open(found, "rb"))  # closed by the caller's with
    raise FileNotFoundError(path)
