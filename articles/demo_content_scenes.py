"""Demo hero scenes of built places: roads, skylines, factories, buildings, stadiums, ports."""

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from articles.demo_content_drawing import H, W, glow, gradient, layer, ridge, speckle


def road(image, rng, *, traffic=True):
    horizon = H * rng.uniform(0.5, 0.56)
    # Dusk with traffic; first light without.
    sky = ((24, 38, 84), (238, 136, 72)) if traffic else ((96, 140, 196), (252, 214, 170))
    image.paste(gradient(*sky, (W, int(horizon))))
    sun_x = W * rng.uniform(0.3, 0.7)
    glow(image, (sun_x, horizon), 420, (255, 170, 90), 0.9)
    for shade, rough in (((70, 60, 90), 9), ((38, 34, 56), 14)):
        layer(image, lambda d, s=shade, r=rough: d.polygon(ridge(rng, horizon - 10, r), fill=s))
    layer(image, lambda d: d.rectangle([0, horizon, W, H], fill=(28, 26, 34)))
    vx = sun_x + rng.uniform(-80, 80)
    layer(
        image,
        lambda d: d.polygon(
            [(vx - 6, horizon), (vx + 6, horizon), (W * 0.9, H), (W * 0.1, H)], fill=(52, 50, 58)
        ),
    )

    def marks(d):
        for i in range(1, 14):
            t0, t1 = (i / 14) ** 2, ((i + 0.45) / 14) ** 2
            y0, y1 = horizon + (H - horizon) * t0, horizon + (H - horizon) * t1
            x0, x1 = vx + (W * 0.5 - vx) * t0, vx + (W * 0.5 - vx) * t1
            d.polygon(
                [
                    (x0 - 1 - 5 * t0, y0),
                    (x0 + 1 + 5 * t0, y0),
                    (x1 + 1 + 5 * t1, y1),
                    (x1 - 1 - 5 * t1, y1),
                ],
                fill=(235, 220, 180, 220),
            )

    layer(image, marks)
    lamps = []  # street lamps on the right, nearer ones taller
    for i in range(1, 7):
        t = (i / 7) ** 1.6
        lamps.append((vx + (W * 0.97 - vx) * t, horizon + (H - horizon) * t, 10 + 260 * t, t))
    layer(
        image,
        lambda d: [
            d.line([(x, y), (x, y - p)], fill=(20, 18, 24), width=max(1, int(5 * t)))
            for x, y, p, t in lamps
        ],
    )
    for x, y, pole, t in lamps:
        glow(image, (x, y - pole), int(20 + 60 * t), (255, 200, 130), 0.9)
    if traffic:
        for _ in range(rng.randint(2, 4)):  # tail lights of cars driving away
            t = rng.uniform(0.08, 0.5)
            x = vx + (W * 0.4 - vx) * t + rng.uniform(-10, 10) * t
            y = horizon + (H - horizon) * t
            gap = 8 + 60 * t
            for side in (-1, 1):
                glow(image, (x + side * gap, y), int(6 + 30 * t), (255, 40, 30), 1.0)


