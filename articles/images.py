"""Hero image checks and renditions.

Uploads are checked before anything decodes them: the format must be one we serve, the file
small enough, and the pixel count (read from the header) low enough that a decompression bomb is
refused with a clear message instead of eating the server's memory. Renditions are made once,
when the image is saved, so no request ever resizes an image.

What a camera writes into a picture (EXIF, XMP and IPTC: where it was taken, who took it, the
camera's serial number; comments) never reaches storage: an upload is stored again without it
(`without_metadata`), and renditions and crops are named with a random token of their own, not
after the upload, so a public page does not lead to the stored original either.
"""

import io
import logging
import re
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError

logger = logging.getLogger(__name__)

# What we accept, and the extension each is stored under.
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# 1600: the hero is drawn 760 px wide on a large screen, the home page's lead 778, so a 2x screen
# (laptops, tablets) asks for 1520-1556 px, and 1200 looked soft there. Phones keep to 800
# (PHONE_WIDEST); a picture saved with 1200 at most is given its wider ones by `manage.py
# make_wider_renditions`.
RENDITION_WIDTHS = (400, 800, 1200, 1600)
# How each rendition is encoded, by MIME type: Pillow's format, the extension, the options.
# AVIF 66 and WebP 80 look like the JPEG's 82: at 400 and 800 px, on the demo pictures and on
# photo-like ones (fine texture, grain), their SSIM is within 0.007 of the JPEG's and their PSNR
# within 0.5 dB, for 67% (AVIF) and 59-66% (WebP) of its bytes on the pictures, 75% and 87-92%
# on the photos. AVIF's speed 9 adds 0.2-0.5 s to a save on two cores; speed 8 took four times
# as long for 2-6% fewer bytes, speed 6 a few seconds. WebP's slowest method (6) would take
# three times as long as its default for 5-10% fewer bytes.
ENCODINGS = {
    "image/jpeg": ("JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
    "image/avif": ("AVIF", "avif", {"quality": 66, "speed": 9}),
    "image/webp": ("WEBP", "webp", {"quality": 80}),
}
# Offered before the JPEG, in this order: a browser takes the first it can show (AVIF the
# smallest on photographs, WebP for the browsers without it, the JPEG for those with neither).
MODERN_TYPES = ("image/avif", "image/webp")
# The widest a phone is offered: twice its width. A 3x screen would take the widest, three times
# the bytes (and the largest paint past 2.5 s on slow 4G), for sharpness hard to see.
PHONE_WIDEST = 800
# Screens of 3 pixels a point are phones, held sideways too (the hero then 696 px wide, so they
# took the widest): they keep to what they took before the 1600 px renditions came.
DENSE_WIDEST = 1200
CROP_RATIOS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200
MIN_SIDE = 200
# What a picture in an article's body is read as, for its size: what browsers show (and we
# write). Pillow tries no other parser on a file that is none of these.
BODY_PICTURE_FORMATS = (*ALLOWED_FORMATS, "AVIF")
HEIC_REFUSED = (
    "This is a HEIC picture (as iPhones take them), which browsers cannot show: save it as a "
    "JPEG (on a Mac: open it in Preview, File › Export…, Format JPEG) and choose that file."
)
# What to do with a picture too large: it is shown at most RENDITION_WIDTHS[-1] pixels wide.
SAVE_SMALLER = (
    "Save a smaller copy (4,000 pixels across is plenty: pages show it at most 1,600 wide) "
    "and choose that file."
)
# EXIF orientations that turn a picture a quarter: browsers draw it with its sides swapped.
QUARTER_TURNS = {5, 6, 7, 8}


def hero_upload_to(instance, filename: str) -> str:
    """heroes/YYYY/MM/<random>-<name>: the picture of a story under embargo cannot be found by
    guessing a camera's file name before the story is out (its renditions and crops have random
    names of their own: _public_stem)."""
    return f"heroes/{timezone.now():%Y/%m}/{_random_part()}-{filename}"


def pixels_accepted(image_format: str | None) -> int:
    """A JPEG is decoded at a half or a quarter of its size when it is over IMAGE_MAX_PIXELS
    (libjpeg scales as it decodes: `without_metadata`), so a phone's 48- or 50-megapixel photo
    costs no more memory than a 12-megapixel one, up to Pillow's own guard. Other formats are
    decoded whole."""
    if image_format != "JPEG":
        return settings.IMAGE_MAX_PIXELS
    return max(settings.IMAGE_MAX_PIXELS, Image.MAX_IMAGE_PIXELS or 0)


def validate_image_upload(file) -> str:
    """The upload's format (checked from its bytes, whatever its name says), or ValidationError."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            f"The image is {filesizeformat(size)}; the limit is "
            f"{filesizeformat(settings.IMAGE_MAX_BYTES)}. {SAVE_SMALLER}"
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        # Opening reads only the header: width and height are known before any decoding.
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            if width * height > pixels_accepted(image_format):
                raise ValidationError(too_many_pixels(width, height, image_format))
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"{image_format or 'This'} images are not accepted; use JPEG, PNG, WebP or GIF."
                )
            # Renditions and crops of a sliver would be no picture (or zero pixels high).
            if min(width, height) < MIN_SIDE:
                raise ValidationError(
                    f"The image is {width}×{height} pixels; a hero picture needs at least "
                    f"{MIN_SIDE} pixels each way."
                )
            image.verify()
            return image_format
    except Image.DecompressionBombError:
        raise ValidationError(
            f"The image has far too many pixels to be processed. {SAVE_SMALLER}"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        file.seek(0)
        head = file.read(12)
        # An iPhone's photo copied as it is (AirDrop, a cable): HEIF's brand in an ISO media
        # file's "ftyp" box (AVIF, in the same box, Pillow reads and we refuse above by name).
        if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"hevc", b"hevx", b"mif1"}:
            raise ValidationError(HEIC_REFUSED) from None
        raise ValidationError("The file is not a valid image.") from None
    finally:
        if position is not None:
            file.seek(position)


def too_many_pixels(width: int, height: int, image_format: str | None) -> str:
    accepted = pixels_accepted(image_format)
    as_jpeg = ""
    if accepted < pixels_accepted("JPEG"):
        jpeg = pixels_accepted("JPEG") // 1_000_000
        as_jpeg = f" (a JPEG up to {jpeg} megapixels is made smaller for you)"
    return (
        f"The image is {width}×{height} pixels ({width * height // 1_000_000} megapixels), more "
        f"than the {accepted // 1_000_000} megapixels we accept in this format{as_jpeg}. "
        + SAVE_SMALLER
    )


# What a stored original keeps of what came with its pixels: how to show its colours. The rest
# (EXIF with GPS, the photographer's name and the camera's serial, XMP, IPTC, comments, text
# chunks) may name a source or a photographer, and is dropped.
KEPT_INFO = ("icc_profile", "transparency")


def without_metadata(file, image_format: str) -> bytes:
    """The upload's picture encoded again in its own format, with nothing but its pixels and
    colour profile. The EXIF orientation is applied to the pixels first (it goes with the
    EXIF), as the renditions already do, so the picture stays upright. A JPEG is encoded with
    its own quantization tables and subsampling, so it loses as little as a JPEG can when
    encoded again; PNG and GIF lose nothing; a WebP is encoded at quality 90. An animated GIF,
    WebP or PNG keeps its first frame: the one its renditions are made from, all readers see.

    Stripping what is stored is the belt, the renditions' own names (_public_stem) the braces.
    Keeping originals out of /media/ instead would leave the metadata in what staff download
    and in every copy of MEDIA_ROOT (backups, object storage), and would take the editor's
    "Currently" link away; so the file stays served, and holds nothing but the picture."""
    file.seek(0)
    with Image.open(file) as original:
        width, height = original.size
        if width * height > settings.IMAGE_MAX_PIXELS:
            # A large JPEG (pixels_accepted) is decoded scaled down, to the first of a half, a
            # quarter or an eighth that is within the limit: stored so, it is what pages need.
            fits = (s for s in (2, 4, 8) if width // s * (height // s) <= settings.IMAGE_MAX_PIXELS)
            scale = next(fits, 8)
            original.draft(original.mode, (width // scale, height // scale))
            if original.size[0] * original.size[1] > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    f"The image is {width}×{height} pixels, more than we can make smaller. "
                    + SAVE_SMALLER
                )
        original.load()
        options = {}
        if image_format == "JPEG":
            # Optimized Huffman tables, and progressive if it was: no bigger a file than sent
            # (it is checked against IMAGE_MAX_BYTES again), with the very same pixels.
            options.update(
                qtables=original.quantization,
                optimize=True,
                progressive=bool(original.info.get("progressive")),
            )
            sampling = JpegImagePlugin.get_sampling(original)
            if sampling != -1:
                options["subsampling"] = sampling
        elif image_format == "WEBP":
            options["quality"] = 90
        upright = ImageOps.exif_transpose(original)
    # Nothing from what was read rides along unasked (JPEG writes a comment it read, PNG a
    # profile): what is kept is handed to the encoder, which writes only that.
    kept = {key: upright.info[key] for key in KEPT_INFO if upright.info.get(key) is not None}
    upright.info = {}
    buffer = io.BytesIO()
    upright.save(buffer, image_format, **kept, **options)
    return buffer.getvalue()


def stored_without_metadata(image_field) -> ContentFile:
    """A picture stored before uploads were stripped, as it is stored now: its bytes without
    metadata, named as it was uploaded (without the random part its stored name begins with)."""
    image_field.open("rb")
    try:
        with Image.open(image_field) as probe:
            image_format = probe.format
        cleaned = without_metadata(image_field, image_format)
    finally:
        image_field.close()
    name = PurePosixPath(image_field.name).name
    return ContentFile(cleaned, name=re.sub(r"^[\w-]{12}-(?=.)", "", name))


def _decoded(image_field) -> Image.Image:
    image_field.open("rb")
    try:
        with Image.open(image_field) as original:
            original.load()
            # Phone photos are stored sideways with an EXIF note saying how to turn them (an upload
            # is turned when it is stored, without_metadata; a picture stored before may not be).
            upright = in_srgb(ImageOps.exif_transpose(original))
    finally:
        image_field.close()
    # The pixels only: the AVIF encoder writes the colour profile it finds, the JPEG one does
    # not, and one picture must look the same in every format.
    upright.info = {}
    return upright


def in_srgb(image: Image.Image) -> Image.Image:
    """Its colours as sRGB, which is what a picture without a profile is shown as: renditions
    carry no profile, so a Display P3 (iPhone) or Adobe RGB photo's numbers read as sRGB looked
    washed out. Converted through its own profile (LittleCMS); a profile it cannot use leaves the
    numbers as they are, as before."""
    icc = image.info.get("icc_profile")
    if not icc:
        return _as_shown(image)
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
        if space not in ("RGB", "GRAY") or image.mode == "CMYK":  # print files: as before
            return _as_shown(image)
        source = _as_shown(image).convert("RGB" if space == "RGB" else "L")
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(source, profile, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
        logger.info("colour profile not applied: %r", exc)
        return _as_shown(image)


def _as_shown(image: Image.Image) -> Image.Image:
    """RGB, as on our page: a transparent background white (a chart or logo hides black there,
    which showed as a black box), 16-bit greys (archive scans) at 8 bits (clipped, all white)."""
    if image.mode.startswith("I"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    return image.convert("RGB")


def _save(image: Image.Image, stem: str, mime_type: str = "image/jpeg") -> str:
    image_format, extension, options = ENCODINGS[mime_type]
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return default_storage.save(f"{stem}.{extension}", ContentFile(buffer.getvalue()))


def _public_stem() -> str:
    """The start of a rendition's or crop's name: a random token of its own, nothing of the
    upload's name. Readers see these names; named after the upload (random part and all), they
    told anyone the stored original's address, and the original is not for readers."""
    return f"renditions/{_random_part()}"


def _random_part() -> str:
    # 72 random bits, in letters and digits only: a urlsafe token may start with "-", which a
    # shell then reads as an option ("ls -FFYhQuRAxsa-16x9.jpg").
    return secrets.token_hex(9)


def make_crops(image_field) -> dict[str, dict]:
    """The shapes search engines and social cards ask for (Google's NewsArticle guidelines: 16:9,
    4:3 and 1:1), cut from the centre, at most CROP_WIDTH wide:
    {ratio: {name, width, height, bytes}}."""
    if not image_field:
        return {}
    source = _decoded(image_field)
    stem = _public_stem()
    crops = {}
    for key, (across, down) in CROP_RATIOS.items():
        width = min(source.width, source.height * across // down)
        height = width * down // across
        left, top = (source.width - width) // 2, (source.height - height) // 2
        cut = source.crop((left, top, left + width, top + height))
        if width > CROP_WIDTH:
            width, height = CROP_WIDTH, CROP_WIDTH * down // across
            cut = cut.resize((width, height), Image.Resampling.LANCZOS)
        name = _save(cut, f"{stem}-{key}")
        # Its size in bytes, for the feeds' enclosure: asked once here, not of the storage (a
        # request each, on object storage) every time a feed is drawn.
        crops[key] = {
            "name": name,
            "width": width,
            "height": height,
            "bytes": default_storage.size(name),
        }
    return crops


def crop_images(crops: dict[str, dict]) -> list[dict]:
    """[{url, width, height}] in CROP_RATIOS order (the widest shape first)."""
    return [
        {"url": default_storage.url(crops[key]["name"]), **crops[key]}
        for key in CROP_RATIOS
        if key in crops
    ]


def make_renditions(
    image_field, mime_types=tuple(ENCODINGS), *, wider_than: int = 0
) -> dict[str, dict[str, str]]:
    """Write the picture at each width (never wider than the original) in each of these
    formats; return {MIME type: {width: storage name}}. wider_than: only the widths past it
    (those a picture saved when renditions stopped there lacks)."""
    if not image_field:
        return {}
    renditions: dict[str, dict[str, str]] = {mime_type: {} for mime_type in mime_types}
    source = _decoded(image_field)
    stem = _public_stem()
    widths = [w for w in rendition_widths(source.width) if w > wider_than]
    for width in widths:
        height = max(1, round(source.height * width / source.width))
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        for mime_type, by_width in renditions.items():
            by_width[str(width)] = _save(resized, f"{stem}-{width}w", mime_type)
    return renditions


def rendition_widths(picture_width: int) -> list[int]:
    """Every standard width narrower than the picture, plus its own width (capped), so a small
    picture is never blown up."""
    widths = {w for w in RENDITION_WIDTHS if w < picture_width}
    return sorted(widths | {min(picture_width, RENDITION_WIDTHS[-1])})


def rendition_urls(renditions: dict[str, str]) -> list[tuple[int, str]]:
    return sorted((int(width), default_storage.url(name)) for width, name in renditions.items())


def fallback_rendition(renditions: dict[str, str]) -> str:
    """The storage name of the JPEG a browser without srcset is given (the <img>'s src), and
    search engines, social cards and feeds for a picture saved before crops were made: the
    widest up to CROP_WIDTH (what the crops are cut at; Google wants 1200 px wide for large
    previews), never the 1600 px one that 2x screens choose from the srcset for themselves.
    "" without renditions."""
    if not renditions:
        return ""
    by_width = sorted((int(width), name) for width, name in renditions.items())
    fitting = [name for width, name in by_width if width <= CROP_WIDTH]
    return fitting[-1] if fitting else by_width[0][1]


def srcset(renditions: dict[str, str], *, widest: int) -> str:
    return ", ".join(f"{url} {w}w" for w, url in rendition_urls(renditions) if w <= widest)


def srcsets(renditions: dict[str, str]) -> dict[str, str]:
    """One format's srcsets for the hero's sources: phones held upright (PHONE_WIDEST), screens
    of 2.5 pixels a point and more (DENSE_WIDEST), and the rest."""
    return {
        "srcset": srcset(renditions, widest=RENDITION_WIDTHS[-1]),
        "phone_srcset": srcset(renditions, widest=PHONE_WIDEST),
        "dense_srcset": srcset(renditions, widest=DENSE_WIDEST),
    }
