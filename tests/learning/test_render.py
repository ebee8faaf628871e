"""Lesson HTML: sanitised by an allow-list, images and links kept inside the pack, themed CSS."""

from __future__ import annotations

from mcdesk.learning.render import LessonColours, lesson_css, lesson_html

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
