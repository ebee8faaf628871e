"""What the library shows: installed packs with their modules, lessons and quizzes, and lesson pages."""

from __future__ import annotations

from dataclasses import dataclass

from mcdesk.errors import PackError
from mcdesk.learning.render import lesson_html
from mcdesk.packs.content import decode_lesson
from mcdesk.packs.install import PackManager


@dataclass(frozen=True)
class LibraryItem:
    kind: str  # module | lesson | quiz
    id: str
    title: str
    module_id: str | None


@dataclass(frozen=True)
class LibraryPack:
    id: str
    title: str
    display_version: str
    items: tuple[LibraryItem, ...]


def load_library(manager: PackManager) -> list[LibraryPack]:
    packs = []
    for pack in manager.list():
        rows = manager.store.query(
            "SELECT kind, item_id, title, module_id FROM pack_items WHERE pack_id = ? ORDER BY position",
            (pack.id,))
        items = tuple(LibraryItem(r["kind"], r["item_id"], r["title"], r["module_id"]) for r in rows)
        packs.append(LibraryPack(pack.id, pack.title, pack.display_version, items))
    return packs


@dataclass(frozen=True)
class LessonPage:
    pack_id: str
    lesson_id: str
    title: str
    html: str
    base_folder: str


def open_lesson(manager: PackManager, pack_id: str, lesson_id: str) -> LessonPage:
    pack = manager.get(pack_id)
    row = manager.store.one(
        "SELECT title, path FROM pack_items WHERE pack_id = ? AND item_id = ? AND kind = 'lesson'",
        (pack_id, lesson_id))
    if pack is None or row is None:
        raise PackError(f"The lesson {lesson_id!r} is not installed.", "Reinstall its pack.")
    files = set(manager.manifest(pack_id).files)
    data = (pack.folder / row["path"]).read_bytes()
    html = lesson_html(row["path"], decode_lesson(row["path"], data), files)
    return LessonPage(pack_id, lesson_id, row["title"], html, str(pack.folder))
