"""Learners and their lesson progress, keyed by (pack id, item id) so it outlives pack updates."""

from __future__ import annotations

from mcdesk.errors import McdeskError
from mcdesk.store.db import Store, utcnow


def add_learner(store: Store, name: str) -> int:
    name = name.strip()
    if not name:
        raise McdeskError("A learner needs a name.")
    with store.transaction() as conn:
        cur = conn.execute("INSERT INTO learners (name, created_at) VALUES (?, ?)", (name, utcnow()))
        return int(cur.lastrowid)


def mark_lesson_complete(store: Store, learner_id: int, pack_id: str, lesson_id: str) -> None:
    with store.transaction() as conn:
        row = conn.execute("SELECT 1 FROM pack_items WHERE pack_id = ? AND item_id = ? AND kind = 'lesson'",
                           (pack_id, lesson_id)).fetchone()
        if row is None:
            raise McdeskError(f"There is no lesson {lesson_id!r} in an installed pack {pack_id!r}.")
        conn.execute("INSERT OR IGNORE INTO lesson_progress (learner_id, pack_id, lesson_id, completed_at) "
                     "VALUES (?, ?, ?, ?)", (learner_id, pack_id, lesson_id, utcnow()))


def completed_lessons(store: Store, learner_id: int, pack_id: str) -> set[str]:
    """Completed lessons that exist in the installed version of the pack."""
    rows = store.query(
        "SELECT p.lesson_id FROM lesson_progress p JOIN pack_items i "
        "ON i.pack_id = p.pack_id AND i.item_id = p.lesson_id AND i.kind = 'lesson' "
        "WHERE p.learner_id = ? AND p.pack_id = ?", (learner_id, pack_id))
    return {r["lesson_id"] for r in rows}
