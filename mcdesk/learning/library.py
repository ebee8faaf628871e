"""What the library shows: installed packs with their credentials, modules, lessons and quizzes and a
learner's progress through them, and lesson pages with what the reader needs around them."""

from __future__ import annotations

from dataclasses import dataclass, field

from mcdesk.errors import PackError
from mcdesk.learning.progress import CredentialProgress, ModuleProgress, PackProgress, dashboard
from mcdesk.learning.render import lesson_html
from mcdesk.packs.content import decode_lesson
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store

NO_LEARNER = 0  # no learner has this id: everything shows as not done


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


def open_lesson(manager: PackManager, pack_id: str, lesson_id: str, learner_id: int | None = None) -> LessonPage:
    """The sanitised page of one lesson and where it sits in its pack."""
    pack = manager.get(pack_id)
    row = manager.store.one(
        "SELECT i.title, i.path, m.title AS module_title FROM pack_items i "
        "LEFT JOIN pack_items m ON m.pack_id = i.pack_id AND m.item_id = i.module_id "
        "WHERE i.pack_id = ? AND i.item_id = ? AND i.kind = 'lesson'", (pack_id, lesson_id))
    if pack is None or row is None:
        raise PackError(f"The lesson {lesson_id!r} is not installed.",
                        "It may have been removed in an update; choose another lesson in the library.")
    folder = pack.folder.resolve()
    target = (pack.folder / row["path"]).resolve()
    try:
        if not target.is_relative_to(folder):
            raise OSError("the file is outside the pack folder")
        data = target.read_bytes()
    except OSError as exc:
        raise PackError(f"The lesson file {row['path']} of {pack.title!r} cannot be read ({exc}).",
                        "Ask the technician to reinstall the pack.") from exc
    files = set(manager.manifest(pack_id).files)
    html = lesson_html(row["path"], decode_lesson(row["path"], data), files)
    items = manager.store.query("SELECT kind, item_id, title, module_id, path FROM pack_items "
                                "WHERE pack_id = ? AND kind IN ('lesson', 'quiz') ORDER BY position", (pack_id,))
    ids = [r["item_id"] for r in items]
    index = ids.index(lesson_id)
    entry = [LibraryItem(r["kind"], r["item_id"], r["title"], r["module_id"]) for r in items]
    done = learner_id is not None and manager.store.one(
        "SELECT 1 FROM lesson_progress WHERE learner_id = ? AND pack_id = ? AND lesson_id = ?",
        (learner_id, pack_id, lesson_id)) is not None
    return LessonPage(
        pack_id, lesson_id, row["title"], html, str(pack.folder), path=row["path"], pack_title=pack.title,
        module_title=row["module_title"] or "", previous=entry[index - 1] if index > 0 else None,
        next=entry[index + 1] if index + 1 < len(entry) else None, position=index + 1, count=len(entry),
        done=done, links={r["path"]: (r["kind"], r["item_id"]) for r in items if r["path"]})
