"""Lesson HTML: sanitised by an allow-list, images and links kept inside the pack and sized from their
headers, themed CSS."""

from __future__ import annotations

import struct

from mcdesk.learning.render import (
    LessonColours,
    PageImage,
    fit_image,
    image_size,
    lesson_css,
    lesson_html,
    size_images,
)

FILES = {"lessons/a.md", "lessons/b.md", "media/dot.svg"}


def render(markdown: str) -> str:
    return lesson_html("lessons/a.md", markdown, FILES)


def test_script_tags_and_their_content_are_removed() -> None:
    html = render("Hello\n\n<script>alert('pwned')</script>\n\n<p onclick=\"steal()\">Hi</p>\n")
    assert "script" not in html.lower() and "pwned" not in html
    assert "onclick" not in html and "steal" not in html
    assert "Hello" in html and "Hi" in html


def test_style_iframe_object_and_forms_are_removed() -> None:
    html = render("<style>body{display:none}</style>\n\n<iframe src=\"https://x.org\"></iframe>"
                  "<object data=\"x\"></object><form><input name=\"pin\"></form>\n\ntext\n")
    for word in ("style", "display", "iframe", "object", "form", "input"):
        assert word not in html.lower()
    assert "text" in html


def test_a_remote_image_is_dropped_and_its_alt_text_shown_instead() -> None:
    html = render("![Remote chart](https://example.org/x.png)\n\n![](http://example.org/y.png)\n")
    assert "example.org" not in html and "<img" not in html
    assert '<span class="missing-image">Remote chart</span>' in html


def test_an_image_inside_the_pack_is_kept_with_its_pack_path() -> None:
    html = render("![a dot](../media/dot.svg)\n")
    assert '<img alt="a dot" src="media/dot.svg">' in html


def test_images_outside_the_pack_are_dropped() -> None:
    for src in ("../../etc/passwd.png", "/etc/x.png", "file:///etc/x.png", "media/missing.svg",
                "data:image/png;base64,AAAA", "//evil.org/x.png"):
        html = render(f"![x]({src})\n")
        assert "<img" not in html, src


def test_links_stay_inside_the_pack_or_go_to_the_web_and_nothing_else() -> None:
    html = render("[next](b.md) [web](https://example.org/page) [mail](mailto:a@b.org) "
                  "[js](javascript:alert(1)) [out](../../x.md) [anchor](#part)\n")
    assert 'href="lessons/b.md"' in html
    assert 'href="https://example.org/page"' in html and 'rel="noopener noreferrer"' in html
    assert 'href="mailto:a@b.org"' in html
    assert "javascript" not in html and "x.md" not in html
    assert 'href="#part"' in html


def test_tables_get_borders_and_padding_the_text_engine_understands() -> None:
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<table border="1" cellspacing="0" cellpadding="6">' in html
    assert "<th>a</th>" in html and "<td>2</td>" in html


def test_lesson_css_uses_the_theme_colours_and_sets_no_font_size() -> None:
    colours = LessonColours(text="#111111", background="#fefefe", link="#0000aa", border="#777777",
                            header_background="#eeeeee", code_background="#f5f5f5", quote="#444444")
    css = lesson_css(colours)
    for colour in ("#111111", "#fefefe", "#0000aa", "#777777", "#eeeeee", "#f5f5f5"):
        assert colour in css
    assert "font-size" not in css
    assert "pre-wrap" in css  # long code lines wrap instead of running off the page


# --- image sizes -------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header


def test_image_size_reads_png_gif_jpeg_and_svg_headers() -> None:
    assert image_size(_png(640, 360)) == (640, 360)
    assert image_size(b"GIF89a" + struct.pack("<HH", 31, 17) + b"\0" * 8) == (31, 17)
    jpeg = (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
            + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 120, 200, 1) + b"\0" * 3)
    assert image_size(jpeg) == (200, 120)
    assert image_size(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" '
                      b'height="32" viewBox="0 0 8 4"/>') == (64, 32)
    assert image_size(b'<svg viewBox="0 0 300 150"></svg>') == (300, 150)
    assert image_size(b'<svg width="2in" height="72pt"></svg>') == (180, 90)
    assert image_size(b'<svg width="50%" height="100%" viewBox="0 0 200 100"></svg>') == (100, 100)


def test_image_size_is_none_when_unsure() -> None:
    for data in (b"", b"not an image", b'<svg width="10em" height="2em"/>', b"<svg></svg>", b"\xff\xd8\xff",
                 _png(0, 10)):
        assert image_size(data) is None, data
    turned = (b"\xff\xd8\xff\xe1" + struct.pack(">H", 2 + 6 + 8 + 2 + 12) + b"Exif\0\0" + b"II*\0"
              + struct.pack("<I", 8) + struct.pack("<H", 1) + struct.pack("<HHIHH", 0x0112, 3, 1, 6, 0)
              + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 120, 200, 1))
    assert image_size(turned) is None  # EXIF says a quarter turn: the viewer measures it itself


def test_size_images_writes_each_images_size_fitted_to_the_room() -> None:
    html = render("![a dot](../media/dot.svg)\n\n<img src=\"../media/dot.svg\" width=\"100\" alt=\"sized\">\n")
    sizes = {"media/dot.svg": (800, 400)}
    sized = size_images(html, sizes.get, room=None)
    assert sized.complete and sized.room is None
    assert sized.images == (PageImage("media/dot.svg", 800, 400), PageImage("media/dot.svg", 100, 50))
    assert 'src="media/dot.svg" width="800" height="400">' in sized.html
    assert 'width="100" height="50"' in sized.html  # a width alone keeps the picture's shape
    fitted = size_images(html, sizes.get, room=600)
    assert 'width="600" height="300"' in fitted.html and 'width="100" height="50"' in fitted.html
    assert fitted.images == sized.images  # what each image asks for, before fitting
    assert fit_image(800, 400, 10) == (48, 24)  # never narrower than the smallest room


def test_size_images_leaves_an_image_of_unknown_size_to_the_viewer() -> None:
    html = render("![a dot](../media/dot.svg)\n")
    sized = size_images(html, lambda _src: None, room=600)
    assert not sized.complete and sized.images == ()
    assert sized.html == html


def test_fenced_code_renders_as_plain_pre_code_without_loading_pygments() -> None:
    """Python-Markdown's code highlighting module is loaded with Pygments hidden from it (mcdesk never
    enables highlighting): fenced code is a plain, escaped <pre><code>, and Pygments stays unloaded."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from mcdesk.learning.render import lesson_html\n"
            "html = lesson_html('lessons/a.md', '```python\\nx = 1 < 2\\n```\\n', set())\n"
            "print(html)\n"
            "print('pygments' in sys.modules)\n"
            "import pygments\n"  # still importable afterwards for anything else that wants it
            "print(pygments.__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    html, loaded, imported = done.stdout.strip().rsplit("\n", 2)
    assert "<pre><code" in html and "x = 1 &lt; 2" in html and "codehilite" not in html
    assert loaded == "False" and imported == "pygments"


def test_fenced_code_renders_the_same_when_pygments_was_loaded_first() -> None:
    import subprocess
    import sys

    code = ("import pygments, pygments.lexers\n"
            "from mcdesk.learning.render import lesson_html\n"
            "print(lesson_html('lessons/a.md', '```python\\nx = 1 < 2\\n```\\n', set()))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == render("```python\nx = 1 < 2\n```\n")
