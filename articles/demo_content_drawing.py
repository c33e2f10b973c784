"""Drawing helpers for the demo's hero pictures (articles.demo_content_images): gradients, soft
lights, layered shapes, hill lines, and the grain and vignette that make a drawing read as a
picture."""

import functools
import random
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFilter

W, H = 1200, 675
Colour = tuple[int, int, int]


# --- Building blocks ----------------------------------------------------------------------------
def gradient(top: Colour, bottom: Colour, size=(W, H)) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def radial(size) -> Image.Image:
    """0 at the centre to 255 at the edge of the inscribed ellipse (and beyond), smooth."""
    return _radial().resize(size, Image.Resampling.BICUBIC)


@functools.cache
def _radial() -> Image.Image:
    small = Image.new("L", (64, 64))
    small.putdata(
        [
            min(255, int(255 * ((x - 31.5) ** 2 + (y - 31.5) ** 2) ** 0.5 / 32))
            for y in range(64)
            for x in range(64)
        ]
    )
    return small


def glow(image: Image.Image, centre, radius: int, colour: Colour, strength=1.0) -> None:
    """A soft light (sun, lamp, floodlight) added onto the picture."""
    x, y = int(centre[0]), int(centre[1])
    box = (x - radius, y - radius, x + radius, y + radius)
    region = image.crop(box)
    spot = ImageChops.invert(radial(region.size)).point(lambda v: int(v * v / 255 * strength))
    light = Image.composite(
        Image.new("RGB", region.size, colour), Image.new("RGB", region.size), spot
    )
    image.paste(ImageChops.screen(region, light), box[:2])


def layer(image: Image.Image, draw: Callable[[ImageDraw.ImageDraw], None], blur=0.0, alpha=255):
    """Shapes drawn on a mask and laid over the picture in one colour each (see `draw`)."""
    over = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw(ImageDraw.Draw(over))
    # Only the part drawn on (and what a blur spreads it to) is blurred and blended: most
    # shapes cover a small part of the picture, and blurring costs most of the drawing time.
    box = over.getchannel("A").getbbox()
    if box is None:
        return
    pad = int(blur * 3) + 1 if blur else 0
    box = (max(0, box[0] - pad), max(0, box[1] - pad), min(W, box[2] + pad), min(H, box[3] + pad))
    over = over.crop(box)
    if blur:
        over = soften(over, blur)
    if alpha < 255:
        over.putalpha(over.getchannel("A").point(lambda a: a * alpha // 255))
    under = image.crop(box).convert("RGBA")
    image.paste(Image.alpha_composite(under, over).convert("RGB"), box[:2])


def soften(image: Image.Image, radius: float) -> Image.Image:
    """A Gaussian blur; a wide one is done on a quarter-size copy (a sixteenth of the work, the
    same soft edge once scaled back)."""
    if radius < 6 or min(image.size) < 64:
        return image.filter(ImageFilter.GaussianBlur(radius))
    small = image.reduce(4).filter(ImageFilter.GaussianBlur(radius / 4))
    return small.resize(image.size, Image.Resampling.BILINEAR)


def ridge(rng: random.Random, base: float, rough: float, steps=24) -> list[tuple[float, float]]:
    """A hill line across the picture, closed at the bottom."""
    points = [(0, H)]
    y = base
    for i in range(steps + 1):
        y = min(max(y + rng.uniform(-rough, rough), base - rough * 3), base + rough * 2)
        points.append((W * i / steps, y))
    return [*points, (W, H)]


def speckle(image, rng: random.Random, count: int, box, colours, alpha=(255, 255)) -> None:
    """Points scattered over a box: stars, a crowd in the stands."""
    left, top, right, bottom = box

    def points(d):
        for _ in range(count):
            where = (rng.uniform(left, right), rng.uniform(top, bottom))
            d.point(where, fill=(*rng.choice(colours), rng.randint(*alpha)))

    layer(image, points)


def noise(rng: random.Random, size, amount: float) -> Image.Image:
    """Grey noise around mid-grey from the scene's own generator (Pillow's effect_noise has a
    generator of its own: the picture would change on every run)."""
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lambda v: round(128 + (v - 128) * amount * 2))


def mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def finish(image: Image.Image, rng: random.Random) -> Image.Image:
    """What makes it read as a picture rather than a diagram: softness, vignette, grain."""
    image = image.filter(ImageFilter.GaussianBlur(0.7))
    image = Image.composite(Image.new("RGB", image.size), image, _vignette(image.size))
    grain = noise(rng, image.size, rng.uniform(0.16, 0.22)).convert("RGB")
    return Image.blend(image, ImageChops.overlay(image, grain), 0.35)


@functools.cache
def _vignette(size) -> Image.Image:
    # The same darkened corners on every picture: made once.
    return radial(size).point(lambda v: max(0, v - 150))
