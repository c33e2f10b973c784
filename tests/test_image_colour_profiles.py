"""A photo in a wide colour space (an iPhone's Display P3, a camera's Adobe RGB) looks as it
should in its renditions: converted to sRGB, which is what a picture without a profile (all our
renditions) is shown as. Read as sRGB unconverted, its colours looked washed out."""

import io
import struct

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.picture_services import refresh_hero_renditions


def s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def display_p3_profile() -> bytes:
    """An ICC v2 display profile with Display P3's primaries (adapted to D50) and a 2.2 gamma,
    written out here: Pillow makes sRGB profiles only."""

    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

    def curve(gamma):
        return b"curv" + b"\0" * 4 + struct.pack(">IH", 1, round(gamma * 256))

    def desc(text):
        ascii_text = text.encode() + b"\0"
        return b"desc" + b"\0" * 4 + struct.pack(">I", len(ascii_text)) + ascii_text + b"\0" * 78

    tags = [
        (b"desc", desc("Display P3 (test)")),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        *((name, curve(2.2)) for name in (b"rTRC", b"gTRC", b"bTRC")),
        (b"cprt", b"text" + b"\0" * 4 + b"none\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = data = b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", offset + len(data))
        + b"\0" * 4
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 28
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\0" * 48
    )
    return header + struct.pack(">I", len(tags)) + table + data


# A dusty red in Display P3: in sRGB the same colour is redder (about 216, 93, 97).
P3_RED = (200, 100, 100)


def photo(fmt="JPEG", icc_profile=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    Image.new("RGB", (1200, 800), P3_RED).save(buffer, fmt, **options)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", buffer.getvalue())


def shown_colours(article) -> list[tuple[int, int, int]]:
    names = [*article.hero_renditions.values(), *(c["name"] for c in article.hero_crops.values())]
    names += [n for widths in article.hero_modern_renditions.values() for n in widths.values()]
    colours = []
    for name in names:
        with default_storage.open(name) as stored, Image.open(stored) as rendition:
            assert "icc_profile" not in rendition.info  # still the pixels only
            rgb = rendition.convert("RGB")
            colours.append(rgb.getpixel((rgb.width // 2, rgb.height // 2)))
    return colours


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_display_p3_photo_s_renditions_are_converted_to_srgb(article, fmt):
    article.hero_image.save("p3.jpg", photo(fmt, display_p3_profile()))

    refresh_hero_renditions(article=article)

    for red, green, blue in shown_colours(article):
        assert red >= 211 and green <= 97 and blue <= 100, (red, green, blue)


def test_a_photo_without_a_profile_keeps_its_colours(article):
    article.hero_image.save("plain.jpg", photo())

    refresh_hero_renditions(article=article)

    for colour in shown_colours(article):
        assert all(abs(got - want) <= 4 for got, want in zip(colour, P3_RED, strict=True))


def test_a_profile_that_cannot_be_read_leaves_the_colours_as_they_were(article):
    article.hero_image.save("odd.png", photo("PNG", b"not a colour profile at all"))

    refresh_hero_renditions(article=article)

    for colour in shown_colours(article):
        assert all(abs(got - want) <= 4 for got, want in zip(colour, P3_RED, strict=True))
