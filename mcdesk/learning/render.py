"""Lesson Markdown to sanitised HTML (an allow-list of tags; links and images kept inside the pack), the
display sizes of its images (read from the files' headers) and the theme-aware style sheet of lesson pages."""

from __future__ import annotations

import re
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

import nh3

from mcdesk.packs.content import render_markdown, resolve

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"}, "th": {"align"},
    "li": {"id"}, "div": {"class"}, "sup": {"id"}, "span": {"class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
}


_HIGHLIGHTER = "markdown.extensions.codehilite"
_no_highlighter_lock = threading.Lock()


def load_markdown_without_pygments() -> None:
    """Import Python-Markdown's code-highlighting module with Pygments unavailable, before anything renders.

    The fenced-code extension the pack format allows imports that module, which imports Pygments (its
    lexer and formatter tables: about half a megabyte for the whole run) although it highlights only
    when the CodeHilite extension is enabled, which mcdesk never does: fenced code renders as plain
    ``<pre><code>`` either way. So the module is loaded once with Pygments hidden from it; the HTML is
    the same. Does nothing once the module is loaded (by this or by anything else)."""
    if _HIGHLIGHTER in sys.modules:
        return
    with _no_highlighter_lock:
        if _HIGHLIGHTER in sys.modules:
            return
        hidden = "pygments" not in sys.modules
        if hidden:
            sys.modules["pygments"] = None  # type: ignore[assignment]  # `import pygments` fails meanwhile
        try:
            import markdown.extensions.codehilite  # noqa: F401
        finally:
            if hidden:
                del sys.modules["pygments"]


def lesson_html(lesson_path: str, markdown_text: str, pack_files: set[str]) -> str:
    """Sanitised HTML for one lesson; images outside the pack are dropped, never fetched."""
    load_markdown_without_pygments()

    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            target = resolve(lesson_path, value)
            return target if target in pack_files else None
        if tag == "a" and attr == "href":
            scheme = urlsplit(value).scheme.lower()
            if scheme in ("http", "https", "mailto"):
                return value
            if scheme:
                return None
            if value.startswith("#"):
                return value
            target = resolve(lesson_path, value)
            return target if target in pack_files else None
        return value

    cleaned = nh3.clean(
        render_markdown(markdown_text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return _finish(cleaned)


# nh3's output is normalised (lower-case tags, double-quoted and escaped attribute values), so these
# patterns see every <img> and <table> it lets through.
_IMG = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="([^"]*)"')
_TABLE = re.compile(r"<table>")


def _finish(html: str) -> str:
    """An image whose source was dropped shows its alt text instead of a broken picture; tables get
    the cell spacing and padding the Qt text engine reads from attributes."""

    def image(match: re.Match[str]) -> str:
        tag = match.group(0)
        if re.search(r"\bsrc=", tag):
            return tag
        alt = _ALT.search(tag)
        return f'<span class="missing-image">{alt.group(1)}</span>' if alt and alt.group(1).strip() else ""

    html = _IMG.sub(image, html)
    return _TABLE.sub('<table border="1" cellspacing="0" cellpadding="6">', html)


# --- image sizes -------------------------------------------------------------------------------

IMAGE_HEADER_BYTES = 256 * 1024  # enough of an image file to find its size (JPEG headers can be long)
MIN_IMAGE_ROOM = 48  # pixels: an image is never scaled narrower than this


@dataclass(frozen=True)
class PageImage:
    """One image of a lesson page in document order: its pack path and the size the lesson asks for
    (the author's width/height attributes, else the picture's own size) before it is fitted to the page."""

    src: str
    width: float
    height: float


@dataclass(frozen=True)
class SizedHtml:
    """Lesson HTML whose images carry width and height attributes, fitted to ``room`` pixels (None: not
    fitted); ``complete`` is False when the size of some image could not be read (it has no attributes)."""

    html: str
    images: tuple[PageImage, ...]
    room: int | None
    complete: bool


def fit_image(width: float, height: float, room: int | None) -> tuple[float, float]:
    """The size an image of ``width`` x ``height`` is drawn at on a page ``room`` pixels wide: scaled
    down (keeping its shape) when wider, never up."""
    if room is None or width <= 0:
        return width, height
    scale = min(1.0, max(MIN_IMAGE_ROOM, room) / width)
    return width * scale, height * scale