def skyline(image, rng, *, night=True):
    water = H * 0.72
    top, bottom = ((12, 16, 44), (92, 60, 120)) if night else ((120, 160, 205), (240, 200, 170))
    image.paste(gradient(top, bottom, (W, int(water))))
    if night:
        speckle(image, rng, 160, (0, 0, W, water * 0.6), [(255, 255, 255)], (60, 200))
    else:
        glow(image, (W * rng.uniform(0.2, 0.8), water * 0.55), 300, (255, 210, 160), 0.8)
    for depth, (shade, lit) in enumerate(
        (((70, 64, 110), 0.0), ((40, 38, 70), 0.15), ((18, 18, 32), 0.35))
    ):

        def buildings(d, depth=depth, shade=shade, lit=lit):
            x = rng.uniform(-40, 0)
            while x < W:
                width = rng.uniform(40, 110) * (1 + depth * 0.2)
                height = rng.uniform(80, 260) + depth * 30 + (140 if rng.random() < 0.1 else 0)
                top = water - height
                d.rectangle([x, top, x + width, water], fill=shade)
                if rng.random() < 0.3:  # a mast on the roof
                    d.line([(x + width / 2, top), (x + width / 2, top - 30)], fill=shade, width=3)
                for wy in range(int(top) + 8, int(water) - 6, 14):
                    for wx in range(int(x) + 6, int(x + width) - 6, 12):
                        if rng.random() < lit * (1.6 if night else 0.5):
                            d.rectangle([wx, wy, wx + 5, wy + 7], fill=(255, 214, 140, 230))
                x += width + rng.uniform(-8, 14)

        layer(image, buildings, blur=1.2 - depth * 0.5)
    reflection = image.crop((0, int(water * 2 - H), W, int(water))).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    reflection = reflection.filter(ImageFilter.GaussianBlur(3)).point(lambda v: int(v * 0.55))
    image.paste(reflection, (0, int(water)))
    layer(
        image,
        lambda d: [
            d.line([(rng.uniform(0, W), y), (rng.uniform(0, W), y)], fill=(255, 255, 255, 40))
            for y in range(int(water) + 4, H, 9)
        ],
    )


