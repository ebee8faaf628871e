"""Who has a profile on this laptop, and the laptop's text settings: the few reads the app's first
screen makes, kept apart from mcdesk.learning.learners (PINs, scrypt, lock-outs, validation) so the
start imports only this. learners re-exports everything here; use that module everywhere else.

Nothing here imports dataclasses: ``Learner`` is a NamedTuple (made at every start, where the dataclass
machinery alone costs about a millisecond)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, NamedTuple

if TYPE_CHECKING:
    import sqlite3

    from mcdesk.store.db import Store

# Built-in avatars, drawn by the UI (mcdesk/ui/profiles.py); a profile shows its initials without one.
AVATARS: Final = ("sun", "moon", "star", "heart", "leaf", "flower", "drop", "bolt", "mountain", "fish")

TECHNICIAN_PASSPHRASE: Final = "technician_passphrase"
IDLE_LOCK_MINUTES: Final = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES: Final = 5
IDLE_LOCK_MAX: Final = 24 * 60

class Learner(NamedTuple):
    """One learner profile as read from the database (immutable: compare, never change)."""

    id: int
    name: str
    colour: str
    picture: str | None
    has_pin: bool
    institution_id: str | None
    locked_until: datetime | None
    preferences: dict[str, Any]
    last_active_at: datetime | None

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and _now(now) < self.locked_until


COLUMNS: Final = "id, name, colour, picture, pin_hash, institution_id, locked_until, preferences, last_active_at"


def learner_from_row(row: sqlite3.Row) -> Learner:
    try:
        prefs = json.loads(row["preferences"] or "{}")
    except ValueError:
        prefs = {}
    return Learner(
        id=int(row["id"]), name=row["name"], colour=row["colour"], picture=row["picture"],
        has_pin=bool(row["pin_hash"]), institution_id=row["institution_id"],
        locked_until=parse_time(row["locked_until"]),
        preferences=prefs if isinstance(prefs, dict) else {},
        last_active_at=parse_time(row["last_active_at"]),
    )


def list_learners(store: Store) -> list[Learner]:
    """Every profile on this laptop, sorted by name regardless of case."""
    rows = store.query(f"SELECT {COLUMNS} FROM learners")
    return sorted((learner_from_row(r) for r in rows), key=lambda x: (x.name.casefold(), x.id))


def get_setting(store: Store, key: str, default: str | None = None) -> str | None:
    row = store.one("SELECT value FROM settings WHERE key = ?", (key,))
    return default if row is None else str(row["value"])


def has_technician_passphrase(store: Store) -> bool:
    return bool(get_setting(store, TECHNICIAN_PASSPHRASE))


def idle_lock_minutes(store: Store) -> int:
    """Minutes without input before the app returns to the profile picker; 0 means never."""
    value = get_setting(store, IDLE_LOCK_MINUTES)
    try:
        minutes = int(value) if value is not None else DEFAULT_IDLE_LOCK_MINUTES
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
    return minutes if 0 <= minutes <= IDLE_LOCK_MAX else DEFAULT_IDLE_LOCK_MINUTES


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
