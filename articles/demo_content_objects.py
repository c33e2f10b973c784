"""Demo hero scenes of things close up: chargers, cars, phones, chips, battery cells, books,
paintings, a television, a floodlight. Shapes only, no lettering."""

from PIL import Image, ImageDraw

from articles.demo_content_drawing import H, W, glow, gradient, layer, mix, speckle


def _car(d, x, ground, length, body, *, sensor=False, lit=None):
    """A car seen from the side: x is its left end, ground where its wheels stand."""
    height = length * 0.3
    d.rounded_rectangle([x, ground - height, x + length, ground - height * 0.3], 18, fill=body)
    d.polygon(
        [
            (x + length * 0.22, ground - height),
            (x + length * 0.34, ground - height * 1.65),
            (x + length * 0.66, ground - height * 1.65),
            (x + length * 0.8, ground - height),
        ],
        fill=body,
    )
    glass = mix(body, (150, 190, 220), 0.6)
    # The two side windows: where each one's corners stand along the car (bottom, top, top,
    # bottom).
    for corners in ((0.27, 0.36, 0.49, 0.49), (0.52, 0.52, 0.64, 0.75)):
        rise = (1.02, 1.55, 1.55, 1.02)
        d.polygon(
            [(x + length * a, ground - height * b) for a, b in zip(corners, rise, strict=True)],
            fill=glass,
        )
    for wheel in (0.2, 0.8):
        r = length * 0.085
        cx = x + length * wheel
        d.ellipse([cx - r, ground - 2 * r, cx + r, ground], fill=(20, 20, 24))
        d.ellipse(
            [cx - r * 0.5, ground - 1.5 * r, cx + r * 0.5, ground - 0.5 * r], fill=(150, 150, 160)
        )
    if sensor:  # the spinning lidar on a driverless car's roof
        d.rounded_rectangle(
            [x + length * 0.44, ground - height * 1.95, x + length * 0.56, ground - height * 1.65],
            6,
            fill=(40, 40, 48),
        )
    if lit:
        d.rectangle(
            [x + length - 8, ground - height * 0.85, x + length, ground - height * 0.6], fill=lit
        )


def chargers(image, rng):
    ground = H * 0.78
    image.paste(gradient((30, 44, 90), (250, 160, 110), (W, int(ground))))
    layer(image, lambda d: d.rectangle([0, ground, W, H], fill=(44, 46, 54)))
    layer(image, lambda d: d.rectangle([0, H * 0.12, W, H * 0.2], fill=(225, 228, 232)))
    posts = [W * (0.12 + 0.19 * i) for i in range(5)]
    layer(
        image,
        lambda d: [d.rectangle([x - 6, H * 0.2, x + 6, ground], fill=(90, 92, 100)) for x in posts],
    )

    def units(d):
        for x in posts:
            d.rounded_rectangle([x + 20, H * 0.42, x + 90, ground], 10, fill=(236, 238, 240))
            d.rounded_rectangle([x + 32, H * 0.47, x + 78, H * 0.56], 6, fill=(30, 40, 50))
            d.line(
                [(x + 86, H * 0.6), (x + 120, H * 0.7), (x + 110, ground - 8)],
                fill=(20, 20, 24),
                width=6,
            )

    layer(image, units)
    for x in posts:
        glow(image, (x + 55, H * 0.515), 40, (80, 255, 160), 1.0)
        glow(image, (x + 55, H * 0.2), 90, (255, 255, 240), 0.6)
    layer(image, lambda d: _car(d, W * 0.49, H * 0.93, 360, (30, 90, 150)))


def taxi(image, rng):
    ground = H * 0.86
    image.paste(gradient((10, 14, 36), (60, 50, 90), (W, int(ground))))
    speckle(
        image, rng, 400, (0, H * 0.1, W, H * 0.6), [(255, 210, 120), (200, 220, 255)], (80, 220)
    )
    layer(image, lambda d: d.rectangle([0, ground, W, H], fill=(30, 30, 36)))
    layer(image, lambda d: d.rectangle([0, ground + 20, W, ground + 26], fill=(200, 200, 190, 160)))
    layer(
        image,
        lambda d: _car(
            d, W * 0.2, ground + 6, 700, (240, 190, 40), sensor=True, lit=(255, 240, 200)
        ),
    )
    glow(image, (W * 0.2 + 700, ground - 130), 160, (255, 240, 200), 0.9)
    glow(image, (W * 0.5, ground - 410), 40, (120, 200, 255), 0.9)


def parked_cars(image, rng):
    image.paste(gradient((140, 180, 220), (230, 230, 225)))
    layer(image, lambda d: d.rectangle([0, H * 0.55, W, H], fill=(120, 122, 126)))
    colours = [
        (200, 40, 40),
        (240, 240, 240),
        (30, 60, 130),
        (40, 40, 44),
        (150, 155, 160),
        (30, 110, 90),
    ]
    for row, (ground, length) in enumerate(((H * 0.7, 300), (H * 0.98, 420))):
        step = length * 1.15
        x = -rng.uniform(0, length * 0.6) - row * 40
        while x < W:
            colour = rng.choice(colours)
            layer(image, lambda d, x=x, c=colour, g=ground, n=length: _car(d, x, g, n, c))
            x += step


