"""Lesson files: where their links and images point, and the checks a lesson must pass."""

from __future__ import annotations

import posixpath
import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from mcdesk.errors import PackError
from mcdesk.packs.manifest import IMAGE_SUFFIXES, path_problem

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "footnotes", "attr_list"]  # what render_markdown enables
MAX_LESSON_BYTES = 4 * 1024 * 1024
EXTERNAL_LINK_SCHEMES = ("https", "http", "mailto")


@dataclass(frozen=True)
class Reference:
    kind: str  # "image" | "link"
    target: str


class _RefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.refs.append(Reference("image", values.get("src") or ""))
        elif tag == "a" and values.get("href") is not None:
            self.refs.append(Reference("link", values["href"] or ""))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        else:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(markdown_text: str) -> str:
    """The words of a lesson, without markup: what search indexes and snippets show."""
    collector = _TextCollector()
    collector.feed(render_markdown(markdown_text))
    collector.close()
    return " ".join("".join(collector.parts).split())


_converters = threading.local()  # one Markdown converter per thread: building one costs more than a short text


# Python-Markdown scans from every "[" (and every "(" right after "]") to its partner or to the end of the
# paragraph, so unclosed brackets cost length x count: 5,000 "[" in one paragraph take seconds, a 4 MiB lesson
# of them hours. Lessons whose scans would pass this many characters are refused (a real lesson is far below).
MAX_LINK_SCAN = 4_000_000
_SCAN_TOKENS = re.compile(r"\\.|[\[\]()]|\n[ \t]*(?=\n)", re.DOTALL)


def link_scan_cost(text: str) -> int:
    """How many characters Python-Markdown's link parser would scan in ``text`` (an upper estimate): for each
    "[" the distance to its "]", for each "(" right after a "]" the distance to its ")", or to the end of
    the paragraph when unclosed. Linear, and only the brackets are visited."""
    cost = 0
    squares: list[int] = []
    rounds: list[tuple[int, bool]] = []
    for match in _SCAN_TOKENS.finditer(text):
        token, at = match.group(), match.start()
        if token == "[":
            squares.append(at)
        elif token == "]":
            if squares:
                cost += at - squares.pop()
        elif token == "(":
            rounds.append((at, at > 0 and text[at - 1] == "]"))
        elif token == ")":
            if rounds:
                start, link = rounds.pop()
                cost += at - start if link else 0
        elif token[0] == "\n":  # a blank line ends the paragraph: what is still open was scanned to here
            cost += sum(at - start for start in squares) + sum(at - start for start, link in rounds if link)
            squares.clear()
            rounds.clear()
    end = len(text)
    return cost + sum(end - start for start in squares) + sum(end - start for start, link in rounds if link)


def render_markdown(text: str) -> str:
    """Markdown to (unsanitised) HTML with the extensions the pack format allows. A lesson too costly to
    render (thousands of unclosed brackets in a paragraph, lists or quotes nested hundreds deep) raises
    PackError."""
    if link_scan_cost(text) > MAX_LINK_SCAN:
        raise PackError("The lesson has too many unclosed '[' or '(' in one paragraph to be shown.",
                        "Close the brackets, write them as \\[ and \\(, or split the paragraph.")
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        import markdown
        from markdown.extensions.attr_list import AttrListExtension
        from markdown.extensions.fenced_code import FencedCodeExtension
        from markdown.extensions.footnotes import FootnoteExtension
        from markdown.extensions.tables import TableExtension

        # Extension objects, not names: names make Markdown search every installed package's
        # metadata (importlib.metadata, email, csv...), which costs start-up time and memory.
        extensions = [TableExtension(), FencedCodeExtension(), FootnoteExtension(), AttrListExtension()]
        converter = _converters.markdown = markdown.Markdown(extensions=extensions, output_format="html")
    try:
        return str(converter.reset().convert(text))
    except RecursionError as exc:
        _converters.markdown = None  # it stopped half-way: the next lesson gets a fresh one
        raise PackError("The lesson nests lists or quotes too deeply to be shown.",
                        "Keep lists and quotes to a few levels.") from exc


def references(text: str) -> list[Reference]:
    """Every image and link in a lesson, as Markdown renders them (inline, reference and raw HTML)."""
    collector = _RefCollector()
    collector.feed(render_markdown(text))
    collector.close()
    return collector.refs


def resolve(lesson_path: str, target: str) -> str | None:
    """The pack path a relative reference from ``lesson_path`` names, or None if it leaves the pack."""
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "http://[oops": not an address at all, so not a file of the pack
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return lesson_path  # a fragment-only link stays in the lesson
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(lesson_path), path))
    if joined.startswith("../") or joined == ".." or path_problem(joined):
        return None
    return joined


def decode_lesson(path: str, data: bytes) -> str:
    if len(data) > MAX_LESSON_BYTES:
        raise PackError(f"{path}: a lesson may be at most {MAX_LESSON_BYTES // (1024 * 1024)} MiB.",
                        "Split it into several lessons.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: the lesson is not UTF-8 text (bad byte at offset {exc.start}).",
                        "Save the lesson as UTF-8.") from exc


def check_lesson(path: str, data: bytes, pack_files: set[str]) -> list[Reference]:
    """Raise PackError if the lesson is unreadable or points outside the pack; returns its refs."""
    text = decode_lesson(path, data)
    try:
        refs = references(text)
    except PackError as exc:  # too costly to render: say which lesson
        raise PackError(f"{path}: {exc.message}", exc.hint) from exc
    for ref in refs:
        try:
            scheme = urlsplit(ref.target).scheme.lower()
        except ValueError as exc:
            raise PackError(f"{path}: the {ref.kind} {ref.target!r} is not a valid address ({exc}).",
                            "Correct the address in the lesson.") from exc
        if ref.kind == "image":
            if scheme or ref.target.startswith("//"):
                raise PackError(
                    f"{path}: the image {ref.target!r} is not inside the pack; mcdesk never fetches "
                    "anything from the network.",
                    "Copy the image into the pack folder and refer to it with a relative path.",
                )
            resolved = resolve(path, ref.target)
            if resolved is None or resolved not in pack_files:
                raise PackError(f"{path}: the image {ref.target!r} is not a file of the pack.",
                                "Check the file name and that the path is relative to the lesson.")
            if not resolved.lower().endswith(IMAGE_SUFFIXES):
                raise PackError(f"{path}: {ref.target!r} is not an image mcdesk can show "
                                f"({', '.join(IMAGE_SUFFIXES)}).")
        else:
            if scheme:
                if scheme not in EXTERNAL_LINK_SCHEMES:
                    raise PackError(f"{path}: the link {ref.target!r} uses the scheme {scheme!r}.",
                                    "Only https:, http: and mailto: links may leave the pack.")
                continue
            if ref.target.startswith("//"):
                raise PackError(f"{path}: the link {ref.target!r} has no scheme.", "Write https:// in full.")
            resolved = resolve(path, ref.target)
            if resolved is None or resolved not in pack_files:
                raise PackError(f"{path}: the link {ref.target!r} does not point to a file of the pack.",
                                "Check the file name and that the path is relative to the lesson.")
    return refs
