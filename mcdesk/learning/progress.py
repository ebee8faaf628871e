"""Learners' progress, keyed by (pack id, item id) so it outlives pack updates: completion, visits,
the roll-up lesson → module → credential → stacked credential, the dashboard and "continue"."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from mcdesk.errors import McdeskError
from mcdesk.learning.credentials import (
    CredentialDef,
    EarnedCredential,
    LearnerRecord,
    LessonCompleted,
    evaluate_in,
    learner_record,
    notify,
    offered,
)
from mcdesk.store.db import Store, utcnow


def add_learner(store: Store, name: str) -> int:
    """A learner with the default look and no PIN (scripts and tests); see learners.create_learner."""
    from mcdesk.learning.learners import create_learner

    return create_learner(store, name, DEFAULT_COLOUR).id


DEFAULT_COLOUR = "#2e7d32"  # the learners table's default


def _require_item(conn: sqlite3.Connection, pack_id: str, item_id: str, kinds: tuple[str, ...], what: str) -> None:
    marks = ", ".join("?" * len(kinds))
    row = conn.execute(f"SELECT 1 FROM pack_items WHERE pack_id = ? AND item_id = ? AND kind IN ({marks})",
                       (pack_id, item_id, *kinds)).fetchone()
    if row is None:
        raise McdeskError(f"There is no {what} {item_id!r} in an installed pack {pack_id!r}.",
                          "The pack may have been removed or updated; open the library again.")


def _check_learner(conn: sqlite3.Connection, learner_id: int) -> None:
    if conn.execute("SELECT 1 FROM learners WHERE id = ?", (learner_id,)).fetchone() is None:
        raise McdeskError(f"There is no learner with id {learner_id}.", "Choose a learner profile first.")


def mark_lesson_complete(store: Store, learner_id: int, pack_id: str, lesson_id: str) -> list[EarnedCredential]:
    """Record the lesson as completed (once), announce it, and evaluate credentials in the same
    transaction; returns the credentials this completion earned."""
    with store.transaction() as conn:
        _require_item(conn, pack_id, lesson_id, ("lesson",), "lesson")
        _check_learner(conn, learner_id)
        at = utcnow()
        cur = conn.execute("INSERT OR IGNORE INTO lesson_progress (learner_id, pack_id, lesson_id, completed_at) "
                           "VALUES (?, ?, ?, ?)", (learner_id, pack_id, lesson_id, at))
        if cur.rowcount:
            notify(conn, LessonCompleted(learner_id, pack_id, lesson_id, at))
        return evaluate_in(conn, learner_id)


def completed_lessons(store: Store, learner_id: int, pack_id: str) -> set[str]:
    """Completed lessons that exist in the installed version of the pack."""
    rows = store.query(
        "SELECT p.lesson_id FROM lesson_progress p JOIN pack_items i "
        "ON i.pack_id = p.pack_id AND i.item_id = p.lesson_id AND i.kind = 'lesson' "
        "WHERE p.learner_id = ? AND p.pack_id = ?", (learner_id, pack_id))
    return {r["lesson_id"] for r in rows}


def record_visit(store: Store, learner_id: int, pack_id: str, item_id: str) -> None:
    """Remember that the learner opened a lesson or quiz now (for "continue where you stopped")."""
    with store.transaction() as conn:
        _require_item(conn, pack_id, item_id, ("lesson", "quiz"), "lesson or quiz")
        _check_learner(conn, learner_id)
        # REPLACE gives the row a new rowid, which orders visits made within the same second.
        conn.execute("INSERT OR REPLACE INTO item_visits (learner_id, pack_id, item_id, visited_at) VALUES (?,?,?,?)",
                     (learner_id, pack_id, item_id, utcnow()))


# --- the roll-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


def percent(fraction: float) -> int:
    """Whole percent, rounded down so 99.9% never shows as done."""
    return int(fraction * 100 + 1e-9)


@dataclass(frozen=True)
class ItemProgress:
    pack_id: str
    item_id: str
    kind: str  # lesson | quiz
    title: str
    module_id: str | None
    done: bool  # lesson completed, or quiz passed
    best_score: float | None  # quizzes: best scaled score of the finished attempts


@dataclass(frozen=True)
class ModuleProgress:
    pack_id: str
    module_id: str
    title: str
    items: tuple[ItemProgress, ...]
    lessons: Tally
    quizzes: Tally

    @property
    def fraction(self) -> float:
        return Tally(self.lessons.done + self.quizzes.done, self.lessons.total + self.quizzes.total).fraction


@dataclass(frozen=True)
class PartProgress:
    """One credential a stacked credential needs."""

    ref: str
    title: str | None  # None when the pack offering it is not installed
    fraction: float
    held: bool


@dataclass(frozen=True)
class CredentialProgress:
    ref: str
    pack_id: str
    title: str
    description: str
    level: str
    stacked: bool
    lessons: Tally
    quizzes: Tally
    parts: tuple[PartProgress, ...]  # stacked credentials only
    fraction: float
    estimated_hours: float
    hours_left: float
    earned_at: str | None
    status: str | None  # awaiting_verification once earned (later: issued, revoked)
    score: float | None
    stacks_into: tuple[str, ...]
    criteria_items: tuple[str, ...] = ()  # the lessons and quizzes of its pack it needs

    @property
    def earned(self) -> bool:
        return self.earned_at is not None

    @property
    def percent(self) -> int:
        return percent(self.fraction)


@dataclass(frozen=True)
class PackProgress:
    pack_id: str
    title: str
    display_version: str
    modules: tuple[ModuleProgress, ...]
    credentials: tuple[CredentialProgress, ...]
    lessons: Tally
    quizzes: Tally
    hours_left: float | None  # from the estimated hours of its credentials; None if it offers none

    @property
    def fraction(self) -> float:
        return Tally(self.lessons.done + self.quizzes.done, self.lessons.total + self.quizzes.total).fraction

    @property
    def percent(self) -> int:
        return percent(self.fraction)

    def items(self) -> list[ItemProgress]:
        return [item for module in self.modules for item in module.items]


@dataclass(frozen=True)
class Dashboard:
    learner_id: int
    packs: tuple[PackProgress, ...]
    credentials: tuple[CredentialProgress, ...]  # every offered credential; stacked ones last

    @property
    def pathways(self) -> tuple[CredentialProgress, ...]:
        return tuple(c for c in self.credentials if c.stacked)

    def credential(self, ref: str) -> CredentialProgress | None:
        return next((c for c in self.credentials if c.ref == ref), None)

    def pack(self, pack_id: str) -> PackProgress | None:
        return next((p for p in self.packs if p.pack_id == pack_id), None)


def dashboard(store: Store, learner_id: int) -> Dashboard:
    """Progress of one learner over every installed pack and every offered credential."""
    conn = store.conn
    record = learner_record(conn, learner_id)
    earned = {r["credential_ref"]: r for r in conn.execute(
        "SELECT credential_ref, earned_at, score, status FROM earned_credentials WHERE learner_id = ?", (learner_id,))}
    defs = offered(conn)
    by_ref = {d.ref: d for d in defs}
    memo: dict[str, float] = {}

    def fraction(cred: CredentialDef, seen: frozenset[str] = frozenset()) -> float:
        if cred.ref in record.held:
            return 1.0
        if cred.ref in memo:
            return memo[cred.ref]
        if cred.stacked:
            parts = [fraction(by_ref[p], seen | {cred.ref}) if p in by_ref and p not in seen
                     else (1.0 if p in record.held else 0.0) for p in cred.credentials]
            value = sum(parts) / len(parts)
        else:
            value = Tally(*_criteria_counts(cred, record)).fraction
        memo[cred.ref] = value
        return value

    creds: dict[str, CredentialProgress] = {}
    for cred in defs:
        lessons = Tally(sum(record.lesson_done(cred.pack_id, x) for x in cred.lessons), len(cred.lessons))
        quizzes = Tally(sum(record.quiz_passed(cred.pack_id, x) for x in cred.quizzes), len(cred.quizzes))
        parts = tuple(PartProgress(p, by_ref[p].title if p in by_ref else None,
                                   fraction(by_ref[p]) if p in by_ref else (1.0 if p in record.held else 0.0),
                                   p in record.held) for p in cred.credentials)
        done = fraction(cred)
        row = earned.get(cred.ref)
        creds[cred.ref] = CredentialProgress(
            ref=cred.ref, pack_id=cred.pack_id, title=cred.title, description=cred.description, level=cred.level,
            stacked=cred.stacked, lessons=lessons, quizzes=quizzes, parts=parts, fraction=done,
            estimated_hours=cred.estimated_hours, hours_left=round(cred.estimated_hours * (1.0 - done), 1),
            earned_at=row["earned_at"] if row else None, status=row["status"] if row else None,
            score=row["score"] if row else None, stacks_into=cred.stacks_into,
            criteria_items=cred.lessons + cred.quizzes)

    items_by_pack = _items(conn, record)
    packs = []
    for pack in conn.execute("SELECT id, title, display_version FROM packs ORDER BY title, id"):
        modules, module_items = [], items_by_pack.get(pack["id"], [])
        for module_id, title, items in module_items:
            lessons = [i for i in items if i.kind == "lesson"]
            quizzes = [i for i in items if i.kind == "quiz"]
            modules.append(ModuleProgress(pack["id"], module_id, title, tuple(items),
                                          Tally(sum(i.done for i in lessons), len(lessons)),
                                          Tally(sum(i.done for i in quizzes), len(quizzes))))
        all_items = [i for m in modules for i in m.items]
        pack_creds = tuple(c for c in creds.values() if c.pack_id == pack["id"])
        lessons = [i for i in all_items if i.kind == "lesson"]
        quizzes = [i for i in all_items if i.kind == "quiz"]
        progress = PackProgress(pack["id"], pack["title"], pack["display_version"], tuple(modules), pack_creds,
                                Tally(sum(i.done for i in lessons), len(lessons)),
                                Tally(sum(i.done for i in quizzes), len(quizzes)), None)
        hours = sum(c.estimated_hours for c in pack_creds if not c.stacked)
        if hours:
            progress = replace(progress, hours_left=round(hours * (1.0 - progress.fraction), 1))
        packs.append(progress)
    ordered = [c for c in creds.values() if not c.stacked] + [c for c in creds.values() if c.stacked]
    return Dashboard(learner_id, tuple(packs), tuple(ordered))


def _criteria_counts(cred: CredentialDef, record: LearnerRecord) -> tuple[int, int]:
    done = sum(record.lesson_done(cred.pack_id, x) for x in cred.lessons)
    done += sum(record.quiz_passed(cred.pack_id, x) for x in cred.quizzes)
    return done, len(cred.lessons) + len(cred.quizzes)


def _items(conn: sqlite3.Connection, record: LearnerRecord
           ) -> dict[str, list[tuple[str, str, list[ItemProgress]]]]:
    """Per pack: its modules in order, each as (module id, title, lesson and quiz progress)."""
    result: dict[str, list[tuple[str, str, list[ItemProgress]]]] = {}
    modules: dict[tuple[str, str], list[ItemProgress]] = {}
    for r in conn.execute("SELECT pack_id, item_id, kind, module_id, title FROM pack_items ORDER BY pack_id, position"):
        if r["kind"] == "module":
            items: list[ItemProgress] = []
            modules[(r["pack_id"], r["item_id"])] = items
            result.setdefault(r["pack_id"], []).append((r["item_id"], r["title"], items))
            continue
        quiz = record.quizzes.get((r["pack_id"], r["item_id"])) if r["kind"] == "quiz" else None
        done = record.lesson_done(r["pack_id"], r["item_id"]) if r["kind"] == "lesson" else bool(quiz and quiz.passed)
        item = ItemProgress(r["pack_id"], r["item_id"], r["kind"], r["title"], r["module_id"], done,
                            quiz.best if quiz else None)
        modules.setdefault((r["pack_id"], r["module_id"]), []).append(item)
    return result


# --- continue where you stopped ---------------------------------------------------------------


@dataclass(frozen=True)
class ContinuePoint:
    pack_id: str
    item_id: str
    kind: str  # lesson | quiz
    title: str
    pack_title: str
    reason: str  # resume: opened last and not finished; next: after the last finished item; start: nothing begun


def continue_point(store: Store, learner_id: int) -> ContinuePoint | None:
    """The item to continue with: the last opened item if unfinished, else the next unfinished item
    after it (or after the last completed lesson); None when everything installed is done."""
    board = dashboard(store, learner_id)
    sequences = {p.pack_id: p.items() for p in board.packs}
    titles = {p.pack_id: p.title for p in board.packs}
    where = {(i.pack_id, i.item_id): i for items in sequences.values() for i in items}

    def point(item: ItemProgress, reason: str) -> ContinuePoint:
        return ContinuePoint(item.pack_id, item.item_id, item.kind, item.title, titles[item.pack_id], reason)

    visits = [where[key] for r in store.query(
        "SELECT pack_id, item_id FROM item_visits WHERE learner_id = ? ORDER BY visited_at DESC, rowid DESC",
        (learner_id,)) if (key := (r["pack_id"], r["item_id"])) in where]
    anchor = visits[0] if visits else None
    if anchor is None:
        completed = [where[key] for r in store.query(
            "SELECT pack_id, lesson_id FROM lesson_progress WHERE learner_id = ? "
            "ORDER BY completed_at DESC, rowid DESC",
            (learner_id,)) if (key := (r["pack_id"], r["lesson_id"])) in where]
        anchor = completed[0] if completed else None
    if anchor is not None:
        if not anchor.done:
            return point(anchor, "resume")
        sequence = sequences[anchor.pack_id]
        index = sequence.index(anchor)
        for item in sequence[index + 1:] + sequence[:index]:
            if not item.done:
                return point(item, "next")
    for item in visits:
        if not item.done:
            return point(item, "resume")
    started = anchor is not None
    for items in sequences.values():
        for item in items:
            if not item.done:
                return point(item, "next" if started else "start")
    return None