def phone(image, rng, *, opened=False):
    image.paste(gradient((150, 110, 80), (90, 60, 45)))  # a wooden desk
    layer(
        image,
        lambda d: [
            d.line([(0, y), (W, y + 40)], fill=(120, 85, 60, 90), width=3)
            for y in range(-40, H, 37)
        ],
    )
    box = [W * 0.36, H * 0.06, W * 0.64, H * 0.94]
    layer(
        image,
        lambda d: d.rounded_rectangle([b + 14 for b in box], 48, fill=(0, 0, 0, 120)),
        blur=18,
    )
    layer(image, lambda d: d.rounded_rectangle(box, 48, fill=(24, 24, 28)))
    inner = [box[0] + 14, box[1] + 14, box[2] - 14, box[3] - 14]
    if opened:  # back off for repair: the battery and the board with its chips
        layer(image, lambda d: d.rounded_rectangle(inner, 36, fill=(60, 64, 70)))
        left, top, right, bottom = inner
        layer(
            image,
            lambda d: d.rounded_rectangle(
                [left + 20, top + 170, right - 20, bottom - 30], 14, fill=(40, 40, 46)
            ),
        )
        layer(
            image,
            lambda d: d.rounded_rectangle(
                [left + 12, top + 12, right - 12, top + 160], 10, fill=(30, 100, 60)
            ),
        )

        def chips(d):
            for _ in range(9):
                x, y = rng.uniform(left + 20, right - 70), rng.uniform(top + 20, top + 120)
                d.rectangle(
                    [x, y, x + rng.uniform(20, 50), y + rng.uniform(15, 30)], fill=(20, 22, 26)
                )
            d.ellipse([right - 70, top + 30, right - 30, top + 70], fill=(10, 10, 14))

        layer(image, chips)
        layer(
            image,
            lambda d: d.line(
                [(right + 60, H * 0.2), (right + 180, H * 0.5)], fill=(200, 200, 210), width=10
            ),
        )
        return
    screen = gradient(
        mix((40, 80, 200), (200, 60, 160), rng.random()),
        (20, 20, 60),
        (int(inner[2] - inner[0]), int(inner[3] - inner[1])),
    )
    mask = Image.new("L", screen.size)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, *screen.size], 36, fill=255)
    image.paste(screen, (int(inner[0]), int(inner[1])), mask)

    def tiles(d):
        size, gap = 48, 22
        for row in range(5):
            for col in range(4):
                x = inner[0] + 26 + col * (size + gap)
                y = inner[1] + 70 + row * (size + gap)
                colour = rng.choice(
                    [
                        (255, 200, 60),
                        (90, 220, 140),
                        (250, 250, 250),
                        (255, 110, 90),
                        (110, 190, 255),
                    ]
                )
                d.rounded_rectangle([x, y, x + size, y + size], 12, fill=colour)

    layer(image, tiles)


def wafer(image, rng):
    image.paste(gradient((20, 24, 40), (50, 40, 70)))
    cx, cy, r = W / 2, H / 2, H * 0.44
    layer(image, lambda d: d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(170, 180, 200)))
    sheen = gradient((120, 200, 255), (255, 140, 220), (int(2 * r), int(2 * r)))
    mask = Image.new("L", sheen.size)
    draw = ImageDraw.Draw(mask)
    step = 2 * r / 14
    for i in range(14):
        for j in range(14):
            x, y = i * step + 3, j * step + 3
            if ((x + step / 2 - r) ** 2 + (y + step / 2 - r) ** 2) ** 0.5 < r - step * 0.8:
                draw.rectangle([x, y, x + step - 6, y + step - 6], fill=150)
    image.paste(sheen, (int(cx - r), int(cy - r)), mask)
    glow(image, (cx - r * 0.4, cy - r * 0.5), 220, (255, 255, 255), 0.5)


def battery_cells(image, rng):
    image.paste(gradient((30, 32, 38), (14, 14, 18)))
    r = 34

    def cells(d):
        for row in range(int(H / (r * 1.75)) + 2):
            for col in range(int(W / (r * 2)) + 2):
                x = col * r * 2 + (r if row % 2 else 0)
                y = row * r * 1.75
                d.ellipse([x - r, y - r, x + r, y + r], fill=(40, 120, 200))
                d.ellipse(
                    [x - r * 0.75, y - r * 0.75, x + r * 0.75, y + r * 0.75], fill=(190, 195, 200)
                )
                d.ellipse(
                    [x - r * 0.3, y - r * 0.3, x + r * 0.3, y + r * 0.3], fill=(150, 155, 160)
                )

    layer(image, cells)
    glow(image, (W * rng.uniform(0.3, 0.7), H * 0.4), 420, (255, 255, 255), 0.35)


