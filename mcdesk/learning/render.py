"""Lesson Markdown to sanitised HTML: an allow-list of tags, and links and images kept inside the pack."""

from __future__ import annotations

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

    return nh3.clean(
        render_markdown(markdown_text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
