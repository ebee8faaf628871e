"""Credentials evaluated locally: earned once the criteria are met, stacked ones after their parts,
completion events announced inside the recording transaction, and the wallet."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from mcdesk.errors import McdeskError
from mcdesk.learning import credentials
from mcdesk.learning.credentials import (
    AWAITING_VERIFICATION,
    AttemptFinished,
    CompletionEvent,
    CredentialEarned,
    LessonCompleted,
    add_listener,
    attempt_finished,
    evaluate,
    wallet,
)
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store, utcnow

PACK = "org.example.test"
CRED = f"{PACK}/test-cred"
DL = "org.mcdesk.samples.digital-literacy"
AT = "org.mcdesk.samples.analytical-thinking"
FS = "org.mcdesk.samples.future-skills"
DL_CRED = f"{DL}/digital-literacy-essentials"
AT_CRED = f"{AT}/analytical-thinking-foundations"
FS_CRED = f"{FS}/future-ready-foundations"


def insert_attempt(store: Store, learner_id: int, pack_id: str, quiz_id: str, earned: int, possible: int,
                   passed: bool, status: str = "finished") -> int:
    """A closed quiz attempt, written the way the quiz engine closes one."""
    version = store.one("SELECT version FROM packs WHERE id = ?", (pack_id,))["version"]
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO quiz_attempts (learner_id, pack_id, quiz_id, pack_version, seed, draw, started_at, "
            "finished_at, earned, possible, passed, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (learner_id, pack_id, quiz_id, version, 7, "{}", utcnow(), utcnow(), earned, possible, int(passed), status))
        return int(cur.lastrowid)


def complete_pack(store: Store, manager: PackManager, learner_id: int, pack_id: str, scaled: tuple[int, int] = (9, 10)
                  ) -> list[credentials.EarnedCredential]:
    """Every lesson completed and every quiz passed with ``scaled`` points; returns what was earned."""
    new = []
    for item in manager.manifest(pack_id).lessons():
        new += mark_lesson_complete(store, learner_id, pack_id, item.id)
    for item in manager.manifest(pack_id).quizzes():
        insert_attempt(store, learner_id, pack_id, item.id, *scaled, passed=True)
    return new + evaluate(store, learner_id)


class Recorder:
    def __init__(self) -> None:
        self.events: list[CompletionEvent] = []

    def completed(self, conn: sqlite3.Connection, event: CompletionEvent) -> None:
        assert conn.in_transaction
        self.events.append(event)


@pytest.fixture
def recorder() -> Callable[[], Recorder]:
    removers = []

    def make() -> Recorder:
        rec = Recorder()
        removers.append(add_listener(rec))
        return rec

    yield make
    for remove in removers:
        remove()


def test_test_pack_credential_is_earned_after_all_lessons_and_a_passed_quiz(
        manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    amina = add_learner(store, "Amina")
    assert mark_lesson_complete(store, amina, PACK, "lesson-1") == []
    assert mark_lesson_complete(store, amina, PACK, "lesson-2") == []  # the quiz is still missing
    insert_attempt(store, amina, PACK, "check", 1, 2, passed=False)
    assert evaluate(store, amina) == []
    insert_attempt(store, amina, PACK, "check", 2, 2, passed=True)

    [earned] = evaluate(store, amina)
    assert (earned.ref, earned.title, earned.status) == (CRED, "Test credential", AWAITING_VERIFICATION)
    assert earned.score == pytest.approx(1.0)  # the best finished attempt counts
    row = store.one("SELECT * FROM earned_credentials WHERE learner_id = ?", (amina,))
    assert (row["credential_ref"], row["status"], row["score"]) == (CRED, AWAITING_VERIFICATION, 1.0)
    assert '"test-cred"' in row["definition"]
    assert evaluate(store, amina) == []  # earned once


def test_marking_the_last_lesson_complete_earns_the_credential(
        manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    kofi = add_learner(store, "Kofi")
    insert_attempt(store, kofi, PACK, "check", 1, 2, passed=True)
    mark_lesson_complete(store, kofi, PACK, "lesson-1")
    [earned] = mark_lesson_complete(store, kofi, PACK, "lesson-2")
    assert earned.ref == CRED and earned.score == pytest.approx(0.5)
    assert mark_lesson_complete(store, kofi, PACK, "lesson-2") == []  # again: nothing new


def test_open_and_failed_attempts_do_not_count(
        manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    ama = add_learner(store, "Ama")
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, ama, PACK, lesson)
    insert_attempt(store, ama, PACK, "check", 0, 2, passed=False)
    insert_attempt(store, ama, PACK, "check", 1, 2, passed=False, status="expired")
    with store.transaction() as conn:
        conn.execute("INSERT INTO quiz_attempts (learner_id, pack_id, quiz_id, pack_version, seed, draw, started_at) "
                     "VALUES (?, ?, 'check', 1, 1, '{}', ?)", (ama, PACK, utcnow()))
    assert evaluate(store, ama) == []
    assert wallet(store, ama) == []


def test_one_learners_work_does_not_earn_another_learners_credential(
        manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    amina, kofi = add_learner(store, "Amina"), add_learner(store, "Kofi")
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, amina, PACK, lesson)
    insert_attempt(store, amina, PACK, "check", 2, 2, passed=True)
    assert [c.ref for c in evaluate(store, amina)] == [CRED]
    assert evaluate(store, kofi) == []
    assert wallet(store, kofi) == []


def test_evaluating_an_unknown_learner_is_refused(manager: PackManager, store: Store,
                                                  make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    with pytest.raises(McdeskError, match="no learner with id 99"):
        evaluate(store, 99)


def test_stacked_credential_is_earned_once_both_sample_credentials_are_held(
        manager: PackManager, store: Store) -> None:
    install_samples(manager.home, manager)
    zawadi = add_learner(store, "Zawadi")
    first = complete_pack(store, manager, zawadi, DL, scaled=(8, 10))
    assert [c.ref for c in first] == [DL_CRED]
    assert first[0].score == pytest.approx(0.8)

    second = complete_pack(store, manager, zawadi, AT, scaled=(10, 10))
    assert [c.ref for c in second] == [AT_CRED, FS_CRED]  # the stacked one right after its last part
    stacked = second[1]
    assert stacked.score == pytest.approx(0.9)  # the mean of its parts' scores
    assert stacked.status == AWAITING_VERIFICATION

    entries = {e.ref: e for e in wallet(store, zawadi)}
    assert set(entries) == {DL_CRED, AT_CRED, FS_CRED}
    dl = entries[DL_CRED]
    assert dl.title == "Digital Literacy Essentials"
    assert dl.status == AWAITING_VERIFICATION and dl.score == pytest.approx(0.8)
    assert "Technological literacy" in [s.name for s in dl.skills]
    assert dl.description.startswith("Uses a computer")
    [target] = dl.stacks_into
    assert (target.ref, target.title, target.held, target.parts_held, target.parts_total) == (
        FS_CRED, "Future-Ready Foundations", True, 2, 2)
    assert entries[FS_CRED].stacked and set(entries[FS_CRED].parts) == {DL_CRED, AT_CRED}


def test_stacked_credential_waits_while_a_part_is_missing_and_the_wallet_shows_the_pathway(
        manager: PackManager, store: Store) -> None:
    install_samples(manager.home, manager)
    baraka = add_learner(store, "Baraka")
    complete_pack(store, manager, baraka, DL)
    assert evaluate(store, baraka) == []
    [entry] = wallet(store, baraka)
    [target] = entry.stacks_into
    assert (target.held, target.parts_held, target.parts_total) == (False, 1, 2)


def test_a_revoked_part_does_not_count_toward_a_stacked_credential(manager: PackManager, store: Store) -> None:
    install_samples(manager.home, manager)
    neema = add_learner(store, "Neema")
    complete_pack(store, manager, neema, DL)
    with store.transaction() as conn:
        conn.execute("UPDATE earned_credentials SET status = 'revoked' WHERE learner_id = ?", (neema,))
    assert complete_pack(store, manager, neema, AT)[-1].ref == AT_CRED  # no stacked credential
    assert store.one("SELECT 1 FROM earned_credentials WHERE credential_ref = ?", (FS_CRED,)) is None


def test_lessons_only_credential_has_no_score(manager: PackManager, store: Store, tmp_path: Path,
                                              trusted_key) -> None:
    import json

    from mcdesk.packs.build import build_pack
    from tests.conftest import minimal_source

    src = minimal_source(tmp_path / "src")
    manifest = json.loads((src / "manifest.json").read_text())
    manifest["credentials"][0]["criteria"] = {"narrative": "Read.", "lessons": ["lesson-1"]}
    (src / "manifest.json").write_text(json.dumps(manifest))
    manager.install(build_pack(src, trusted_key, tmp_path / "p.mcpack").path)
    juma = add_learner(store, "Juma")
    [earned] = mark_lesson_complete(store, juma, PACK, "lesson-1")
    assert earned.score is None
    assert wallet(store, juma)[0].score is None


def test_listeners_hear_lesson_attempt_and_credential_events_in_order(
        manager: PackManager, store: Store, make_pack: Callable[..., Path], recorder) -> None:
    manager.install(make_pack())
    rec = recorder()
    amina = add_learner(store, "Amina")
    mark_lesson_complete(store, amina, PACK, "lesson-1")
    mark_lesson_complete(store, amina, PACK, "lesson-1")  # already done: no second event
    mark_lesson_complete(store, amina, PACK, "lesson-2")
    attempt = insert_attempt(store, amina, PACK, "check", 2, 2, passed=True)
    with store.transaction() as conn:
        new = attempt_finished(conn, attempt)
    assert [c.ref for c in new] == [CRED]
    kinds = [type(e) for e in rec.events]
    assert kinds == [LessonCompleted, LessonCompleted, AttemptFinished, CredentialEarned]
    assert rec.events[2].attempt_id == attempt and rec.events[2].passed
    assert rec.events[3].credential_ref == CRED


def test_a_failing_listener_rolls_back_the_completion(
        manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    amina = add_learner(store, "Amina")

    class Refuses:
        def completed(self, conn: sqlite3.Connection, event: CompletionEvent) -> None:
            raise McdeskError("The evidence record cannot be written.")

    remove = add_listener(Refuses())
    try:
        with pytest.raises(McdeskError, match="evidence record"):
            mark_lesson_complete(store, amina, PACK, "lesson-1")
    finally:
        remove()
    assert store.one("SELECT 1 FROM lesson_progress WHERE learner_id = ?", (amina,)) is None


def test_announcing_outside_a_transaction_is_refused(store: Store) -> None:
    with pytest.raises(McdeskError, match="outside a database transaction"):
        credentials.notify(store.conn, LessonCompleted(1, "p", "l", utcnow()))


def test_attempt_finished_refuses_an_open_attempt(manager: PackManager, store: Store,
                                                  make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    amina = add_learner(store, "Amina")
    attempt = insert_attempt(store, amina, PACK, "check", 0, 0, passed=False, status="open")
    with pytest.raises(McdeskError, match="not a finished attempt"), store.transaction() as conn:
        attempt_finished(conn, attempt)


def test_wallet_keeps_a_credential_after_its_pack_is_removed(
        manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    amina = add_learner(store, "Amina")
    insert_attempt(store, amina, PACK, "check", 2, 2, passed=True)
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, amina, PACK, lesson)
    manager.remove(PACK)
    [entry] = wallet(store, amina)
    assert (entry.ref, entry.title, entry.status) == (CRED, "Test credential", AWAITING_VERIFICATION)
    assert entry.earned_at.endswith("Z")


def test_an_expired_attempt_that_reached_the_pass_mark_counts_toward_the_credential(store, manager, make_pack) -> None:
    from mcdesk.learning.credentials import evaluate
    from mcdesk.learning.progress import add_learner, mark_lesson_complete

    manager.install(make_pack())
    learner = add_learner(store, "Zawadi")
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, learner, "org.example.test", lesson)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO quiz_attempts (learner_id, pack_id, quiz_id, pack_version, seed, draw, started_at, "
            "finished_at, earned, possible, passed, status) VALUES (?, 'org.example.test', 'check', 1, 1, '[]', "
            "'2026-01-01T00:00:00Z', '2026-01-01T00:20:00Z', 2, 2, 1, 'expired')", (learner,))
    earned = evaluate(store, learner)
    assert [e.ref for e in earned] == ["org.example.test/test-cred"]
