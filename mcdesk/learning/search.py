"""Full-text search over installed lessons (SQLite FTS5), with safe queries and highlighted snippets."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass

from mcdesk.errors import McdeskError
from mcdesk.store.db import Store

MAX_TERMS = 12
MAX_QUERY_CHARS = 400
SNIPPET_TOKENS = 16
# Marks around matches in FTS5 output: control characters that never survive into the index as
# text a person wrote, swapped for <b></b> only after the snippet has been HTML-escaped.
_OPEN, _CLOSE, _ELLIPSIS = "\x02", "\x03", "\u2026"


class SearchError(McdeskError):
    """A search could not be run."""


@dataclass(frozen=True)
class SearchHit:
    pack_id: str
    lesson_id: str
    title: str  # plain text
    snippet: str  # HTML: escaped text with the matches in <b>…</b>
    pack_title: str
    match: str  # the first matched word as it appears in the lesson, for the reader to find ("" if none)


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query that cannot be a syntax error: every word a quoted string
    (so AND, OR, NEAR, *, ^, :, parentheses are plain words), all required, the last one a prefix."""
    # Control characters go first: FTS5 reads a NUL inside a quoted string as its end.
    text = "".join(ch if ch.isprintable() else " " for ch in text[:MAX_QUERY_CHARS])
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)][:MAX_TERMS]
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def search(store: Store, text: str, limit: int = 50) -> list[SearchHit]:
    """Lessons matching every word of ``text``, best first; no words, no hits."""
    query = fts_query(text)
    if not query:
        return []
    try:
        rows = store.query(
            "SELECT s.pack_id, s.lesson_id, s.title, p.title AS pack_title, "
            "snippet(lesson_search, 3, ?, ?, ?, ?) AS body_snippet, "
            "highlight(lesson_search, 2, ?, ?) AS title_marked "
            "FROM lesson_search s JOIN packs p ON p.id = s.pack_id "
            "WHERE lesson_search MATCH ? ORDER BY rank LIMIT ?",
            (_OPEN, _CLOSE, _ELLIPSIS, SNIPPET_TOKENS, _OPEN, _CLOSE, query, max(1, min(int(limit), 500))))
    except sqlite3.OperationalError as exc:  # the index is damaged or missing; never FTS syntax
        raise SearchError(f"The lessons cannot be searched right now ({exc}).",
                          "Restart mcdesk; if this stays, ask the technician to reinstall the packs.") from exc
    hits = []
    for row in rows:
        body, title = row["body_snippet"] or "", row["title_marked"] or ""
        hits.append(SearchHit(row["pack_id"], row["lesson_id"], row["title"], marked_html(body),
                              row["pack_title"], first_match(body) or first_match(title)))
    return hits


def marked_html(marked: str) -> str:
    """Escape the text, then turn the match marks into balanced <b></b>."""
    out: list[str] = []
    bold = False
    for ch in marked:
        if ch == _OPEN and not bold:
            out.append("<b>")
            bold = True
        elif ch == _CLOSE and bold:
            out.append("</b>")
            bold = False
        elif ch not in (_OPEN, _CLOSE):
            out.append(html.escape(ch, quote=True))
    if bold:
        out.append("</b>")
    return "".join(out)


def first_match(marked: str) -> str:
    start = marked.find(_OPEN)
    end = marked.find(_CLOSE, start + 1)
    return marked[start + 1:end].strip() if start >= 0 and end > start else ""
