"""The outbox: one signed, chained record per completion from the real progress functions and quiz
engine, committed with the event or not at all; append-only triggers; the queue and acknowledgements."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mcdesk import __version__
from mcdesk.errors import EvidenceError, McdeskError
from mcdesk.evidence.device import device_identity
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.outbox import (
    mark_acked,
    outbox_counts,
    record_event,
    records,
    set_error,
    unacked,
    verify_chain,
)
from mcdesk.evidence.record import GENESIS_HASH, EvidenceRecord, open_record, record_hash
from mcdesk.home import Home
from mcdesk.learning import credentials
from mcdesk.learning.attempts import QuizEngine
from mcdesk.learning.credentials import CompletionEvent, LessonCompleted, add_listener
from mcdesk.learning.learners import create_learner, remove_learner
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store

PACK = "org.example.test"
T0 = datetime(2030, 5, 1, 9, 0, 0, tzinfo=UTC)


def opened(home: Home, store: Store) -> list[EvidenceRecord]:
    identity = device_identity(home, store)
    assert identity is not None
    return [open_record(r.jws, identity.public_key) for r in records(store)]


@pytest.fixture
def installed(manager: PackManager, make_pack: Callable[..., Path]) -> PackManager:
    manager.install(make_pack())
    return manager


def pack_row(store: Store) -> sqlite3.Row:
    row = store.one("SELECT version, manifest_sha256 FROM packs WHERE id = ?", (PACK,))
    assert row is not None
    return row


def take_quiz(manager: PackManager, learner: int, *, right: bool, start: datetime = T0) -> int:
    engine = QuizEngine(manager)
    attempt = engine.start_or_resume(learner, PACK, "check", now=start)
    for n, shown in enumerate(attempt.questions):
        question = shown.question
        response = (question.answer if right else not question.answer) if question.type == "true_false" \
            else ("b" if right else "a")
        engine.answer(attempt.id, question.id, response, now=start + timedelta(seconds=30 * (n + 1)))
    engine.finish(attempt.id, now=start + timedelta(minutes=4, seconds=12))
    return attempt.id


def test_a_completed_lesson_makes_exactly_one_record_with_every_field(home: Home, store: Store,
                                                                      installed: PackManager) -> None:
    learner = create_learner(store, "Amina", "#2e7d32", institution_id="S-0042")
    mark_lesson_complete(store, learner.id, PACK, "lesson-1")
    mark_lesson_complete(store, learner.id, PACK, "lesson-1")  # again: nothing new happened
    [record] = opened(home, store)
    identity = device_identity(home, store)
    assert identity is not None
    uuid = store.one("SELECT uuid FROM learners WHERE id = ?", (learner.id,))["uuid"]
    completed = store.one("SELECT completed_at FROM lesson_progress")["completed_at"]
    pack = pack_row(store)
    assert record == {
        "type": "mcdesk.evidence", "format": 1, "evidence_id": record["evidence_id"],
        "device_id": identity.device_id, "seq": 1, "prev_hash": GENESIS_HASH,
        "learner": {"id": uuid, "institution_id": "S-0042"},
        "pack": {"id": PACK, "version": pack["version"], "manifest_sha256": pack["manifest_sha256"]},
        "activity": {"type": "lesson", "id": "lesson-1"}, "verb": "completed",
        "result": {"score": None, "max": None, "scaled": None, "success": None, "completion": True,
                   "duration": None},
        "responses_sha256": None,
        "timestamps": {"started": None, "completed": completed, "recorded": record["timestamps"]["recorded"]},
        "app_version": __version__,
    }
    [row] = records(store)
    assert (row.seq, row.evidence_id, row.learner_id, row.kind) == (1, record["evidence_id"], learner.id, "lesson")
    assert row.record_hash == record_hash(row.jws) and row.acked_at is None


def test_a_finished_quiz_attempt_makes_one_record_with_score_duration_and_responses(
        home: Home, store: Store, installed: PackManager) -> None:
    learner = add_learner(store, "Amina")
    attempt_id = take_quiz(installed, learner, right=True)
    [record] = opened(home, store)
    assert record["activity"] == {"type": "quiz", "id": "check"}
    assert record["verb"] == "passed"
    assert record["result"] == {"score": 2, "max": 2, "scaled": 1, "success": True, "completion": True,
                                "duration": "PT4M12S"}
    assert record["timestamps"]["started"] == "2030-05-01T09:00:00Z"
    assert record["timestamps"]["completed"] == "2030-05-01T09:04:12Z"
    answers = store.query("SELECT question_id, response FROM quiz_answers WHERE attempt_id = ? ORDER BY position",
                          (attempt_id,))
    import json

    expected = hashlib.sha256(canonical([{"question_id": a["question_id"], "response": json.loads(a["response"])}
                                         for a in answers])).hexdigest()
    assert record["responses_sha256"] == expected
    assert record["pack"]["manifest_sha256"] == pack_row(store)["manifest_sha256"]


def test_a_failed_attempt_is_recorded_as_failed(home: Home, store: Store, installed: PackManager) -> None:
    learner = add_learner(store, "Amina")
    take_quiz(installed, learner, right=False)
    [record] = opened(home, store)
    assert record["verb"] == "failed"
    assert record["result"]["success"] is False and record["result"]["score"] == 0
    assert record["result"]["scaled"] == 0


def test_an_earned_credential_makes_one_record_after_what_earned_it(home: Home, store: Store,
                                                                    installed: PackManager) -> None:
    learner = add_learner(store, "Amina")
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    mark_lesson_complete(store, learner, PACK, "lesson-2")
    take_quiz(installed, learner, right=True)
    chain = opened(home, store)
    assert [(r["seq"], r["activity"]["type"], r["verb"]) for r in chain] == [
        (1, "lesson", "completed"), (2, "lesson", "completed"), (3, "quiz", "passed"), (4, "credential", "earned")]
    credential = chain[3]
    assert credential["activity"]["id"] == f"{PACK}/test-cred"
    assert credential["pack"]["id"] == PACK
    assert credential["result"]["scaled"] == 1 and credential["result"]["success"] is True
    earned_at = store.one("SELECT earned_at FROM earned_credentials")["earned_at"]
    assert credential["timestamps"]["completed"] == earned_at
    rows = records(store)
    for before, after, row in zip(rows, rows[1:], chain[1:], strict=False):
        assert row["prev_hash"] == record_hash(before.jws) == before.record_hash
        assert after.seq == before.seq + 1
    assert verify_chain(store).ok and verify_chain(store).records == 4


def test_the_event_and_its_record_roll_back_together(home: Home, store: Store, installed: PackManager) -> None:
    learner = add_learner(store, "Amina")

    class Refuses:
        def completed(self, conn: sqlite3.Connection, event: CompletionEvent) -> None:
            assert conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1  # written, not committed
            raise McdeskError("A later step failed.")

    remove = add_listener(Refuses())
    try:
        with pytest.raises(McdeskError, match="later step"):
            mark_lesson_complete(store, learner, PACK, "lesson-1")
    finally:
        remove()
    assert store.one("SELECT count(*) AS n FROM lesson_progress")["n"] == 0
    assert outbox_counts(store).total == 0
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    assert [r.seq for r in records(store)] == [1]
    assert verify_chain(store).ok


def test_a_record_that_cannot_be_made_undoes_the_event(home: Home, store: Store, installed: PackManager) -> None:
    learner = add_learner(store, "Amina")
    with store.transaction() as conn:
        conn.execute("DROP TRIGGER learners_uuid_stable")
        conn.execute("UPDATE learners SET uuid = NULL")
    with pytest.raises(EvidenceError, match="no learner"):
        mark_lesson_complete(store, learner, PACK, "lesson-1")
    assert store.one("SELECT count(*) AS n FROM lesson_progress")["n"] == 0


def test_recording_outside_a_transaction_is_refused(store: Store) -> None:
    with pytest.raises(EvidenceError, match="inside the event's transaction"):
        record_event(store.conn, LessonCompleted(1, PACK, "lesson-1", "2030-01-01T00:00:00Z"))


def test_a_record_outlives_its_removed_learner(home: Home, store: Store, installed: PackManager) -> None:
    learner = add_learner(store, "Amina")
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    remove_learner(store, learner)
    assert [r.learner_id for r in records(store)] == [learner]
    assert verify_chain(store).ok


def test_every_learner_has_a_stable_unique_uuid(store: Store) -> None:
    a = add_learner(store, "Amina")
    with store.transaction() as conn:  # an insert that names no uuid gets one from the schema
        b = conn.execute("INSERT INTO learners (name, created_at) VALUES ('Bo', '2030-01-01T00:00:00Z')").lastrowid
    uuids = [r["uuid"] for r in store.query("SELECT uuid FROM learners ORDER BY id")]
    assert len(set(uuids)) == 2 and all(len(u) == 36 and u[14] == "4" for u in uuids)
    with pytest.raises(sqlite3.DatabaseError, match="never changes"), store.transaction() as conn:
        conn.execute("UPDATE learners SET uuid = ? WHERE id = ?", (uuids[1], a))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), store.transaction() as conn:
        conn.execute("DROP TRIGGER learners_uuid_stable")
        conn.execute("UPDATE learners SET uuid = ? WHERE id = ?", (uuids[0], b))


# --- append-only -----------------------------------------------------------------------------------


@pytest.fixture
def three(home: Home, store: Store, installed: PackManager) -> Store:
    """An outbox of three records: two lessons and a failed quiz."""
    learner = add_learner(store, "Amina")
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    mark_lesson_complete(store, learner, PACK, "lesson-2")
    take_quiz(installed, learner, right=False)
    assert [r.seq for r in records(store)] == [1, 2, 3]
    return store


INSERT = "INSERT INTO evidence (seq, evidence_id, kind, jws, record_hash, created_at)"


@pytest.mark.parametrize("sql", [
    "UPDATE evidence SET jws = 'x' WHERE seq = 2",
    "UPDATE evidence SET evidence_id = 'x' WHERE seq = 2",
    "UPDATE evidence SET seq = 9 WHERE seq = 3",
    "UPDATE evidence SET record_hash = 'x' WHERE seq = 2",
    "UPDATE evidence SET kind = 'lesson' WHERE seq = 3",
    "UPDATE evidence SET learner_id = 99 WHERE seq = 1",
    "UPDATE evidence SET created_at = 'x' WHERE seq = 1",
    "DELETE FROM evidence WHERE seq = 3",
    "DELETE FROM evidence",
    f"{INSERT} VALUES (9, 'n', 'lesson', 'j', 'h', 'c')",
    f"{INSERT} VALUES (4, 'n', 'lesson', 'j', 'h', 'c') ON CONFLICT DO NOTHING",
    "INSERT OR REPLACE INTO evidence (seq, evidence_id, kind, jws, record_hash, created_at) "
    "VALUES (2, 'n', 'lesson', 'j', 'h', 'c')",
])
def test_the_outbox_refuses_edits_deletes_and_out_of_order_inserts(three: Store, sql: str) -> None:
    before = [r.jws for r in records(three)]
    if "(4, 'n'" in sql:  # the next seq, but the evidence id of an existing record
        sql = sql.replace("'n'", f"'{records(three)[0].evidence_id}'")
    with pytest.raises(sqlite3.DatabaseError), three.transaction() as conn:
        conn.execute(sql)
    assert [r.jws for r in records(three)] == before


def test_only_the_acknowledgement_columns_change_and_an_ack_is_final(three: Store) -> None:
    first, second, third = records(three)
    assert set_error(three, second.evidence_id, "gap: expected seq 1") is True
    assert set_error(three, "no-such-id", "x") is False
    assert outbox_counts(three) == (3, 3, 0, 1)
    assert mark_acked(three, [(first.evidence_id, "accepted"), (second.evidence_id, "duplicate")]) == 2
    assert mark_acked(three, [(first.evidence_id, "accepted"), (second.evidence_id, "accepted")]) == 0
    assert outbox_counts(three) == (3, 1, 2, 0)  # the ack cleared the error
    acked = {r.evidence_id: r for r in records(three)}
    assert acked[second.evidence_id].ack_status == "duplicate" and acked[second.evidence_id].last_error is None
    assert [r.seq for r in unacked(three)] == [3]
    with pytest.raises(sqlite3.DatabaseError, match="stays acknowledged"), three.transaction() as conn:
        conn.execute("UPDATE evidence SET acked_at = NULL WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="stays acknowledged"), three.transaction() as conn:
        conn.execute("UPDATE evidence SET ack_status = 'rejected' WHERE seq = 1")
    assert verify_chain(three).ok and third.seq == 3


def test_the_queue_is_read_in_seq_order_in_batches(three: Store) -> None:
    assert [r.seq for r in unacked(three, limit=2)] == [1, 2]
    assert [r.seq for r in unacked(three, limit=2, after_seq=2)] == [3]
    assert [r.seq for r in records(three, queued_only=True)] == [1, 2, 3]
    assert unacked(three, limit=0) == []


def test_existing_callers_of_notify_get_evidence_too(home: Home, store: Store, installed: PackManager) -> None:
    learner = add_learner(store, "Amina")
    with store.transaction() as conn:
        conn.execute("INSERT INTO lesson_progress VALUES (?, ?, 'lesson-2', '2030-01-01T00:00:00Z')", (learner, PACK))
        credentials.notify(conn, LessonCompleted(learner, PACK, "lesson-2", "2030-01-01T00:00:00Z"))
    [record] = opened(home, store)
    assert record["timestamps"]["completed"] == "2030-01-01T00:00:00Z"