def factory(image, rng):
    ground = H * 0.74
    image.paste(gradient((96, 110, 130), (236, 176, 120), (W, int(ground))))
    glow(image, (W * rng.uniform(0.55, 0.85), ground - 60), 380, (255, 190, 120), 0.8)
    layer(image, lambda d: d.polygon(ridge(rng, ground - 40, 6), fill=(120, 112, 124)), blur=2)
    x = rng.uniform(-60, 0)
    halls = []
    while x < W:
        width = rng.uniform(220, 380)
        halls.append((x, width, rng.uniform(90, 170)))
        x += width + rng.uniform(10, 50)
    chimneys = [
        [x + width * rng.uniform(0.15, 0.85) for _ in range(rng.randint(0, 2))]
        for x, width, _ in halls
    ]

    def smoke(d):  # drifting away with the wind
        for (_, _, height), stacks in zip(halls, chimneys, strict=True):
            for sx in stacks:
                for i in range(7):
                    top = ground - height - 200 - i * 34
                    d.ellipse(
                        [sx - 20 + i * 12, top, sx + 30 + i * 44, top + 50 + i * 4],
                        fill=(225, 222, 226, 120 - i * 14),
                    )

    layer(image, smoke, blur=14)
    for (x, width, height), stacks in zip(halls, chimneys, strict=True):

        def hall(d, x=x, width=width, height=height, stacks=stacks):
            teeth = max(3, int(width // 60))
            roof = [(x, ground)]
            for i in range(teeth):
                left = x + width * i / teeth
                roof += [
                    (left, ground - height),
                    (left + width / teeth, ground - height - 36),
                    (left + width / teeth, ground - height),
                ]
            d.polygon([*roof, (x + width, ground)], fill=(34, 34, 44))
            for sx in stacks:
                d.rectangle(
                    [sx - 9, ground - height - 200, sx + 9, ground - height], fill=(30, 30, 40)
                )
            for wx in range(int(x) + 14, int(x + width) - 20, 26):
                d.rectangle(
                    [wx, ground - height * 0.55, wx + 14, ground - height * 0.55 + 22],
                    fill=(255, 196, 110, 200),
                )

        layer(image, hall)
    layer(image, lambda d: d.rectangle([0, ground, W, H], fill=(46, 44, 50)))
    layer(
        image,
        lambda d: (
            [
                d.line([(x, ground + 30), (x, ground + 70)], fill=(24, 24, 30), width=3)
                for x in range(0, W, 40)
            ]
            + [d.line([(0, ground + 36), (W, ground + 36)], fill=(24, 24, 30), width=2)]
        ),
    )


def facade(image, rng):
    image.paste(gradient((120, 170, 220), (220, 232, 240)))
    layer(
        image,
        lambda d: [
            d.ellipse(
                [
                    x := rng.uniform(-100, W),
                    y := rng.uniform(0, H * 0.4),
                    x + rng.uniform(160, 360),
                    y + rng.uniform(40, 90),
                ],
                fill=(250, 250, 252, 170),
            )
            for _ in range(7)
        ],
        blur=22,
    )
    left, right = W * rng.uniform(0.05, 0.2), W * rng.uniform(0.8, 0.95)
    top_l, top_r = H * 0.1, H * 0.32
    ground = H * 0.9

    def building(d):
        d.polygon(
            [(left, top_l), (right, top_r), (right, ground), (left, ground)], fill=(70, 92, 120)
        )
        for i in range(13):
            t = i / 12
            x = left + (right - left) * t
            d.line([(x, top_l + (top_r - top_l) * t), (x, ground)], fill=(200, 210, 220), width=3)
        for j in range(1, 9):
            s = j / 9
            d.line(
                [(left, top_l + (ground - top_l) * s), (right, top_r + (ground - top_r) * s)],
                fill=(200, 210, 220),
                width=2,
            )

    layer(image, building)
    sheen = gradient((255, 255, 255), (40, 60, 90)).rotate(25)
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).polygon(
        [(left, top_l), (right, top_r), (right, ground), (left, ground)], fill=90
    )
    image.paste(Image.composite(ImageChops.screen(image, sheen), image, mask))
    layer(image, lambda d: d.rectangle([0, ground, W, H], fill=(150, 146, 140)))
    layer(
        image,
        lambda d: [
            d.ellipse([x - 40, ground - 90, x + 40, ground + 10], fill=(40, 70, 44))
            for x in (W * 0.1, W * 0.3, W * 0.55, W * 0.85)
        ],
        blur=2,
    )


def stadium(image, rng, *, dusk=False):
    image.paste(
        gradient(*(((40, 60, 120), (240, 150, 100)) if dusk else ((8, 12, 30), (30, 40, 70))))
    )
    stands_top, pitch_top = H * 0.28, H * 0.5
    layer(
        image,
        lambda d: d.polygon(
            [(0, stands_top + 40), (W, stands_top), (W, pitch_top), (0, pitch_top)],
            fill=(30, 30, 40),
        ),
    )
    crowd = [(200, 40, 50), (230, 230, 230), (40, 80, 200), (240, 200, 60)]
    speckle(image, rng, 9000, (0, stands_top + 30, W, pitch_top), crowd)

    def pitch(d, stripes=12):  # mown stripes, narrower towards the far side
        for i in range(stripes):
            y0 = pitch_top + (H - pitch_top) * (i / stripes) ** 1.3
            y1 = pitch_top + (H - pitch_top) * ((i + 1) / stripes) ** 1.3
            d.rectangle([0, y0, W, y1], fill=(46, 120, 56) if i % 2 else (54, 138, 64))

    layer(image, pitch)

    def lines(d):
        d.line(
            [(W * 0.08, pitch_top + 30), (W * 0.92, pitch_top + 30)], fill=(235, 240, 235), width=3
        )
        d.line([(W / 2, pitch_top + 30), (W / 2, H)], fill=(235, 240, 235), width=4)
        d.ellipse([W / 2 - 190, H * 0.66, W / 2 + 190, H * 0.9], outline=(235, 240, 235), width=4)

    layer(image, lines)
    for x in (W * 0.08, W * 0.92):
        layer(
            image,
            lambda d, x=x: d.line(
                [(x, stands_top + 20), (x, H * 0.02)], fill=(60, 60, 70), width=6
            ),
        )
        layer(
            image,
            lambda d, x=x: d.rectangle([x - 50, H * 0.02, x + 50, H * 0.08], fill=(240, 240, 230)),
        )
        glow(image, (x, H * 0.05), 120 if dusk else 260, (230, 240, 255), 0.9)
