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
from articles.demo_content_scenes import facade, factory, harbour, road, skyline, stadium

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
    "harbour": (harbour, "Stacked shipping containers and cranes at a port."),
    "lab": (lab, "Glowing rings in a dark laboratory: an illustration of a quantum experiment."),
}
# Each story its own picture (and so its own alt text).
BY_SLUG = {
    "xiaomi-electric-car-mass-production-2024": "road",
    "xiaomi-may-outsource-car-production": "factory",
    "xiaomi-car-project-begins": "facade",
    "battery-prices-fall-again": "cells",
    "charging-network-expands": "chargers",
    "smartphone-sales-q3": "phone",
    "self-driving-trial-city": "taxi",
    "chip-plant-announced": "wafer",
    "mars-sample-return-delay": "space",
    "heatwave-record-summer": "heat",
    "coral-reef-recovery": "sea",
    "film-festival-opens": "stage",
    "museum-reopens": "gallery",
    "book-prize-shortlist": "books",
    "league-title-race": "stadium",
    "marathon-course-record": "quiet-road",
    "cycling-lanes-expand": "day-skyline",
    "startup-funding-slows": "skyline",
    "quantum-computing-milestone": "lab",
    "streaming-prices-rise": "screen",
    "olympic-venue-plans": "dusk-stadium",
    "ev-second-hand-market": "parked-cars",
    "solar-storage-homes": "solar",
    "phone-repair-law": "open-phone",
    "local-derby-preview": "floodlight",
}
BY_SECTION = {
    "technology": "skyline",
    "business": "harbour",
    "science": "space",
    "culture": "stage",
    "sport": "stadium",
}


def scene_for(slug: str, section: str) -> str:
    return BY_SLUG.get(slug) or BY_SECTION.get(section, "skyline")


def hero_picture(slug: str, section: str) -> tuple[ContentFile, str]:
    """A JPEG for the article, and a description of it (alt text and caption)."""
    jpeg, description = _drawn(slug, section)
    return ContentFile(jpeg), description


# The same slug always draws the same picture: a process loading the demo again (the test
# suite) draws each one once.
@functools.cache
def _drawn(slug: str, section: str) -> tuple[bytes, str]:
    draw, description = SCENES[scene_for(slug, section)]
    rng = random.Random(slug)
    image = Image.new("RGB", (W, H))
    draw(image, rng)
    buffer = io.BytesIO()
    finish(image, rng).save(buffer, "JPEG", quality=86)
    return buffer.getvalue(), description
