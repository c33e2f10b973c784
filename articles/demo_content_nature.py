"""Demo hero scenes of nature, science and culture: space, the sea, hills, a stage, a lab."""

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from articles.demo_content_drawing import H, W, glow, gradient, layer, mix, noise, ridge, speckle


def space(image, rng):
    image.paste(gradient((2, 2, 10), (14, 18, 46)))
    speckle(image, rng, 900, (0, 0, W, H), [(255, 255, 255)], (40, 255))
    for _ in range(6):
        glow(image, (rng.randrange(W), rng.randrange(H)), rng.randint(8, 18), (200, 220, 255), 0.9)
    radius = int(H * rng.uniform(0.65, 0.8))
    cx, cy = W * rng.uniform(0.62, 0.75), H * rng.uniform(0.75, 0.95)
    glow(image, (cx, cy), int(radius * 1.15), (255, 120, 80), 0.7)
    disc = Image.new("L", (radius * 2, radius * 2), 0)
    ImageDraw.Draw(disc).ellipse([0, 0, radius * 2 - 1, radius * 2 - 1], fill=255)
    surface = gradient((232, 132, 84), (120, 46, 26), (radius * 2, radius * 2))
    bands = (
        noise(rng, (radius // 8, radius // 8), 0.5)
        .resize((radius * 2, radius * 2), Image.Resampling.BICUBIC)
        .filter(ImageFilter.GaussianBlur(12))
        .convert("RGB")
    )
    surface = Image.blend(surface, ImageChops.multiply(surface, bands), 0.45)
    shade = (
        Image.linear_gradient("L")
        .rotate(-35)
        .resize((radius * 2, radius * 2))
        .point(lambda v: max(0, v - 70))
    )
    surface = Image.composite(Image.new("RGB", surface.size, (8, 4, 4)), surface, shade)
    image.paste(surface, (int(cx - radius), int(cy - radius)), disc)


def sea(image, rng):
    image.paste(gradient((58, 170, 190), (6, 32, 70)))

    def rays(d):
        for _ in range(7):
            x = rng.uniform(0, W)
            spread = rng.uniform(40, 120)
            d.polygon(
                [(x - 20, 0), (x + 20, 0), (x + spread + 200, H), (x - spread + 200, H)],
                fill=(220, 255, 250, 40),
            )

    layer(image, rays, blur=18)
    for shade, base in (((20, 70, 96), H * 0.78), ((14, 44, 66), H * 0.86)):
        layer(image, lambda d, s=shade, b=base: d.polygon(ridge(rng, b, 10), fill=s), blur=1)
    palette = [(240, 110, 96), (250, 170, 80), (200, 90, 160), (120, 200, 170)]

    def coral(d):
        for _ in range(26):
            x, y = rng.uniform(0, W), H * rng.uniform(0.8, 1.0)
            colour = (*rng.choice(palette), 230)
            for _ in range(rng.randint(3, 6)):  # branches
                angle = rng.uniform(-0.9, 0.9)
                length = rng.uniform(40, 110)
                end = (x + length * angle, y - length)
                d.line([(x, y), end], fill=colour, width=rng.randint(5, 10))
                d.ellipse([end[0] - 7, end[1] - 7, end[0] + 7, end[1] + 7], fill=colour)

    layer(image, coral, blur=1.2)
    layer(
        image,
        lambda d: [
            d.ellipse(
                [
                    x := rng.uniform(0, W),
                    y := rng.uniform(0, H * 0.8),
                    x + (r := rng.uniform(3, 9)),
                    y + r,
                ],
                outline=(230, 255, 255, 120),
                width=2,
            )
            for _ in range(40)
        ],
    )


def landscape(image, rng, *, panels=False):
    horizon = H * 0.58
    image.paste(gradient((250, 214, 140), (238, 120, 60), (W, int(horizon))))
    sun = (W * rng.uniform(0.3, 0.7), horizon * rng.uniform(0.35, 0.6))
    glow(image, sun, 360, (255, 236, 190), 1.0)
    layer(
        image,
        lambda d: d.ellipse(
            [sun[0] - 70, sun[1] - 70, sun[0] + 70, sun[1] + 70], fill=(255, 248, 220)
        ),
        blur=3,
    )
    tones = [(214, 140, 90), (170, 100, 62), (120, 70, 44), (80, 46, 30)]
    for i, tone in enumerate(tones):
        layer(
            image,
            lambda d, t=tone, i=i: d.polygon(ridge(rng, horizon + i * 45, 12 + i * 4), fill=t),
            blur=max(0, 3 - i),
        )
    if panels:

        def rows(d):
            for row in range(3):
                y = H * (0.74 + row * 0.08)
                for x in range(-60 + row * 30, W, 150):
                    top, depth = y, 34 + row * 8
                    d.polygon(
                        [(x, top), (x + 120, top), (x + 140, top + depth), (x + 20, top + depth)],
                        fill=(28, 44, 92),
                    )
                    d.line([(x + 60, top), (x + 80, top + depth)], fill=(120, 150, 210), width=2)
                    d.line(
                        [(x + 10, top + depth / 2), (x + 130, top + depth / 2)],
                        fill=(120, 150, 210),
                        width=2,
                    )

        layer(image, rows)
    else:
        layer(
            image,
            lambda d: [
                d.line([(x, H * 0.7), (x + 4, H * 0.62)], fill=(60, 40, 26), width=3)
                for x in range(0, W, 37)
            ],
            blur=0.5,
        )


def stage(image, rng):
    image.paste(gradient((6, 4, 12), (40, 10, 26)))
    colours = [(255, 236, 200), (180, 200, 255), (255, 170, 200)]

    def beams(d):
        for i in range(4):
            x = W * (0.2 + 0.2 * i) + rng.uniform(-40, 40)
            target = x + rng.uniform(-220, 220)
            d.polygon(
                [(x - 8, 0), (x + 8, 0), (target + 150, H * 0.75), (target - 150, H * 0.75)],
                fill=(*colours[i % 3], 70),
            )

    layer(image, beams, blur=12)
    glow(image, (W / 2, H * 0.72), 420, (255, 200, 150), 0.6)
    for side in (0, 1):  # curtains

        def curtain(d, side=side):
            for i in range(9):
                x = i * 18 if side == 0 else W - 160 + i * 18
                d.rectangle([x, 0, x + 10, H], fill=(120 + (i % 2) * 40, 10, 24, 235))

        layer(image, curtain, blur=4)

    def audience(d):
        for row in range(3):
            y = H * (0.84 + row * 0.07)
            for x in range(-20, W + 40, 44):
                x += rng.uniform(-10, 10) + row * 22
                d.ellipse([x - 16, y - 34, x + 16, y], fill=(4, 2, 6))
                d.ellipse([x - 34, y - 8, x + 34, y + 60], fill=(4, 2, 6))

    layer(image, audience)


def lab(image, rng):
    image.paste(gradient((6, 10, 24), (20, 14, 40)))
    cx, cy = W * 0.5, H * 0.5

    def rings(d):
        for i in range(9):
            rx, ry = 80 + i * 55, 30 + i * 22
            colour = mix((90, 200, 255), (200, 110, 255), i / 8)
            d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=(*colour, 200), width=3)

    layer(image, rings, blur=1.5)
    layer(
        image,
        lambda d: [
            d.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(160, 220, 255, 160))
            for x in range(40, W, 60)
            for y in range(40, H, 60)
        ],
        blur=1,
    )
    glow(image, (cx, cy), 240, (140, 200, 255), 1.0)
    glow(image, (cx, cy), 60, (255, 255, 255), 1.0)
