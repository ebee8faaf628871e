"""Fuzzing the lesson renderer: any Markdown gives safe HTML (no script, no event handler, no picture from
outside the pack) or a clean PackError, and always finishes.

A lesson comes from a signed pack, but the reader must still never run script, fetch from the network or
hang on it: the sanitiser and the install checks are the only guard between a pack and the lesson view.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mcdesk.errors import PackError
from mcdesk.learning.render import lesson_html
from mcdesk.packs.content import MAX_LINK_SCAN, link_scan_cost, plain_text, references, render_markdown
from tests.fuzz.budget import fuzz

pytestmark = pytest.mark.slow

LESSON = "lessons/02.md"
FILES = {"lessons/01.md", "lessons/02.md", "media/dot.svg", "media/photo.png"}

targets = st.sampled_from([
    "../media/dot.svg", "media/dot.svg", "../../etc/passwd", "/etc/passwd", "C:\\\\Windows\\\\win.ini",
    "file:///etc/passwd", "http://example.org/x.png", "https://example.org/x.png", "//example.org/x.png",
    "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)",
    "vbscript:x", "mailto:a@b.c", "#frag", "01.md", "../lessons/01.md", "%2e%2e/media/dot.svg", "\x00",
    "http://[oops", "media/dot.svg?x#y", " media/dot.svg ", "<media/dot.svg>", "\u202e", "media\\dot.svg",
])
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
inline = st.one_of(
    words,
    st.sampled_from(["*", "**", "_", "`", "~~", "[", "]", "(", ")", "<", ">", "&", "&#0;", "&lt;script&gt;", "\\",
                     "\x00", "\u200b", "\ufeff", "\U0001f600", "e\u0301", "\u0000\u0001", "|", "[^1]", "{: #x }"]),
    st.builds(lambda img, alt, t, title: f"{'!' if img else ''}[{alt}]({t}{title})",
              st.booleans(), words, targets, st.sampled_from(["", ' "t"', " 'onerror=alert(1)'"])),
    st.builds(lambda t: f"[ref]: {t}\n[x][ref]", targets),
    st.sampled_from([
        "<script>alert(1)</script>", "<SCRIPT SRC=//x.js></SCRIPT>", '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)" onclick="x()">x</a>', "<iframe src=http://x></iframe>",
        "<style>body{background:url(http://x)}</style>", '<svg onload="alert(1)"><circle/></svg>',
        '<img src="http://example.org/t.png">', '<img src="../media/dot.svg" onload=x>', "<!-- c -->",
        '<div style="background:url(http://x)">d</div>', "<object data=x></object>", "<embed src=x>",
        '<a href="../media/dot.svg" target=_blank>x</a>', "<form action=http://x><input></form>",
        "<meta http-equiv=refresh content=0;url=http://x>", "<base href=http://x/>", "<math><mi>x</mi></math>",
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">', "<scr<script>ipt>alert(1)</script>",
    ]),
)
line = st.lists(inline, max_size=8).map("".join)


def nested(prefix: str) -> st.SearchStrategy[str]:
    return st.builds(lambda depth, text: "\n".join(prefix * n + text for n in range(depth)),
                     st.integers(min_value=1, max_value=150), line)


blocks = st.one_of(
    line,
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 8), line),
    nested("    - "), nested("  "), nested("> "), nested("1. "), nested("> - "),
    st.builds(lambda n, text: "- " * n + text, st.integers(1, 600), line),
    st.builds(lambda n, text: ">" * n + text, st.integers(1, 600), line),
    st.builds(lambda cols, rows, cell: "|" + "|".join([cell] * cols) + "|\n|" + "|".join(["---"] * cols) + "|\n"
              + ("|" + "|".join([cell] * cols) + "|\n") * rows,
              st.integers(1, 30), st.integers(0, 30), line),
    st.builds(lambda n, text: "```\n" + text * n + "\n```", st.integers(1, 20), line),
    st.builds(lambda n, c: c * n, st.integers(1, 3000), st.sampled_from(["[", "![", "[a](", "(", "*", "_", "<", "`"])),
)
markdown_text = st.lists(blocks, max_size=4).map("\n\n".join)

_SAFE_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
              "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table",
              "tbody", "td", "th", "thead", "tr", "ul"}


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser-like parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def check_safe(html: str) -> None:
    """What a lesson page may never hold: script, event handlers, pictures from outside the pack, links
    with a scheme that runs code, or a tag outside the allow-list."""
    assert "<script" not in html.lower(), html  # text is escaped, so this is a real tag
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in _SAFE_TAGS, (tag, html)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        if tag == "img":
            assert attrs.get("src") is None or attrs["src"] in FILES, attrs
        href = attrs.get("href") if tag == "a" else None
        if href is not None:
            scheme = urlsplit(href).scheme.lower()
            assert scheme in ("", "http", "https", "mailto"), href
            assert scheme or href.startswith("#") or href in FILES, href


def render_or_refuse(text: str) -> str | None:
    try:
        html = lesson_html(LESSON, text, FILES)
    except PackError as exc:
        assert exc.message and exc.hint
        return None
    check_safe(html)
    return html


@fuzz(80)
@given(text=markdown_text)
@example(text="- " * 2000 + "x")  # python-markdown recursed until RecursionError
@example(text="\n".join("    " * n + "- x" for n in range(300)))
@example(text="[" * 20_000)  # took 36 s: each "[" scanned to the end of the paragraph
@example(text="<scr<script>ipt>alert(1)</script>")
def test_any_markdown_renders_safe_html_or_is_refused_with_a_pack_error(text: str) -> None:
    render_or_refuse(text)


@fuzz(60)
@given(text=st.text(max_size=3000))
def test_any_unicode_text_renders_safe_html_or_is_refused(text: str) -> None:
    render_or_refuse(text)


@fuzz(30)
@given(text=markdown_text)
def test_search_text_and_references_only_raise_pack_errors(text: str) -> None:
    try:
        words_ = plain_text(text)
        found = references(text)
    except PackError:
        return
    assert "<script" not in words_.lower() or "&lt;" in text or "<script" in text.lower()
    assert all(ref.kind in ("image", "link") for ref in found)


def test_a_lesson_too_costly_to_render_is_refused_and_an_ordinary_one_is_not() -> None:
    """The guard against the quadratic link scan is not vacuous, and leaves real lessons alone."""
    with pytest.raises(PackError, match="unclosed"):
        render_markdown("[" * 20_000)
    with pytest.raises(PackError, match="nests"):
        render_markdown("- " * 2000 + "x")
    ordinary = "A [link](01.md), ![a dot](../media/dot.svg) and [^1].\n\n[^1]: A note.\n\n" * 2000
    assert link_scan_cost(ordinary) < MAX_LINK_SCAN // 10
    assert render_markdown(ordinary).count("<a ") >= 2000
    # After a refusal the renderer still works.
    assert "<em>" in render_markdown("*fine*")


def test_the_installer_check_names_the_lesson_it_cannot_render() -> None:
    from mcdesk.packs.content import check_lesson

    for text in ("- " * 2000 + "x", "[" * 20_000):
        with pytest.raises(PackError, match=r"^lessons/02\.md: "):
            check_lesson(LESSON, text.encode(), FILES)


def test_the_safety_check_catches_what_it_looks_for() -> None:
    """The control for the properties above: unsafe HTML fails check_safe."""
    for bad in ("<script>x</script>", '<img src="http://x/y.png">', '<p onclick="x">', '<a href="javascript:x">',
                "<iframe></iframe>", '<img src="../etc/passwd">'):
        with pytest.raises(AssertionError):
            check_safe(bad)
    check_safe('<p>&lt;a href="javascript:x" onclick="y"&gt;</p>')  # text that only looks like a tag
    check_safe('<p><img src="media/dot.svg" alt="a"> <a href="https://example.org">x</a></p>')
