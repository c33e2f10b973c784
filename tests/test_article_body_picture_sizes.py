"""Pictures of ours in an article's body are drawn at their own size, read from the file once
when the story is saved: the text below them does not jump as they load. A picture whose size
cannot be read goes without, and the story still saves."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from tests.test_article_body_rendering_more import _body


def _uploaded(name: str, content: bytes) -> str:
    """The address of a file saved to the media storage, as an editor would paste it."""
    return default_storage.url(default_storage.save(name, ContentFile(content)))


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _img(body: str, alt: str) -> str:
    return re.search(rf'<img [^>]*alt="{alt}"[^>]*>', body).group(0)


@pytest.mark.parametrize("after", ["", "?v=2", "#plant"])
def test_a_picture_uploaded_to_our_media_has_its_width_and_height_on_the_page(
    client, make_article, after
):
    src = _uploaded("body/plant.png", _png(640, 360)) + after
    article = make_article(body=f'Before.\n\n![Cars at the plant]({src} "In May")\n\nAfter.')

    img = _img(_body(client, article), "Cars at the plant")

    assert 'width="640"' in img and 'height="360"' in img


def test_a_picture_among_our_static_files_has_its_width_and_height_too(client, make_article):
    article = make_article(body="Our mark: ![The logo](/static/logo.png).")

    img = _img(_body(client, article), "The logo")

    assert 'width="512"' in img and 'height="512"' in img


@pytest.mark.parametrize("trouble", ["missing", "not a picture", "storage error"])
def test_a_picture_whose_size_cannot_be_read_has_none_and_the_story_still_saves(
    client, make_article, monkeypatch, trouble
):
    good = _uploaded("body/good.png", _png(300, 200))
    if trouble == "missing":
        bad = "/media/body/never-uploaded.png"
    elif trouble == "not a picture":
        bad = _uploaded("body/page.png", b"<?php echo 1; ?>")
    else:
        bad = _uploaded("body/away.png", _png(50, 50))
        real_open = FileSystemStorage.open

        def unreachable(storage, name, mode="rb"):
            if "away" in name:  # object storage fails with errors of its own, not OSError
                raise RuntimeError("the object store did not answer")
            return real_open(storage, name, mode)

        monkeypatch.setattr(FileSystemStorage, "open", unreachable)

    article = make_article(body=f"![Good]({good})\n\n![Bad]({bad})\n\nThe words.")

    body = _body(client, article)
    assert 'width="300" height="200"' in _img(body, "Good")
    assert f'src="{bad}"' in _img(body, "Bad")
    assert "width=" not in _img(body, "Bad") and "height=" not in _img(body, "Bad")
    assert "The words." in body


def test_a_width_or_height_typed_as_html_gives_way_to_the_files_own(client, make_article):
    src = _uploaded("body/chart.png", _png(500, 250))
    article = make_article(
        body=f'<img src="{src}" alt="Chart" width="1" height="99999">\n\n'
        '<img src="/media/body/gone.png" alt="Gone" width="5000" height="1">'
    )

    body = _body(client, article)

    chart = _img(body, "Chart")
    assert 'width="500"' in chart and 'height="250"' in chart
    assert "99999" not in chart and 'width="1"' not in chart
    assert "width=" not in _img(body, "Gone") and "height=" not in _img(body, "Gone")


def test_render_bodies_gives_a_story_saved_before_its_pictures_sizes(client, make_article):
    src = _uploaded("body/old.png", _png(800, 450))
    article = make_article(body=f"Text.\n\n![Old picture]({src})")
    # As the body was stored before pictures were sized.
    Article.objects.filter(pk=article.pk).update(
        body_html=f'<p>Text.</p>\n<figure><img alt="Old picture" src="{src}"></figure>'
    )
    updated_at = Article.objects.get(pk=article.pk).updated_at
    out = io.StringIO()

    call_command("render_bodies", stdout=out)

    img = _img(_body(client, article), "Old picture")
    assert 'width="800"' in img and 'height="450"' in img
    assert Article.objects.get(pk=article.pk).updated_at == updated_at  # no "Updated" line
    assert out.getvalue().startswith("1 of 1 article bodies rendered again.\n")
    again = io.StringIO()
    call_command("render_bodies", stdout=again)
    assert again.getvalue() == "0 of 1 article bodies rendered again.\n"  # the same HTML
