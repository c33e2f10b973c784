"""Hero pictures for the demo articles, drawn with Pillow: editorial illustrations of a scene
(a road at dusk, a skyline, a factory, a stadium...) in layered shapes, gradients, haze and film
grain, with no text on them. The same article always gets the same picture (seeded by its slug).
"""

import functools
import io
import random
from functools import partial

from django.core.files.base import ContentFile
from PIL import Image

from articles.demo_content_drawing import H, W, finish
from articles.demo_content_nature import lab, landscape, sea, space, stage
from articles.demo_content_objects import (
    battery_cells,
    books,
    chargers,
    floodlight,
    gallery,
    parked_cars,
    phone,
    screen,
    taxi,
    wafer,
)
from articles.demo_content_scenes import facade, factory, road, skyline, stadium

# Scene, then what the picture shows (alt text and caption).
SCENES = {
    "road": (road, "Tail lights of cars on an open road at dusk, street lamps coming on."),
    "quiet-road": (
        partial(road, traffic=False),
        "An empty road at first light, street lamps still on.",
    ),
    "skyline": (skyline, "A city skyline at night, office windows lit and reflected in the river."),
    "day-skyline": (
        partial(skyline, night=False),
        "A city skyline across the river in the late afternoon.",
    ),
    "factory": (factory, "Factory halls with saw-tooth roofs and smoking chimneys at sunset."),
    "space": (space, "A red planet rising over a field of stars."),
    "sea": (sea, "Sunlight through shallow water over a coral reef."),
    "heat": (landscape, "The sun over parched hills in a summer heatwave."),
    "solar": (
        partial(landscape, panels=True),
        "Rows of solar panels below hills at sunset.",
    ),
    "stage": (stage, "Spotlights over a stage, the audience in silhouette."),
    "facade": (facade, "A glass facade under a summer sky."),
    "stadium": (stadium, "A floodlit football stadium before kick-off."),
    "dusk-stadium": (
        partial(stadium, dusk=True),
        "A football stadium at dusk, its stands full.",
    ),
    "floodlight": (floodlight, "A bank of stadium floodlights against the evening sky."),
    "chargers": (chargers, "A row of electric car chargers under a canopy, a car plugged in."),
    "taxi": (taxi, "A yellow driverless taxi with a roof sensor on a city street at night."),
    "parked-cars": (parked_cars, "Rows of parked cars in a dealer's forecourt."),
    "phone": (phone, "A smartphone on a wooden desk, its screen lit."),
    "open-phone": (
        partial(phone, opened=True),
        "A smartphone opened for repair on a desk, its battery and circuit board showing.",
    ),
    "wafer": (wafer, "A silicon wafer patterned with rows of chips."),
    "cells": (battery_cells, "Battery cells packed side by side, seen from above."),
    "books": (books, "Shelves of books, their spines in many colours."),
    "gallery": (gallery, "Framed paintings on a museum wall, each under its own light."),
    "screen": (screen, "A television glowing in a dark living room, two viewers in silhouette."),
    "lab": (lab, "Glowing rings in a dark laboratory: an illustration of a quantum experiment."),
}


def hero_picture(scene: str, *, seed: str) -> tuple[ContentFile, str]:
    """A JPEG of this scene (one of SCENES, named by each demo article), and a description of
    it (alt text and caption). The same seed (the article's slug) always draws the same one."""
    jpeg, description = _drawn(scene, seed)
    return ContentFile(jpeg), description


# A process loading the demo again (the test suite) draws each picture once.
@functools.cache
def _drawn(scene: str, seed: str) -> tuple[bytes, str]:
    draw, description = SCENES[scene]
    rng = random.Random(seed)
    image = Image.new("RGB", (W, H))
    draw(image, rng)
    buffer = io.BytesIO()
    finish(image, rng).save(buffer, "JPEG", quality=86)
    return buffer.getvalue(), description
