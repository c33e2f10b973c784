"""The web fonts as a reader's browser gets them: every face fonts.css declares is a file that
the static pipeline (collectstatic's hashed names, whitenoise) serves, Source Serif 4's italic
among them, so an <em> in a story is the typeface's own italic and not its roman slanted."""

import re
from pathlib import Path

import pytest
from django.templatetags.static import static

STATIC = Path(__file__).resolve().parents[1] / "static"
FACE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}")
WEB_FONT = re.compile(r"url\(\"?(?P<url>[^\")]+\.woff2)\"?\)")


def declared_faces(css: str) -> list[dict]:
    """Each @font-face that downloads a file: its family, style and url."""
    faces = []
    for face in FACE.finditer(css):
        body = face["body"]
        url = WEB_FONT.search(body)
        if not url:
            continue  # a local() stand-in (fonts.css), nothing to download
        faces.append(
            {
                "family": re.search(r"font-family:\s*\"([^\"]+)\"", body)[1],
                "style": re.search(r"font-style:\s*(\w+)", body)[1],
                "display": re.search(r"font-display:\s*(\w+)", body)[1],
                "url": url["url"],
            }
        )
    return faces


def test_fonts_css_declares_source_serif_4_upright_and_italic_from_vendored_files():
    faces = declared_faces((STATIC / "css" / "fonts.css").read_text())
    assert {(face["family"], face["style"]) for face in faces} == {
        ("Source Serif 4", "normal"),
        ("Source Serif 4", "italic"),
    }
    for face in faces:
        assert face["display"] == "swap", face  # text shows in a stand-in until it arrives
        font = (STATIC / "css" / face["url"]).resolve()
        assert font.is_relative_to(STATIC / "vendor" / "source-serif-4"), face
        assert font.read_bytes()[:4] == b"wOF2", f"{font} is not a WOFF2 file"
    assert (STATIC / "vendor" / "source-serif-4" / "LICENSE").read_text().count("OFL") > 0


@pytest.mark.django_db
def test_the_served_fonts_css_points_at_served_font_files(client):
    """What a page links (the hashed fonts.css) names hashed font files, and each is served,
    the bytes of the vendored file, as a font, cached for good (a new file gets a new name)."""
    css_url = static("css/fonts.css")
    assert css_url != "/static/css/fonts.css", "run collectstatic: no hashed names"
    response = client.get(css_url)
    assert response.status_code == 200
    css = b"".join(response.streaming_content).decode()
    faces = declared_faces(css)
    assert {face["style"] for face in faces} == {"normal", "italic"}
    for face in faces:
        url = "/static/" + re.sub(r"^(\.\./)+", "", face["url"])
        font = client.get(url)
        assert font.status_code == 200, url
        assert font["Content-Type"] == "font/woff2"
        assert "immutable" in font["Cache-Control"]
        original = re.sub(r"\.[0-9a-f]{12}\.woff2$", ".woff2", Path(face["url"]).name)
        vendored = STATIC / "vendor" / "source-serif-4" / original
        assert b"".join(font.streaming_content) == vendored.read_bytes()
