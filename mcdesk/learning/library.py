"""What the library shows: installed packs with their credentials, modules, lessons and quizzes and a
learner's progress through them, and lesson pages with what the reader needs around them."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from mcdesk.errors import PackError
from mcdesk.learning.progress import CredentialProgress, ModuleProgress, PackProgress, dashboard
from mcdesk.learning.render import IMAGE_HEADER_BYTES, PageImage, image_size, lesson_html, size_images
from mcdesk.packs.content import decode_lesson
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store

NO_LEARNER = 0  # no learner has this id: everything shows as not done
RENDERED_LESSONS = 16  # sanitised lesson pages kept in memory (a 50 KB lesson is about 60 KB of HTML)
IMAGE_SIZES = 256  # image sizes kept in memory


@dataclass(frozen=True)
class LibraryItem:
    kind: str  # module | lesson | quiz
    id: str
    title: str
    module_id: str | None
    done: bool = False  # lesson completed or quiz passed, for the learner the library was loaded for


@dataclass(frozen=True)
class LibraryGroup:
    """Modules shown under a credential (the first credential whose criteria use one of their items),
    or, with ``credential`` None, modules no credential uses."""

    credential: CredentialProgress | None
    modules: tuple[ModuleProgress, ...]


@dataclass(frozen=True)
class LibraryPack:
    id: str
    title: str
    display_version: str
    items: tuple[LibraryItem, ...]
    progress: PackProgress | None = None
    groups: tuple[LibraryGroup, ...] = ()


def load_library(manager: PackManager, learner_id: int | None = None) -> list[LibraryPack]:
    """Every installed pack in display order, with the learner's progress (none if ``learner_id`` is None)."""
    board = dashboard(manager.store, learner_id if learner_id is not None else NO_LEARNER)
    packs = []
    for pack in board.packs:
        items: list[LibraryItem] = []
        for module in pack.modules:
            items.append(LibraryItem("module", module.module_id, module.title, None, module.fraction >= 1.0))
            items.extend(LibraryItem(i.kind, i.item_id, i.title, i.module_id, i.done) for i in module.items)
        packs.append(LibraryPack(pack.pack_id, pack.title, pack.display_version, tuple(items), pack,
                                 _groups(pack)))
    return packs


def _groups(pack: PackProgress) -> tuple[LibraryGroup, ...]:
    placed: set[str] = set()
    groups = []
    for cred in pack.credentials:
        needed = set(cred.criteria_items)
        modules = tuple(m for m in pack.modules if m.module_id not in placed
                        and any(i.item_id in needed for i in m.items))
        placed.update(m.module_id for m in modules)
        groups.append(LibraryGroup(cred, modules))
    rest = tuple(m for m in pack.modules if m.module_id not in placed)
    if rest:
        groups.append(LibraryGroup(None, rest))
    return tuple(groups)