def image_size(data: bytes) -> tuple[int, int] | None:
    """The pixel size a PNG, GIF, JPEG or SVG file opens at, from its first bytes; None if unsure."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
        elif data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
        elif data.startswith(b"\xff\xd8"):
            found = _jpeg_size(data)
            if found is None:
                return None
            width, height = found
        else:
            found = _svg_size(data)
            if found is None:
                return None
            width, height = found
    except struct.error:
        return None
    return (int(width), int(height)) if width > 0 and height > 0 else None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker == 0xE1 and _exif_turns(data[at + 4:at + 2 + length]):
            return None  # rotated by a quarter turn: let the viewer read it the slow way
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _exif_turns(segment: bytes) -> bool:
    """Whether an APP1 segment holds an EXIF orientation that swaps width and height (5..8)."""
    if not segment.startswith(b"Exif\0\0"):
        return False
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return True  # unreadable: be careful
    try:
        (ifd,) = struct.unpack(order + "I", tiff[4:8])
        (count,) = struct.unpack(order + "H", tiff[ifd:ifd + 2])
        for n in range(count):
            entry = tiff[ifd + 2 + 12 * n:ifd + 14 + 12 * n]
            tag, _kind, _count, value = struct.unpack(order + "HHIH", entry[:10])
            if tag == 0x0112:
                return value in (5, 6, 7, 8)
    except struct.error:
        return True
    return False


_SVG_ROOT = re.compile(rb"<svg\b([^>]*)>", re.IGNORECASE)
_SVG_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|%)?\s*$")
_SVG_UNITS = {None: 1.0, "px": 1.0, "pt": 1.25, "pc": 15.0, "mm": 3.543307, "cm": 35.43307, "in": 90.0}


def _svg_attribute(tag: str, name: str) -> str | None:
    match = re.search(r"(?:^|\s)" + name + r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    return None if match is None else unescape(match.group(1) if match.group(1) is not None else match.group(2))


def _svg_size(data: bytes) -> tuple[int, int] | None:
    """As Qt's SVG reader sizes a picture: its width and height (units as in SVG Tiny, a percentage of
    the viewBox), else its viewBox. Only the root tag is read, with regular expressions, never an XML parser."""
    root = _SVG_ROOT.search(data[:IMAGE_HEADER_BYTES])
    if root is None:
        return None
    tag = root.group(1).decode("utf-8", "replace")
    box = None
    view_box = _svg_attribute(tag, "viewBox")
    if view_box is not None:
        numbers = view_box.replace(",", " ").split()
        try:
            values = [float(v) for v in numbers]
        except ValueError:
            values = []
        if len(values) == 4 and values[2] > 0 and values[3] > 0:
            box = (values[2], values[3])
    sizes = []
    for name, whole in (("width", 0), ("height", 1)):
        text = _svg_attribute(tag, name)
        if text is None:
            sizes.append(None)
            continue
        match = _SVG_LENGTH.match(text)
        if match is None:
            return None  # em, ex or something odd: not sure how it is measured
        value, unit = float(match.group(1)), match.group(2)
        if unit == "%":
            if box is None:
                return None
            value = value / 100 * box[whole]
        else:
            value *= _SVG_UNITS[unit]
        sizes.append(value)
    width, height = sizes
    if width and height:
        return _round(width), _round(height)
    if box is not None:
        return _round(box[0]), _round(box[1])
    return None


def _round(value: float) -> int:
    return int(value + 0.5)


_IMG_SRC = re.compile(r'\bsrc="([^"]*)"')
_IMG_SIZE = re.compile(r'\s(width|height)="([^"]*)"')
_NUMBER = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(?:px)?\s*$")


def _number(text: str | None) -> float | None:
    match = _NUMBER.match(text) if text is not None else None
    return float(match.group(1)) if match and float(match.group(1)) > 0 else None


def _dimension(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def size_images(html: str, natural: Callable[[str], tuple[int, int] | None], room: int | None = None) -> SizedHtml:
    """Write each image's display size into its tag, so the viewer lays the page out without opening
    a single picture: the size the lesson asks for (a missing width or height follows the picture's
    shape), scaled down to ``room`` pixels when given. ``natural(src)`` is the picture's own size."""
    images: list[PageImage] = []
    complete = True

    def tag(match: re.Match[str]) -> str:
        nonlocal complete
        text = match.group(0)
        src_match = _IMG_SRC.search(text)
        if src_match is None:
            return text
        src = unescape(src_match.group(1))
        given = dict(_IMG_SIZE.findall(text))
        width, height = _number(given.get("width")), _number(given.get("height"))
        if width is None or height is None:
            own = natural(src)
            if own is None:
                complete = False
                return text
            if width is None and height is None:
                width, height = float(own[0]), float(own[1])
            elif width is None:
                assert height is not None
                width = height * own[0] / own[1]
            else:
                height = width * own[1] / own[0]
        assert width is not None and height is not None
        images.append(PageImage(src, width, height))
        shown_width, shown_height = fit_image(width, height, room)
        bare = _IMG_SIZE.sub("", text[:-1]).rstrip(" /")
        return f'{bare} width="{_dimension(shown_width)}" height="{_dimension(shown_height)}">'

    sized = _IMG.sub(tag, html)
    return SizedHtml(sized, tuple(images), room, complete)


@dataclass(frozen=True)
class LessonColours:
    """The colours a theme gives lesson pages (CSS colour strings)."""

    text: str
    background: str
    link: str
    border: str
    header_background: str
    code_background: str
    quote: str


def lesson_css(colours: LessonColours) -> str:
    """A style sheet for lesson HTML in the subset of CSS the Qt text engine supports. It sets no font
    sizes, so the reader's text size scales every heading and paragraph alike."""
    c = colours
    return f"""
body {{ color: {c.text}; background-color: {c.background}; }}
a {{ color: {c.link}; text-decoration: underline; }}
h1, h2, h3, h4 {{ margin-top: 14px; margin-bottom: 6px; }}
p, li {{ margin-top: 4px; margin-bottom: 6px; }}
table {{ border-collapse: collapse; border-color: {c.border}; margin-top: 6px; margin-bottom: 10px; }}
th, td {{ border: 1px solid {c.border}; padding: 6px; }}
th {{ background-color: {c.header_background}; font-weight: bold; }}
pre {{ background-color: {c.code_background}; white-space: pre-wrap; padding: 6px; }}
code {{ background-color: {c.code_background}; font-family: monospace; }}
blockquote {{ color: {c.quote}; margin-left: 16px; }}
.missing-image {{ color: {c.quote}; font-style: italic; }}
"""