def books(image, rng):
    image.paste(gradient((60, 40, 30), (30, 20, 16)))
    colours = [
        (150, 40, 40),
        (30, 70, 120),
        (200, 160, 60),
        (40, 100, 70),
        (230, 220, 200),
        (90, 50, 100),
        (20, 20, 24),
    ]
    for shelf in (H * 0.47, H * 0.95):

        def spines(d, shelf=shelf):
            x = rng.uniform(0, 20)
            while x < W:
                width, height = rng.uniform(26, 60), rng.uniform(200, 270)
                colour = rng.choice(colours)
                d.rectangle([x, shelf - height, x + width, shelf], fill=colour)
                band = mix(colour, (255, 220, 140), 0.5)
                d.rectangle(
                    [x + 4, shelf - height + 24, x + width - 4, shelf - height + 30], fill=band
                )
                x += width + rng.uniform(1, 4)

        layer(image, spines)
        layer(image, lambda d, s=shelf: d.rectangle([0, s, W, s + 18], fill=(90, 60, 40)))
    glow(image, (W * 0.3, H * 0.1), 500, (255, 220, 160), 0.4)


def gallery(image, rng):
    image.paste(gradient((236, 232, 224), (200, 196, 188)))
    layer(image, lambda d: d.rectangle([0, H * 0.82, W, H], fill=(150, 120, 90)))
    frames = [(W * 0.07, 0.2, 0.62, 300), (W * 0.38, 0.14, 0.68, 320), (W * 0.71, 0.24, 0.58, 250)]
    for left, top, bottom, width in frames:
        box = (int(left), int(H * top), int(left + width), int(H * bottom))
        layer(
            image,
            lambda d, b=box: d.rectangle(
                [b[0] + 10, b[1] + 14, b[2] + 10, b[3] + 14], fill=(0, 0, 0, 90)
            ),
            blur=10,
        )
        layer(image, lambda d, b=box: d.rectangle(b, fill=(120, 90, 40)))
        inner = (box[2] - box[0] - 36, box[3] - box[1] - 36)
        top_colour = rng.choice([(40, 80, 150), (220, 120, 60), (70, 130, 90), (200, 190, 150)])
        image.paste(
            gradient(top_colour, mix(top_colour, (20, 20, 30), 0.6), inner),
            (box[0] + 18, box[1] + 18),
        )
        glow(image, ((box[0] + box[2]) / 2, box[1] - 40), 200, (255, 240, 210), 0.5)


def screen(image, rng):
    image.paste(gradient((14, 14, 24), (6, 6, 10)))
    box = [W * 0.2, H * 0.12, W * 0.8, H * 0.64]
    glow(image, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), 560, (80, 120, 220), 0.6)
    layer(
        image,
        lambda d: d.rectangle(
            [b - 8 if i < 2 else b + 8 for i, b in enumerate(box)], fill=(10, 10, 12)
        ),
    )
    picture = gradient((250, 170, 90), (40, 60, 140), (int(box[2] - box[0]), int(box[3] - box[1])))
    image.paste(picture, (int(box[0]), int(box[1])))
    layer(
        image,
        lambda d: d.ellipse([W * 0.5 - 60, H * 0.3, W * 0.5 + 60, H * 0.5], fill=(255, 230, 170)),
    )
    layer(
        image,
        lambda d: d.rounded_rectangle([W * 0.05, H * 0.72, W * 0.95, H * 1.1], 60, fill=(4, 4, 8)),
    )
    layer(
        image,
        lambda d: [
            d.ellipse([x - 55, H * 0.6, x + 55, H * 0.78], fill=(4, 4, 8))
            for x in (W * 0.38, W * 0.62)
        ],
    )


def floodlight(image, rng):
    image.paste(gradient((20, 30, 70), (200, 110, 90)))
    x0, top = W * rng.uniform(0.55, 0.65), H * 0.12
    layer(
        image,
        lambda d: d.polygon(
            [(x0 - 30, H), (x0 + 30, H), (x0 + 12, top + 200), (x0 - 12, top + 200)],
            fill=(30, 30, 40),
        ),
    )
    layer(image, lambda d: d.rectangle([x0 - 190, top, x0 + 190, top + 210], fill=(40, 40, 50)))
    for row in range(3):
        for col in range(5):
            centre = (x0 - 150 + col * 75, top + 35 + row * 70)
            layer(
                image,
                lambda d, c=centre: d.ellipse(
                    [c[0] - 28, c[1] - 28, c[0] + 28, c[1] + 28], fill=(250, 250, 240)
                ),
            )
            glow(image, centre, 90, (220, 235, 255), 0.8)
    layer(
        image,
        lambda d: d.polygon(
            [(0, H * 0.86), (W * 0.4, H * 0.8), (W * 0.4, H), (0, H)], fill=(24, 24, 30)
        ),
    )
