"""Learner profiles on a shared laptop: look, optional PIN with growing lock-out, preferences, and
the technician passphrase and app settings kept in the ``settings`` table."""

from __future__ import annotations

import base64
import json
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from mcdesk.errors import McdeskError

# The first screen's reads live in the light mcdesk.learning.roster (the app's start imports only that);
# they are re-exported here, so every other caller keeps importing from this module.
from mcdesk.learning.roster import AVATARS as AVATARS
from mcdesk.learning.roster import COLUMNS as _COLUMNS
from mcdesk.learning.roster import DEFAULT_IDLE_LOCK_MINUTES as DEFAULT_IDLE_LOCK_MINUTES
from mcdesk.learning.roster import IDLE_LOCK_MAX as IDLE_LOCK_MAX
from mcdesk.learning.roster import IDLE_LOCK_MINUTES as IDLE_LOCK_MINUTES
from mcdesk.learning.roster import TECHNICIAN_PASSPHRASE as TECHNICIAN_PASSPHRASE
from mcdesk.learning.roster import Learner as Learner
from mcdesk.learning.roster import _now
from mcdesk.learning.roster import get_setting as get_setting
from mcdesk.learning.roster import has_technician_passphrase as has_technician_passphrase
from mcdesk.learning.roster import idle_lock_minutes as idle_lock_minutes
from mcdesk.learning.roster import learner_from_row as _learner
from mcdesk.learning.roster import list_learners as list_learners
from mcdesk.learning.roster import parse_time as _parse_time
from mcdesk.store.db import Store

# --- rules ---------------------------------------------------------------------------------------

NAME_MAX: Final = 40
INSTITUTION_ID_MAX: Final = 100
PASSPHRASE_MIN: Final = 8
PASSPHRASE_MAX: Final = 256
PIN_RE: Final = re.compile(r"[0-9]{4,8}")
COLOUR_RE: Final = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR: Final = "#2e7d32"

# Preferences a learner keeps with the profile (JSON in learners.preferences).
PREFERENCE_KEYS: Final = ("theme", "text_size", "language")
THEMES: Final = ("light", "dark", "high-contrast")
TEXT_SIZE_MIN: Final = 8
TEXT_SIZE_MAX: Final = 40
LANGUAGE_RE: Final = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?")

# Lock-out: after MAX_TRIES wrong answers in a row the profile (or the technician gate) is locked,
# first for one minute, and each further lock-out lasts twice as long, up to a day. After a lock-out
# ends the next MAX_TRIES wrong answers lock it again (for twice as long). A correct answer clears
# both the wrong-answer count and the lock-out history, so the next lock-out is one minute again.
MAX_TRIES: Final = 5
FIRST_LOCKOUT: Final = timedelta(minutes=1)
LONGEST_LOCKOUT: Final = timedelta(hours=24)

# scrypt parameters for new hashes; stored hashes carry their own, so these can grow later.
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
HASH_BYTES: Final = 32

# Settings keys.
_TECH_FAILED: Final = "technician_failed"
_TECH_LOCKOUTS: Final = "technician_lockouts"
_TECH_LOCKED_UNTIL: Final = "technician_locked_until"


# --- errors --------------------------------------------------------------------------------------


class LearnerError(McdeskError):
    """A learner profile cannot be created, changed or found, or a value for it is refused."""


class WrongPin(LearnerError):
    """The PIN (or the technician passphrase) does not match; ``remaining_attempts`` before a lock-out."""

    def __init__(self, remaining_attempts: int, *, what: str = "PIN") -> None:
        self.remaining_attempts = remaining_attempts
        tries = "1 try" if remaining_attempts == 1 else f"{remaining_attempts} tries"
        hint = ("Ask a technician to reset it if it is forgotten." if what == "PIN"
                else "Whoever set up this laptop knows it.")
        super().__init__(f"That {what} is not right: {tries} left before a lock-out.", hint)


class WrongPassphrase(WrongPin):
    """The technician passphrase does not match."""

    def __init__(self, remaining_attempts: int) -> None:
        super().__init__(remaining_attempts, what="technician passphrase")


class LockedOut(LearnerError):
    """Too many wrong answers: nothing is checked until ``until`` (an aware UTC datetime)."""

    def __init__(self, until: datetime, *, what: str = "PIN", now: datetime | None = None) -> None:
        self.until = until
        left = max(timedelta(0), until - _now(now))
        super().__init__(f"Too many wrong tries of the {what}: locked for {_duration_text(left)} more.",
                         "Wait until then" + (", or ask a technician to reset the PIN." if what == "PIN" else "."))


