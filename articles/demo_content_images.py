"""Hero pictures for the demo articles, drawn with Pillow: editorial illustrations of a scene
(a road at dusk, a skyline, a factory, a stadium...) in layered shapes, gradients, haze and film
grain, with no text on them. The same article always gets the same picture (seeded by its slug).
"""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image

from articles.demo_content_drawing import H, W, finish
from articles.demo_content_nature import lab, landscape, sea, space, stage
from articles.demo_content_scenes import facade, factory, harbour, road, skyline, stadium

# Scene, then what the picture shows (alt text and caption).
SCENES = {
    "road": (road, "Tail lights of cars on an open road at dusk, street lamps coming on."),
    "quiet-road": (
        lambda i, r: road(i, r, traffic=False),
        "An empty road at first light, street lamps still on.",
    ),
    "skyline": (skyline, "A city skyline at night, office windows lit and reflected in the river."),
    "day-skyline": (
        lambda i, r: skyline(i, r, night=False),
        "A city skyline across the river in the late afternoon.",
    ),
    "factory": (factory, "Factory halls with saw-tooth roofs and smoking chimneys at sunset."),
    "space": (space, "A red planet rising over a field of stars."),
    "sea": (sea, "Sunlight through shallow water over a coral reef."),
    "heat": (landscape, "The sun over parched hills in a summer heatwave."),
    "solar": (
        lambda i, r: landscape(i, r, panels=True),
        "Rows of solar panels below hills at sunset.",
    ),
    "stage": (stage, "Spotlights over a stage, the audience in silhouette."),
    "facade": (facade, "A glass facade under a summer sky."),
    "stadium": (stadium, "A floodlit football stadium before kick-off."),
    "harbour": (harbour, "Stacked shipping containers and cranes at a port."),
    "lab": (lab, "Glowing rings in a dark laboratory: an illustration of a quantum experiment."),
}
BY_SLUG = {
    "xiaomi-electric-car-mass-production-2024": "road",
    "xiaomi-may-outsource-car-production": "factory",
    "xiaomi-car-project-begins": "facade",
    "battery-prices-fall-again": "harbour",
    "charging-network-expands": "road",
    "smartphone-sales-q3": "skyline",
    "self-driving-trial-city": "road",
    "chip-plant-announced": "factory",
    "mars-sample-return-delay": "space",
    "heatwave-record-summer": "heat",
    "coral-reef-recovery": "sea",
    "film-festival-opens": "stage",
    "museum-reopens": "facade",
    "book-prize-shortlist": "stage",
    "league-title-race": "stadium",
    "marathon-course-record": "quiet-road",
    "cycling-lanes-expand": "day-skyline",
    "startup-funding-slows": "day-skyline",
    "quantum-computing-milestone": "lab",
    "streaming-prices-rise": "skyline",
    "olympic-venue-plans": "facade",
    "ev-second-hand-market": "harbour",
    "solar-storage-homes": "solar",
    "phone-repair-law": "skyline",
    "local-derby-preview": "stadium",
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
    draw, description = SCENES[scene_for(slug, section)]
    rng = random.Random(slug)
    image = Image.new("RGB", (W, H))
    draw(image, rng)
    buffer = io.BytesIO()
    finish(image, rng).save(buffer, "JPEG", quality=86)
    return ContentFile(buffer.getvalue()), description
