"""Learner profiles: names, PINs hashed with scrypt and never in clear, the growing lock-out, the
technician passphrase, removal with all progress, preferences and app settings."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mcdesk.errors import McdeskError
from mcdesk.learning import learners as L
from mcdesk.learning.learners import LearnerError, LockedOut, WrongPassphrase, WrongPin
from mcdesk.learning.progress import mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store

T0 = datetime(2025, 3, 1, 9, 0, 0, tzinfo=UTC)
PIN = "73915468"


def _wrong(store: Store, learner_id: int, times: int, now: datetime) -> list[McdeskError]:
    errors = []
    for _ in range(times):
        with pytest.raises((WrongPin, LockedOut)) as info:
            L.check_pin(store, learner_id, "0000", now=now)
        errors.append(info.value)
    return errors


def _raw(store: Store, learner_id: int) -> dict:
    return dict(store.one("SELECT * FROM learners WHERE id = ?", (learner_id,)))


# --- profiles ------------------------------------------------------------------------------------


def test_created_learner_is_listed_sorted_by_name_regardless_of_case(store: Store) -> None:
    L.create_learner(store, "zoe", "#112233")
    L.create_learner(store, "Amani", "#AABBCC", picture="sun", institution_id=" S-001 ")
    L.create_learner(store, "bo", "#123456")
    names = [x.name for x in L.list_learners(store)]
    assert names == ["Amani", "bo", "zoe"]
    amani = L.list_learners(store)[0]
    assert (amani.colour, amani.picture, amani.institution_id, amani.has_pin) == ("#aabbcc", "sun", "S-001", False)
    assert amani.preferences == {} and amani.locked_until is None and amani.last_active_at is None
    assert L.get_learner(store, amani.id) == amani


def test_duplicate_name_is_refused_regardless_of_case(store: Store) -> None:
    L.create_learner(store, "Wanjiru", "#112233")
    with pytest.raises(LearnerError, match="already a learner called Wanjiru"):
        L.create_learner(store, "  WANJIRU ", "#112233")
    other = L.create_learner(store, "Otieno", "#112233")
    with pytest.raises(LearnerError, match="already"):
        L.update_learner(store, other.id, name="wanjiru")
    assert [x.name for x in L.list_learners(store)] == ["Otieno", "Wanjiru"]


def test_renaming_a_learner_to_another_case_of_their_own_name_is_allowed(store: Store) -> None:
    learner = L.create_learner(store, "amani", "#112233")
    assert L.update_learner(store, learner.id, name="Amani").name == "Amani"


@pytest.mark.parametrize(("name", "message"), [
    ("", "needs a name"), ("   ", "needs a name"), ("x" * 41, "at most 40"), ("a\x00b", "control characters")])
def test_bad_names_are_refused_with_a_clear_message(store: Store, name: str, message: str) -> None:
    with pytest.raises(LearnerError, match=message):
        L.create_learner(store, name, "#112233")
    assert L.list_learners(store) == []


def test_names_of_one_and_forty_characters_are_accepted(store: Store) -> None:
    assert L.create_learner(store, "A", "#112233").name == "A"
    assert L.create_learner(store, "é" * 40, "#112233").name == "é" * 40


@pytest.mark.parametrize("colour", ["green", "#12345", "#1234567", "112233", "#gg0000", ""])
def test_bad_colours_are_refused(store: Store, colour: str) -> None:
    with pytest.raises(LearnerError, match="is not a colour"):
        L.create_learner(store, "Amani", colour)


def test_unknown_picture_is_refused_and_known_ones_accepted(store: Store) -> None:
    with pytest.raises(LearnerError, match="no built-in picture called 'unicorn'"):
        L.create_learner(store, "Amani", "#112233", picture="unicorn")
    for n, avatar in enumerate(L.AVATARS):
        assert L.create_learner(store, f"L{n}", "#112233", picture=avatar).picture == avatar


def test_update_changes_only_what_is_given_and_none_clears(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", picture="star", institution_id="S-1")
    same = L.update_learner(store, learner.id, colour="#445566")
    assert (same.name, same.colour, same.picture, same.institution_id) == ("Amani", "#445566", "star", "S-1")
    cleared = L.update_learner(store, learner.id, picture=None, institution_id=None)
    assert (cleared.picture, cleared.institution_id) == (None, None)
    with pytest.raises(LearnerError, match="at most 100"):
        L.update_learner(store, learner.id, institution_id="x" * 101)


def test_unknown_learner_is_refused_everywhere(store: Store) -> None:
    for call in (lambda: L.get_learner(store, 99), lambda: L.update_learner(store, 99, name="x"),
                 lambda: L.remove_learner(store, 99), lambda: L.touch(store, 99),
                 lambda: L.check_pin(store, 99, "1234"), lambda: L.technician_reset_pin(store, 99),
                 lambda: L.set_pin(store, 99, "1234"), lambda: L.set_preferences(store, 99, {"theme": "dark"})):
        with pytest.raises(LearnerError, match="no learner profile number 99"):
            call()


def test_touch_records_last_activity(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233")
    L.touch(store, learner.id, now=T0)
    assert L.get_learner(store, learner.id).last_active_at == T0


# --- PINs ----------------------------------------------------------------------------------------


def test_pin_is_stored_as_scrypt_hash_in_the_documented_format(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    stored = _raw(store, learner.id)["pin_hash"]
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert learner.has_pin
    L.check_pin(store, learner.id, PIN)  # returns: right PIN


def test_same_pin_hashes_differently_for_two_learners(store: Store) -> None:
    a = L.create_learner(store, "A", "#112233", pin="1234")
    b = L.create_learner(store, "B", "#112233", pin="1234")
    assert _raw(store, a.id)["pin_hash"] != _raw(store, b.id)["pin_hash"]


def test_no_clear_pin_anywhere_in_the_database_files(store: Store, home) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    L.set_pin(store, learner.id, "86420975", current_pin=PIN)
    with pytest.raises(WrongPin):
        L.check_pin(store, learner.id, "13572468")
    L.set_technician_passphrase(store, "correct horse battery")
    store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    blobs = b"".join(p.read_bytes() for p in Path(home.root).glob("mcdesk.db*"))
    assert blobs
    for secret in (PIN, "86420975", "13572468", "correct horse battery"):
        assert secret.encode() not in blobs
        assert secret.encode("utf-16-le") not in blobs


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "12 34", "", "١٢٣٤", "-1234"])
def test_pins_other_than_four_to_eight_digits_are_refused(store: Store, pin: str) -> None:
    with pytest.raises(LearnerError, match="4 to 8 digits"):
        L.create_learner(store, "Amani", "#112233", pin=pin or "x")
    learner = L.create_learner(store, "Bo", "#112233")
    with pytest.raises(LearnerError, match="4 to 8 digits"):
        L.set_pin(store, learner.id, pin)
    assert not L.get_learner(store, learner.id).has_pin


@pytest.mark.parametrize("pin", ["0000", "12345678"])
def test_four_and_eight_digit_pins_are_accepted(store: Store, pin: str) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=pin)
    L.check_pin(store, learner.id, pin)


def test_learner_without_pin_opens_with_anything(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233")
    L.check_pin(store, learner.id, "")


def test_wrong_pin_says_how_many_tries_are_left(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    errors = _wrong(store, learner.id, 4, T0)
    assert [e.remaining_attempts for e in errors] == [4, 3, 2, 1]
    assert "That PIN is not right: 1 try left" in errors[-1].message
    assert isinstance(errors[0], McdeskError) and errors[0].hint


def test_fifth_wrong_pin_locks_for_one_minute_and_then_doubles(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    now = T0
    for minutes in (1, 2, 4, 8):
        errors = _wrong(store, learner.id, 5, now)
        assert all(isinstance(e, WrongPin) for e in errors[:4])
        assert isinstance(errors[4], LockedOut)
        assert errors[4].until == now + timedelta(minutes=minutes)
        assert "locked for" in errors[4].message
        assert L.get_learner(store, learner.id).locked_until == now + timedelta(minutes=minutes)
        now = errors[4].until  # the lock-out has just ended


def test_lockout_is_capped_at_one_day(store: Store) -> None:
    assert [L.lockout_duration(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert L.lockout_duration(11) == timedelta(minutes=1024)
    assert L.lockout_duration(12) == timedelta(hours=24)
    assert L.lockout_duration(10_000) == timedelta(hours=24)


def test_locked_profile_refuses_even_the_right_pin_without_counting(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    _wrong(store, learner.id, 5, T0)
    before = _raw(store, learner.id)
    for pin in (PIN, "0000"):
        with pytest.raises(LockedOut) as info:
            L.check_pin(store, learner.id, pin, now=T0 + timedelta(seconds=59))
        assert info.value.until == T0 + timedelta(minutes=1)
    assert _raw(store, learner.id) == before
    L.check_pin(store, learner.id, PIN, now=T0 + timedelta(minutes=1))


def test_locked_profile_is_refused_without_hashing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    _wrong(store, learner.id, 5, T0)
    calls = []
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(a))
    with pytest.raises(LockedOut):
        L.check_pin(store, learner.id, PIN, now=T0 + timedelta(seconds=30))
    assert calls == []


def test_right_pin_resets_the_count_and_the_lockout_history(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    _wrong(store, learner.id, 5, T0)
    _wrong(store, learner.id, 5, T0 + timedelta(minutes=1))  # second lock-out: 2 minutes
    later = T0 + timedelta(minutes=3)
    _wrong(store, learner.id, 4, later)
    L.check_pin(store, learner.id, PIN, now=later)
    raw = _raw(store, learner.id)
    assert (raw["failed_pins"], raw["lockouts"], raw["locked_until"]) == (0, 0, None)
    errors = _wrong(store, learner.id, 5, later)
    assert errors[0].remaining_attempts == 4
    assert errors[4].until == later + timedelta(minutes=1)


def test_changing_a_pin_needs_the_current_one(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    with pytest.raises(LearnerError, match="give the current PIN first"):
        L.set_pin(store, learner.id, "1111")
    with pytest.raises(WrongPin):
        L.set_pin(store, learner.id, "1111", current_pin="2222")
    L.check_pin(store, learner.id, PIN)
    L.set_pin(store, learner.id, "1111", current_pin=PIN)
    L.check_pin(store, learner.id, "1111")
    with pytest.raises(WrongPin):
        L.check_pin(store, learner.id, PIN)


def test_technician_sets_a_pin_without_the_current_one(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    L.set_pin(store, learner.id, "2468", technician=True)
    L.check_pin(store, learner.id, "2468")


def test_first_pin_needs_no_current_pin(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233")
    L.set_pin(store, learner.id, "2468")
    assert L.get_learner(store, learner.id).has_pin


def test_removing_a_pin_needs_the_current_one(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    with pytest.raises(LearnerError, match="remove the PIN of Amani"):
        L.remove_pin(store, learner.id)
    with pytest.raises(WrongPin):
        L.remove_pin(store, learner.id, "9999")
    L.remove_pin(store, learner.id, PIN)
    assert not L.get_learner(store, learner.id).has_pin


def test_technician_reset_clears_pin_and_lockout(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    _wrong(store, learner.id, 5, T0)
    L.technician_reset_pin(store, learner.id)
    raw = _raw(store, learner.id)
    assert (raw["pin_hash"], raw["failed_pins"], raw["lockouts"], raw["locked_until"]) == (None, 0, 0, None)
    L.check_pin(store, learner.id, "", now=T0)


def test_hand_edited_hash_with_absurd_parameters_never_matches(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233", pin=PIN)
    good = _raw(store, learner.id)["pin_hash"]
    parts = good.split("$")
    for bad in ("plain", "$".join(["scrypt", str(2**30), *parts[2:]]), "$".join([*parts[:4], "!!", parts[5]]),
                "$".join(["md5", *parts[1:]]), "$".join(["scrypt", str(2**20), "32", "1", *parts[4:]]),
                "$".join(["scrypt", "1000", *parts[2:]])):
        assert not L.verify_secret(PIN, bad)
    assert L.verify_secret(PIN, good)


# --- removal -------------------------------------------------------------------------------------


def test_removing_a_learner_removes_all_their_progress(store: Store, manager: PackManager, make_pack) -> None:
    manager.install(make_pack())
    gone = L.create_learner(store, "Gone", "#112233")
    kept = L.create_learner(store, "Kept", "#112233")
    for learner in (gone, kept):
        mark_lesson_complete(store, learner.id, "org.example.test", "lesson-1")
        with store.transaction() as conn:
            conn.execute("INSERT INTO item_visits VALUES (?, 'org.example.test', 'lesson-1', 'now')", (learner.id,))
            attempt = conn.execute(
                "INSERT INTO quiz_attempts (learner_id, pack_id, quiz_id, pack_version, seed, draw, started_at) "
                "VALUES (?, 'org.example.test', 'check', 1, 7, '[]', 'now')", (learner.id,)).lastrowid
            conn.execute("INSERT INTO quiz_answers VALUES (?, 'q1', 0, 'true', 1, 'now')", (attempt,))
            conn.execute("INSERT INTO earned_credentials (learner_id, credential_ref, title, earned_at, definition) "
                         "VALUES (?, 'org.example.test/test-cred', 'T', 'now', '{}')", (learner.id,))
    L.remove_learner(store, gone.id)
    tables = ("lesson_progress", "item_visits", "quiz_attempts", "earned_credentials")
    for table in tables:
        rows = store.query(f"SELECT learner_id FROM {table}")
        assert [r["learner_id"] for r in rows] == [kept.id], table
    assert len(store.query("SELECT * FROM quiz_answers")) == 1
    assert [x.name for x in L.list_learners(store)] == ["Kept"]
    with pytest.raises(LearnerError):
        L.get_learner(store, gone.id)


# --- preferences ---------------------------------------------------------------------------------


def test_preferences_merge_and_none_removes(store: Store) -> None:
    learner = L.create_learner(store, "Amani", "#112233")
    assert L.set_preferences(store, learner.id, {"theme": "dark", "text_size": 14}) == {"theme": "dark",
                                                                                        "text_size": 14}
    L.set_preferences(store, learner.id, {"language": "sw", "theme": None})
    assert L.get_preferences(store, learner.id) == {"text_size": 14, "language": "sw"}
    assert json.loads(_raw(store, learner.id)["preferences"]) == {"text_size": 14, "language": "sw"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"theme": "pink"}, "no theme 'pink'"), ({"text_size": 100}, "text size of 100"),
    ({"text_size": "12"}, "text size"), ({"text_size": True}, "text size"),
    ({"language": "French!"}, "not a language code"), ({"colour": "x"}, "no preference called 'colour'")])
def test_bad_preferences_are_refused_and_nothing_changes(store: Store, changes: dict, message: str) -> None:
    learner = L.create_learner(store, "Amani", "#112233")
    L.set_preferences(store, learner.id, {"theme": "light"})
    with pytest.raises(LearnerError, match=message):
        L.set_preferences(store, learner.id, {"text_size": 12, **changes})
    assert L.get_preferences(store, learner.id) == {"theme": "light"}


# --- technician passphrase -----------------------------------------------------------------------


def test_technician_passphrase_is_set_once_then_checked(store: Store) -> None:
    assert not L.has_technician_passphrase(store)
    with pytest.raises(LearnerError, match="No technician passphrase"):
        L.check_technician_passphrase(store, "anything at all")
    L.set_technician_passphrase(store, "lab laptop 42")
    assert L.has_technician_passphrase(store)
    assert L.get_setting(store, L.TECHNICIAN_PASSPHRASE).startswith("scrypt$16384$8$1$")
    L.check_technician_passphrase(store, "lab laptop 42")
    with pytest.raises(WrongPassphrase) as info:
        L.check_technician_passphrase(store, "lab laptop 43")
    assert info.value.remaining_attempts == 4
    assert "technician passphrase is not right" in info.value.message


def test_short_technician_passphrase_is_refused(store: Store) -> None:
    with pytest.raises(LearnerError, match="at least 8 characters"):
        L.set_technician_passphrase(store, "1234567")
    with pytest.raises(LearnerError, match="at most 256"):
        L.set_technician_passphrase(store, "x" * 257)
    assert not L.has_technician_passphrase(store)


def test_changing_technician_passphrase_needs_the_current_one(store: Store) -> None:
    L.set_technician_passphrase(store, "first passphrase")
    with pytest.raises(LearnerError, match="give the current one first"):
        L.set_technician_passphrase(store, "second passphrase")
    with pytest.raises(WrongPassphrase):
        L.set_technician_passphrase(store, "second passphrase", current="not it at all")
    L.set_technician_passphrase(store, "second passphrase", current="first passphrase")
    L.check_technician_passphrase(store, "second passphrase")
    with pytest.raises(WrongPassphrase):
        L.check_technician_passphrase(store, "first passphrase")


def test_technician_passphrase_locks_out_and_grows_and_resets(store: Store) -> None:
    L.set_technician_passphrase(store, "lab laptop 42")
    now = T0
    for minutes in (1, 2):
        for remaining in (4, 3, 2, 1):
            with pytest.raises(WrongPassphrase) as wrong:
                L.check_technician_passphrase(store, "guess", now=now)
            assert wrong.value.remaining_attempts == remaining
        with pytest.raises(LockedOut) as locked:
            L.check_technician_passphrase(store, "guess", now=now)
        assert locked.value.until == now + timedelta(minutes=minutes)
        with pytest.raises(LockedOut):
            L.check_technician_passphrase(store, "lab laptop 42", now=now + timedelta(seconds=10))
        now = locked.value.until
    L.check_technician_passphrase(store, "lab laptop 42", now=now)
    with pytest.raises(WrongPassphrase) as wrong:
        L.check_technician_passphrase(store, "guess", now=now)
    assert wrong.value.remaining_attempts == 4


def test_technician_settings_cannot_be_overwritten_through_set_setting(store: Store) -> None:
    L.set_technician_passphrase(store, "lab laptop 42")
    with pytest.raises(LearnerError, match="only be changed through the technician passphrase"):
        L.set_setting(store, L.TECHNICIAN_PASSPHRASE, "scrypt$...")
    L.check_technician_passphrase(store, "lab laptop 42")


# --- settings ------------------------------------------------------------------------------------


def test_settings_round_trip_and_idle_lock_default(store: Store) -> None:
    assert L.get_setting(store, "language") is None
    assert L.get_setting(store, "language", "en") == "en"
    L.set_setting(store, "language", "fr")
    assert L.get_setting(store, "language") == "fr"
    assert L.idle_lock_minutes(store) == 5
    L.set_idle_lock_minutes(store, 0)
    assert L.idle_lock_minutes(store) == 0
    L.set_idle_lock_minutes(store, 15)
    assert L.idle_lock_minutes(store) == 15


@pytest.mark.parametrize("minutes", [-1, 1441, "5", 2.5, True])
def test_impossible_idle_lock_is_refused(store: Store, minutes: object) -> None:
    with pytest.raises(LearnerError, match="idle lock"):
        L.set_idle_lock_minutes(store, minutes)  # type: ignore[arg-type]
    assert L.idle_lock_minutes(store) == 5


def test_damaged_idle_lock_setting_falls_back_to_default(store: Store) -> None:
    L.set_setting(store, L.IDLE_LOCK_MINUTES, "soon")
    assert L.idle_lock_minutes(store) == 5


def test_setting_values_must_be_text(store: Store) -> None:
    with pytest.raises(LearnerError, match="takes text"):
        L.set_setting(store, "x", 5)  # type: ignore[arg-type]