# --- the profile ---------------------------------------------------------------------------------


def _new_uuid() -> str:
    import uuid  # on Linux it imports `platform`: only when a learner is made, not at the app's start

    return str(uuid.uuid4())


def get_learner(store: Store, learner_id: int) -> Learner:
    row = store.one(f"SELECT {_COLUMNS} FROM learners WHERE id = ?", (learner_id,))
    if row is None:
        raise LearnerError(f"There is no learner profile number {learner_id} on this laptop.",
                           "It may have been removed; choose a profile again.")
    return _learner(row)


def create_learner(store: Store, name: str, colour: str, picture: str | None = None, pin: str | None = None,
                   institution_id: str | None = None) -> Learner:
    """A new profile; names are unique on the laptop regardless of case. It gets a uuid4 that evidence
    records carry as the learner's device-local id."""
    name = _check_name(name)
    colour = _check_colour(colour)
    picture = _check_picture(picture)
    institution_id = _check_institution_id(institution_id)
    pin_hash = hash_secret(_check_pin(pin)) if pin else None
    with store.transaction() as conn:
        _refuse_duplicate(conn, name, None)
        cur = conn.execute(
            "INSERT INTO learners (name, created_at, colour, picture, pin_hash, institution_id, uuid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, _stamp(_now(None)), colour, picture, pin_hash, institution_id, _new_uuid()))
        learner_id = int(cur.lastrowid)
    return get_learner(store, learner_id)


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()
"""Default of ``update_learner``'s optional fields: leave the value as it is (``None`` clears it)."""


def update_learner(store: Store, learner_id: int, *, name: str | None = None, colour: str | None = None,
                   picture: str | None | _Keep = KEEP, institution_id: str | None | _Keep = KEEP) -> Learner:
    """Change a profile's name, colour, picture or institution id; what is not given stays."""
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = _check_name(name)
    if colour is not None:
        changes["colour"] = _check_colour(colour)
    if not isinstance(picture, _Keep):
        changes["picture"] = _check_picture(picture)
    if not isinstance(institution_id, _Keep):
        changes["institution_id"] = _check_institution_id(institution_id)
    with store.transaction() as conn:
        _require(conn, learner_id)
        if "name" in changes:
            _refuse_duplicate(conn, changes["name"], learner_id)
        if changes:
            assignments = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(f"UPDATE learners SET {assignments} WHERE id = ?", (*changes.values(), learner_id))
    return get_learner(store, learner_id)


def remove_learner(store: Store, learner_id: int) -> None:
    """Delete the profile and, through the schema's cascades, all of its progress on this laptop.

    Technician only: the UI asks for the technician passphrase before it offers this."""
    with store.transaction() as conn:
        _require(conn, learner_id)
        conn.execute("DELETE FROM learners WHERE id = ?", (learner_id,))


def touch(store: Store, learner_id: int, now: datetime | None = None) -> None:
    """Record that the learner is active now (the picker and "continue" use it)."""
    with store.transaction() as conn:
        _require(conn, learner_id)
        conn.execute("UPDATE learners SET last_active_at = ? WHERE id = ?", (_stamp(_now(now)), learner_id))


# --- PINs ----------------------------------------------------------------------------------------


def set_pin(store: Store, learner_id: int, new_pin: str, current_pin: str | None = None, *,
            technician: bool = False) -> None:
    """Set or change the profile's PIN. Changing one needs the current PIN (checked with the
    lock-out rules) unless the technician does it."""
    new_hash = hash_secret(_check_pin(new_pin))
    if not technician:
        _require_current_pin(store, learner_id, current_pin, "change")
    with store.transaction() as conn:
        _require(conn, learner_id)
        conn.execute("UPDATE learners SET pin_hash = ?, failed_pins = 0, lockouts = 0, locked_until = NULL "
                     "WHERE id = ?", (new_hash, learner_id))


def remove_pin(store: Store, learner_id: int, current_pin: str | None = None, *, technician: bool = False) -> None:
    """Take the PIN off a profile; needs the current PIN unless the technician does it."""
    if not technician:
        _require_current_pin(store, learner_id, current_pin, "remove")
    technician_reset_pin(store, learner_id)


def technician_reset_pin(store: Store, learner_id: int) -> None:
    """Clear a forgotten PIN and any lock-out; the learner can then set a new PIN."""
    with store.transaction() as conn:
        _require(conn, learner_id)
        conn.execute("UPDATE learners SET pin_hash = NULL, failed_pins = 0, lockouts = 0, locked_until = NULL "
                     "WHERE id = ?", (learner_id,))


def check_pin(store: Store, learner_id: int, pin: str, now: datetime | None = None) -> None:
    """Return if ``pin`` opens the profile (or it has no PIN); else raise WrongPin or LockedOut.

    While the profile is locked out nothing is hashed or counted."""
    now = _now(now)
    row = store.one("SELECT pin_hash, failed_pins, lockouts, locked_until FROM learners WHERE id = ?",
                    (learner_id,))
    if row is None:
        get_learner(store, learner_id)  # raises the not-found error
        return
    if not row["pin_hash"]:
        return
    state = _Attempts(int(row["failed_pins"]), int(row["lockouts"]), _parse_time(row["locked_until"]))
    if state.locked_until is not None and now < state.locked_until:
        raise LockedOut(state.locked_until, now=now)
    ok = bool(PIN_RE.fullmatch(pin or "")) and verify_secret(pin, row["pin_hash"])
    state = state.after(ok, now)
    with store.transaction() as conn:
        conn.execute("UPDATE learners SET failed_pins = ?, lockouts = ?, locked_until = ? WHERE id = ?",
                     (state.failed, state.lockouts, _stamp(state.locked_until, exact=True), learner_id))
    state.raise_if_refused(ok, now, "PIN")


def _require_current_pin(store: Store, learner_id: int, current_pin: str | None, verb: str) -> None:
    learner = get_learner(store, learner_id)
    if not learner.has_pin:
        return
    if not current_pin:
        raise LearnerError(f"To {verb} the PIN of {learner.name}, give the current PIN first.",
                           "A technician can reset a forgotten PIN.")
    check_pin(store, learner_id, current_pin)


@dataclass(frozen=True)
class _Attempts:
    """The wrong-answer count and lock-out history of one PIN or passphrase."""

    failed: int
    lockouts: int
    locked_until: datetime | None

    def after(self, ok: bool, now: datetime) -> _Attempts:
        if ok:
            return _Attempts(0, 0, None)
        failed = self.failed + 1
        if failed < MAX_TRIES:
            return _Attempts(failed, self.lockouts, self.locked_until)
        lockouts = self.lockouts + 1
        return _Attempts(0, lockouts, now + lockout_duration(lockouts))

    def raise_if_refused(self, ok: bool, now: datetime, what: str) -> None:
        if ok:
            return
        if self.failed == 0 and self.locked_until is not None:
            raise LockedOut(self.locked_until, what=what, now=now)
        remaining = MAX_TRIES - self.failed
        raise WrongPin(remaining) if what == "PIN" else WrongPassphrase(remaining)


def lockout_duration(lockouts: int) -> timedelta:
    """How long the n-th lock-out in a row lasts: 1, 2, 4, 8 … minutes, at most a day."""
    if lockouts > 20:  # 2**20 minutes is far past the cap already
        return LONGEST_LOCKOUT
    return min(FIRST_LOCKOUT * (2 ** max(0, lockouts - 1)), LONGEST_LOCKOUT)


# --- hashing -------------------------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    """``scrypt$n$r$p$salt_b64$hash_b64`` with a fresh random salt."""
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii")])


def verify_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches a hash made by ``hash_secret`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        n_, r_, p_ = int(n), int(r), int(p)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except ValueError:
        return False
    # Refuse parameters nobody here wrote (a hand-edited database must not make the check hang).
    if scheme != "scrypt" or not (2 <= n_ <= 2**20 and n_ & (n_ - 1) == 0 and 1 <= r_ <= 32 and 1 <= p_ <= 16):
        return False
    if 128 * n_ * r_ * p_ > 64 * 2**20:  # at most 64 MiB of work memory
        return False
    if not expected or len(expected) > 64:
        return False
    import hmac  # hashlib and hmac load OpenSSL: imported when a PIN is checked, not at start

    actual = _scrypt(secret, salt, n_, r_, p_, len(expected))
    return hmac.compare_digest(actual, expected)


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    import hashlib

    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=256 * n * r * p + 2**20)


# --- preferences ---------------------------------------------------------------------------------


def get_preferences(store: Store, learner_id: int) -> dict[str, Any]:
    return get_learner(store, learner_id).preferences


def set_preferences(store: Store, learner_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``changes`` into the learner's preferences (a value of None removes the key); returns them.

    Known keys: ``theme`` (one of THEMES), ``text_size`` (points, 8–40), ``language`` (a code such
    as "fr" or "sw"; "system" or "" follows the system)."""
    for key, value in changes.items():
        _check_preference(key, value)
    with store.transaction() as conn:
        row = conn.execute("SELECT preferences FROM learners WHERE id = ?", (learner_id,)).fetchone()
        if row is None:
            _require(conn, learner_id)
        try:
            prefs = json.loads(row["preferences"] or "{}")
        except ValueError:
            prefs = {}
        if not isinstance(prefs, dict):
            prefs = {}
        for key, value in changes.items():
            if value is None:
                prefs.pop(key, None)
            else:
                prefs[key] = value
        conn.execute("UPDATE learners SET preferences = ? WHERE id = ?",
                     (json.dumps(prefs, sort_keys=True), learner_id))
    return prefs


def _check_preference(key: str, value: Any) -> None:
    if key not in PREFERENCE_KEYS:
        raise LearnerError(f"There is no preference called {key!r}.", "Known ones: theme, text_size, language.")
    if value is None:  # removes the preference
        return
    if key == "theme":
        if value not in THEMES:
            raise LearnerError(f"There is no theme {value!r}.", f"Choose one of: {', '.join(THEMES)}.")
    elif key == "text_size":
        if isinstance(value, bool) or not isinstance(value, int) or not TEXT_SIZE_MIN <= value <= TEXT_SIZE_MAX:
            raise LearnerError(f"A text size of {value!r} is not possible.",
                               f"Choose a whole number of points from {TEXT_SIZE_MIN} to {TEXT_SIZE_MAX}.")
    elif not isinstance(value, str) or (value not in ("", "system") and not LANGUAGE_RE.fullmatch(value)):
        raise LearnerError(f"{value!r} is not a language code.",
                           'Use a code such as "en", "fr" or "sw", or "system" to follow the system.')


# --- technician passphrase -----------------------------------------------------------------------


def set_technician_passphrase(store: Store, new: str, current: str | None = None,
                              now: datetime | None = None) -> None:
    """Set the passphrase at first start, or change it (which needs the current one)."""
    if not isinstance(new, str) or len(new) < PASSPHRASE_MIN:
        raise LearnerError(f"A technician passphrase needs at least {PASSPHRASE_MIN} characters.",
                           "Use a few words that are easy to remember and hard to guess.")
    if len(new) > PASSPHRASE_MAX:
        raise LearnerError(f"A technician passphrase can have at most {PASSPHRASE_MAX} characters.")
    if has_technician_passphrase(store):
        if not current:
            raise LearnerError("To change the technician passphrase, give the current one first.")
        check_technician_passphrase(store, current, now)
    new_hash = hash_secret(new)
    with store.transaction() as conn:
        _put(conn, TECHNICIAN_PASSPHRASE, new_hash)
        _clear_technician_attempts(conn)


def check_technician_passphrase(store: Store, passphrase: str, now: datetime | None = None) -> None:
    """Return if the passphrase is right; else raise WrongPassphrase or LockedOut (rules as for PINs)."""
    now = _now(now)
    stored = get_setting(store, TECHNICIAN_PASSPHRASE)
    if not stored:
        raise LearnerError("No technician passphrase has been set on this laptop yet.",
                           "Set one first: the technician panel asks for it at first start.")
    state = _Attempts(_int_setting(store, _TECH_FAILED), _int_setting(store, _TECH_LOCKOUTS),
                      _parse_time(get_setting(store, _TECH_LOCKED_UNTIL)))
    if state.locked_until is not None and now < state.locked_until:
        raise LockedOut(state.locked_until, what="technician passphrase", now=now)
    ok = isinstance(passphrase, str) and len(passphrase) <= PASSPHRASE_MAX and verify_secret(passphrase, stored)
    state = state.after(ok, now)
    with store.transaction() as conn:
        if ok:
            _clear_technician_attempts(conn)
        else:
            _put(conn, _TECH_FAILED, str(state.failed))
            _put(conn, _TECH_LOCKOUTS, str(state.lockouts))
            _put(conn, _TECH_LOCKED_UNTIL, _stamp(state.locked_until, exact=True) or "")
    state.raise_if_refused(ok, now, "technician passphrase")


def _clear_technician_attempts(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM settings WHERE key IN (?, ?, ?)", (_TECH_FAILED, _TECH_LOCKOUTS, _TECH_LOCKED_UNTIL))


# --- app settings --------------------------------------------------------------------------------


def set_setting(store: Store, key: str, value: str) -> None:
    """Store one text setting. Technician keys change only through the passphrase functions."""
    if key.startswith("technician_"):
        raise LearnerError(f"The setting {key!r} can only be changed through the technician passphrase.")
    if not isinstance(value, str):
        raise LearnerError(f"The setting {key!r} takes text, not {type(value).__name__}.")
    with store.transaction() as conn:
        _put(conn, key, value)


def set_idle_lock_minutes(store: Store, minutes: int) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= IDLE_LOCK_MAX:
        raise LearnerError(f"An idle lock of {minutes!r} minutes is not possible.",
                           f"Choose a whole number from 0 (never lock) to {IDLE_LOCK_MAX}.")
    set_setting(store, IDLE_LOCK_MINUTES, str(minutes))


def _put(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def _int_setting(store: Store, key: str) -> int:
    try:
        return int(get_setting(store, key) or 0)
    except ValueError:
        return 0


# --- validation and small helpers ----------------------------------------------------------------


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise LearnerError("A learner profile needs a name.", "Type the name the learner wants to see.")
    if len(name) > NAME_MAX:
        raise LearnerError(f"That name has {len(name)} characters; at most {NAME_MAX} fit.",
                           "Use a shorter name or a nickname.")
    if any(not ch.isprintable() for ch in name):
        raise LearnerError("A name cannot contain control characters.", "Type the name again.")
    return name


def _check_colour(colour: str) -> str:
    if not isinstance(colour, str) or not COLOUR_RE.fullmatch(colour):
        raise LearnerError(f"{colour!r} is not a colour.", 'Give it as "#rrggbb", for example "#2e7d32".')
    return colour.lower()


def _check_picture(picture: str | None) -> str | None:
    if picture is None or picture == "":
        return None
    if picture not in AVATARS:
        raise LearnerError(f"There is no built-in picture called {picture!r}.",
                           f"Choose one of: {', '.join(AVATARS)}.")
    return picture


def _check_institution_id(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > INSTITUTION_ID_MAX:
        raise LearnerError(f"An institution id can have at most {INSTITUTION_ID_MAX} characters.",
                           "Copy it exactly from the institution's records.")
    if any(not ch.isprintable() for ch in value):
        raise LearnerError("An institution id cannot contain control characters.",
                           "Copy it exactly from the institution's records.")
    return value


def _check_pin(pin: str | None) -> str:
    if not isinstance(pin, str) or not PIN_RE.fullmatch(pin):
        raise LearnerError("A PIN is 4 to 8 digits (0–9), nothing else.", "Choose 4 to 8 digits.")
    return pin


def _refuse_duplicate(conn: sqlite3.Connection, name: str, learner_id: int | None) -> None:
    wanted = name.casefold()
    for row in conn.execute("SELECT id, name FROM learners"):
        if row["name"].casefold() == wanted and row["id"] != learner_id:
            raise LearnerError(f"There is already a learner called {row['name']} on this laptop.",
                               "Choose another name, for example with a family name or initial.")


def _require(conn: sqlite3.Connection, learner_id: int) -> None:
    if conn.execute("SELECT 1 FROM learners WHERE id = ?", (learner_id,)).fetchone() is None:
        raise LearnerError(f"There is no learner profile number {learner_id} on this laptop.",
                           "It may have been removed; choose a profile again.")


def _stamp(moment: datetime | None, *, exact: bool = False) -> str | None:
    """ISO 8601 UTC text, to the second like ``utcnow`` (to the microsecond for lock-out ends)."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    if not exact:
        moment = moment.replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def _duration_text(left: timedelta) -> str:
    seconds = max(1, int(left.total_seconds() + 0.999))
    if seconds < 120:
        return f"{seconds} seconds"
    minutes = (seconds + 59) // 60
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{(minutes + 59) // 60} hours"