def neighbours(store: Store, pack_id: str, item_id: str) -> tuple[LibraryItem | None, LibraryItem | None]:
    """The lesson or quiz before and after ``item_id`` in its pack (None at either end)."""
    rows = store.query("SELECT kind, item_id, title, module_id FROM pack_items "
                       "WHERE pack_id = ? AND kind IN ('lesson', 'quiz') ORDER BY position", (pack_id,))
    items = [LibraryItem(r["kind"], r["item_id"], r["title"], r["module_id"]) for r in rows]
    index = next((n for n, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        return None, None
    return (items[index - 1] if index > 0 else None), (items[index + 1] if index + 1 < len(items) else None)


@dataclass(frozen=True)
class LessonPage:
    pack_id: str
    lesson_id: str
    title: str
    html: str
    base_folder: str
    path: str = ""  # the lesson's path inside the pack
    pack_title: str = ""
    module_title: str = ""
    previous: LibraryItem | None = None
    next: LibraryItem | None = None
    position: int = 0  # 1-based among the pack's lessons and quizzes
    count: int = 0
    done: bool = False  # completed by the learner the page was opened for
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # pack path -> (kind, item id)
    images: tuple[PageImage, ...] = ()  # the page's images in document order, with the size each asks for
    image_room: int | None = None  # the page width (pixels) the sizes written into ``html`` fit; None: not fitted
    images_sized: bool = True  # every image of ``html`` carries its size (False: some file's size was unreadable)


V = TypeVar("V")


class _Memo(Generic[V]):
    """A small least-recently-used map shared by the threads that open lessons."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# Sanitised pages by pack folder, manifest hash, lesson path and the file's identity and change time,
# so an edited or reinstalled lesson is rendered again; image sizes by file identity and change time.
_pages: _Memo[str] = _Memo(RENDERED_LESSONS)
_image_sizes: _Memo[tuple[tuple[int, int] | None]] = _Memo(IMAGE_SIZES)
_pack_files: _Memo[frozenset[str]] = _Memo(RENDERED_LESSONS)  # by pack id and manifest hash


def forget_rendered_lessons() -> None:
    """Drop the rendered pages and image sizes kept in memory (they are also checked on every open)."""
    _pages.clear()
    _image_sizes.clear()
    _pack_files.clear()


def _signature(stat: os.stat_result) -> tuple[int, int, int, int, int]:
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _natural_size(folder: Path, src: str) -> tuple[int, int] | None:
    """The size a pack image opens at (from its header), or None if unknown; only inside ``folder``."""
    target = (folder / src).resolve()
    if not target.is_relative_to(folder):
        return None
    try:
        with target.open("rb") as file:
            key = (str(target), _signature(os.fstat(file.fileno())))
            known = _image_sizes.get(key)
            if known is not None:
                return known[0]
            size = image_size(file.read(IMAGE_HEADER_BYTES))
    except OSError:
        return None
    _image_sizes.put(key, (size,))
    return size


def _lesson_html(manager: PackManager, pack_id: str, folder: Path, path: str, title: str) -> str:
    """The sanitised HTML of one lesson file, rendered once per version of the file."""
    target = (folder / path).resolve()
    try:
        if not target.is_relative_to(folder):
            raise OSError("the file is outside the pack folder")
        with target.open("rb") as file:
            signature = _signature(os.fstat(file.fileno()))
            row = manager.store.one("SELECT manifest_sha256 FROM packs WHERE id = ?", (pack_id,))
            manifest_hash = row["manifest_sha256"] if row else None
            key = (str(folder), manifest_hash, path, signature)
            cached = _pages.get(key)
            if cached is not None:
                return cached
            data = file.read()
    except OSError as exc:
        raise PackError(f"The lesson file {path} of {title!r} cannot be read ({exc}).",
                        "Ask the technician to reinstall the pack.") from exc
    files = _pack_files.get((pack_id, manifest_hash))
    if files is None:
        files = frozenset(manager.manifest(pack_id).files)
        _pack_files.put((pack_id, manifest_hash), files)
    html = lesson_html(path, decode_lesson(path, data), set(files))
    _pages.put(key, html)
    return html


def open_lesson(manager: PackManager, pack_id: str, lesson_id: str, learner_id: int | None = None,
                image_room: int | None = None) -> LessonPage:
    """The sanitised page of one lesson and where it sits in its pack. Every image carries its display
    size, scaled down to ``image_room`` pixels (the reader's page width) when given, so the page lays
    out without opening a picture."""
    pack = manager.get(pack_id)
    row = manager.store.one(
        "SELECT i.title, i.path, m.title AS module_title FROM pack_items i "
        "LEFT JOIN pack_items m ON m.pack_id = i.pack_id AND m.item_id = i.module_id "
        "WHERE i.pack_id = ? AND i.item_id = ? AND i.kind = 'lesson'", (pack_id, lesson_id))
    if pack is None or row is None:
        raise PackError(f"The lesson {lesson_id!r} is not installed.",
                        "It may have been removed in an update; choose another lesson in the library.")
    folder = pack.folder.resolve()
    sized = size_images(_lesson_html(manager, pack_id, folder, row["path"], pack.title),
                        lambda src: _natural_size(folder, src), image_room)
    items = manager.store.query("SELECT kind, item_id, title, module_id, path FROM pack_items "
                                "WHERE pack_id = ? AND kind IN ('lesson', 'quiz') ORDER BY position", (pack_id,))
    ids = [r["item_id"] for r in items]
    index = ids.index(lesson_id)
    entry = [LibraryItem(r["kind"], r["item_id"], r["title"], r["module_id"]) for r in items]
    done = learner_id is not None and manager.store.one(
        "SELECT 1 FROM lesson_progress WHERE learner_id = ? AND pack_id = ? AND lesson_id = ?",
        (learner_id, pack_id, lesson_id)) is not None
    return LessonPage(
        pack_id, lesson_id, row["title"], sized.html, str(pack.folder), path=row["path"], pack_title=pack.title,
        module_title=row["module_title"] or "", previous=entry[index - 1] if index > 0 else None,
        next=entry[index + 1] if index + 1 < len(entry) else None, position=index + 1, count=len(entry),
        done=done, links={r["path"]: (r["kind"], r["item_id"]) for r in items if r["path"]},
        images=sized.images, image_room=sized.room, images_sized=sized.complete)
