"""Lesson Markdown to sanitised HTML (an allow-list of tags; links and images kept inside the pack) and
the theme-aware style sheet lesson pages are shown with."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def lesson_html(lesson_path: str, markdown_text: str, pack_files: set[str]) -> str:
    """Sanitised HTML for one lesson; images outside the pack are dropped, never fetched."""

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
