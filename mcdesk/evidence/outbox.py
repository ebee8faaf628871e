"""The evidence outbox: one signed, chained record per completion, appended in the event's own
transaction; the queue the sync client reads and acknowledges; and the whole-chain check."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from mcdesk import __version__
from mcdesk.errors import EvidenceError
from mcdesk.evidence.device import DeviceIdentity, device_key_in, stored_public_key
from mcdesk.evidence.record import (
    GENESIS_HASH,
    EvidenceRecord,
    build_record,
    duration_between,
    open_record,
    record_hash,
    responses_sha256,
    sign_record,
)
from mcdesk.home import Home
from mcdesk.store.db import Store, utcnow

if TYPE_CHECKING:
    from mcdesk.learning.credentials import CompletionEvent

MAX_ERROR_TEXT = 1000


# --- recording ---------------------------------------------------------------------------------


def _learner(conn: sqlite3.Connection, learner_id: int) -> tuple[str, str | None]:
    row = conn.execute("SELECT uuid, institution_id FROM learners WHERE id = ?", (learner_id,)).fetchone()
    if row is None or not row["uuid"]:
        raise EvidenceError(f"There is no learner {learner_id} to record evidence for.", code="outbox")
    return row["uuid"], row["institution_id"]


def _installed_pack(conn: sqlite3.Connection, pack_id: str) -> tuple[int, str]:
    row = conn.execute("SELECT version, manifest_sha256 FROM packs WHERE id = ?", (pack_id,)).fetchone()
    if row is None:
        raise EvidenceError(f"The pack {pack_id!r} is not installed, so its evidence cannot name it.",
                            "Install the pack again, then repeat the activity.", code="outbox")
    return int(row["version"]), row["manifest_sha256"]


def _fields(conn: sqlite3.Connection, event: CompletionEvent) -> tuple[int, dict]:
    """The learner id and the build_record arguments that depend on the event."""
    from mcdesk.learning.credentials import AttemptFinished, CredentialEarned, LessonCompleted

    if isinstance(event, LessonCompleted):
        version, manifest = _installed_pack(conn, event.pack_id)
        return event.learner_id, dict(
            pack_id=event.pack_id, pack_version=version, manifest_sha256=manifest, activity_type="lesson",
            activity_id=event.lesson_id, verb="completed", completion=True, completed=event.completed_at)
    if isinstance(event, AttemptFinished):
        row = conn.execute("SELECT manifest_sha256 FROM quiz_attempts WHERE id = ?", (event.attempt_id,)).fetchone()
        if row is not None and row["manifest_sha256"]:  # the manifest the attempt's draw came from
            version, manifest = event.pack_version, row["manifest_sha256"]
        else:  # an attempt started before schema 3: the installed pack is the best knowledge there is
            version, manifest = _installed_pack(conn, event.pack_id)
        answers = [{"question_id": r["question_id"], "response": _json(r["response"])} for r in conn.execute(
            "SELECT question_id, response FROM quiz_answers WHERE attempt_id = ? ORDER BY position",
            (event.attempt_id,))]
        scaled = event.earned / event.possible if event.possible > 0 else None
        return event.learner_id, dict(
            pack_id=event.pack_id, pack_version=version, manifest_sha256=manifest, activity_type="quiz",
            activity_id=event.quiz_id, verb="passed" if event.passed else "failed", score=event.earned,
            max_score=event.possible, scaled=scaled, success=event.passed, completion=True,
            duration=duration_between(event.started_at, event.finished_at),
            responses_digest=responses_sha256(answers), started=event.started_at, completed=event.finished_at)
    if isinstance(event, CredentialEarned):
        row = conn.execute("SELECT pack_id FROM credentials WHERE ref = ?", (event.credential_ref,)).fetchone()
        pack_id = row["pack_id"] if row is not None else event.credential_ref.rsplit("/", 1)[0]
        version, manifest = _installed_pack(conn, pack_id)
        return event.learner_id, dict(
            pack_id=pack_id, pack_version=version, manifest_sha256=manifest, activity_type="credential",
            activity_id=event.credential_ref, verb="earned", scaled=event.score, success=True, completion=True,
            completed=event.earned_at)
    raise EvidenceError(f"Internal error: no evidence is defined for {type(event).__name__}.", code="outbox")


def _json(text: str) -> object:
    import json

    return json.loads(text)


def record_event(conn: sqlite3.Connection, event: CompletionEvent) -> EvidenceRecord:
    """Sign one record for ``event`` and append it to the outbox, inside the caller's open transaction
    (so the event and its evidence commit or roll back together). Returns the record."""
    if not conn.in_transaction:
        raise EvidenceError("Internal error: evidence is recorded only inside the event's transaction.",
                            code="outbox")
    identity, key = device_key_in(conn)
    learner_id, fields = _fields(conn, event)
    learner_uuid, institution_id = _learner(conn, learner_id)
    last = conn.execute("SELECT seq, record_hash FROM evidence ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (int(last["seq"]) + 1, last["record_hash"]) if last is not None else (1, GENESIS_HASH)
    recorded = utcnow()
    record = build_record(device_id=identity.device_id, seq=seq, prev_hash=prev_hash, learner_id=learner_uuid,
                          institution_id=institution_id, recorded=recorded, app_version=__version__,
                          validate=False, **fields)  # sign_record validates it
    jws = sign_record(key, record)
    conn.execute(
        "INSERT INTO evidence (seq, evidence_id, learner_id, kind, jws, record_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, record["evidence_id"], learner_id, record["activity"]["type"], jws, record_hash(jws), recorded))
    return record


# --- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    evidence_id: str
    learner_id: int | None
    kind: str
    jws: str
    record_hash: str
    created_at: str
    acked_at: str | None
    ack_status: str | None
    last_error: str | None


class OutboxCounts(NamedTuple):
    total: int
    queued: int  # not yet acknowledged by the hub
    acked: int
    errors: int  # queued records whose last send was refused or failed


def _row(r: sqlite3.Row) -> OutboxRow:
    return OutboxRow(int(r["seq"]), r["evidence_id"], r["learner_id"], r["kind"], r["jws"], r["record_hash"],
                     r["created_at"], r["acked_at"], r["ack_status"], r["last_error"])


_ROW_COLUMNS = "seq, evidence_id, learner_id, kind, jws, record_hash, created_at, acked_at, ack_status, last_error"


def unacked(store: Store, limit: int = 500, after_seq: int = 0) -> list[OutboxRow]:
    """Up to ``limit`` records not yet acknowledged, in seq order (from ``after_seq`` + 1 on)."""
    return [_row(r) for r in store.query(
        f"SELECT {_ROW_COLUMNS} FROM evidence WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
        (after_seq, max(0, int(limit))))]


def records(store: Store, *, queued_only: bool = False, limit: int | None = None) -> list[OutboxRow]:
    """Every record (or only the unacknowledged ones) in seq order."""
    where = " WHERE acked_at IS NULL" if queued_only else ""
    return [_row(r) for r in store.query(f"SELECT {_ROW_COLUMNS} FROM evidence{where} ORDER BY seq LIMIT ?",
                                         (-1 if limit is None else int(limit),))]


def mark_acked(store: Store, acks: Iterable[tuple[str, str]], at: str | None = None) -> int:
    """Record the hub's acknowledgements ``(evidence_id, status)``; a record already acknowledged keeps
    its first acknowledgement (safe to repeat). Returns how many records were newly acknowledged."""
    at = at or utcnow()
    newly = 0
    with store.transaction() as conn:
        for evidence_id, status in acks:
            cur = conn.execute("UPDATE evidence SET acked_at = ?, ack_status = ?, last_error = NULL "
                               "WHERE evidence_id = ? AND acked_at IS NULL", (at, status, evidence_id))
            newly += cur.rowcount
    return newly


def set_error(store: Store, evidence_id: str, text: str | None) -> bool:
    """Note why the last send of a record failed or was refused (None clears it); False when there is
    no such record."""
    with store.transaction() as conn:
        cur = conn.execute("UPDATE evidence SET last_error = ? WHERE evidence_id = ?",
                           (text[:MAX_ERROR_TEXT] if text is not None else None, evidence_id))
    return cur.rowcount > 0


def outbox_counts(store: Store) -> OutboxCounts:
    row = store.one(
        "SELECT count(*) AS total, count(*) FILTER (WHERE acked_at IS NULL) AS queued, "
        "count(acked_at) AS acked, count(*) FILTER (WHERE acked_at IS NULL AND last_error IS NOT NULL) AS errors "
        "FROM evidence")
    assert row is not None
    return OutboxCounts(int(row["total"]), int(row["queued"]), int(row["acked"]), int(row["errors"]))


# --- checking the whole chain ------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """The result of ``verify_chain``: whole (``ok``), or the first break in plain words."""

    records: int  # records checked before the break (all of them when whole)
    device_id: str | None
    break_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(store: Store) -> ChainReport:
    """Check the outbox from seq 1: no gap, each prev_hash the hash of the record before, each stored
    hash right, each signature valid for the device key, each row agreeing with its signed record.
    Stops at the first break."""
    device = store.one("SELECT device_id, public_key, storage FROM device WHERE id = 1")
    rows = store.conn.execute(
        "SELECT seq, evidence_id, kind, jws, record_hash FROM evidence ORDER BY seq")
    first = rows.fetchone()
    if device is None:
        if first is None:
            return ChainReport(0, None)
        return ChainReport(0, None, int(first["seq"]), "The outbox holds records but the device key is not "
                           "recorded (the device table is empty).")
    import base64
    import hashlib

    device_id = device["device_id"]
    raw = base64.urlsafe_b64decode(device["public_key"] + "=" * (-len(device["public_key"]) % 4))
    if len(raw) != 32 or hashlib.sha256(raw).hexdigest() != device_id:
        return ChainReport(0, device_id, None, "The device table's public key does not match its device id.")
    enrolled = store.one("SELECT device_id FROM enrolment WHERE id = 1")
    if enrolled is not None and enrolled["device_id"] != device_id:
        return ChainReport(0, device_id, None, "The device is enrolled with the hub under another device id "
                           f"({enrolled['device_id'][:12]}) than its key ({device_id[:12]}).")
    kept = stored_public_key(Home(store.path.parent), DeviceIdentity(device_id, raw, device["storage"], ""))
    if kept is not None and kept != raw:
        return ChainReport(0, device_id, None, "The device table names another key than the one this laptop "
                           "keeps: the table was replaced.")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public_key = Ed25519PublicKey.from_public_bytes(raw)
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    row = first
    while row is not None:
        seq = int(row["seq"])
        problem = _check_row(row, expected_seq, prev_hash, public_key)
        if problem is not None:
            return ChainReport(count, device_id, expected_seq if seq > expected_seq else seq, problem)
        count += 1
        prev_hash = record_hash(row["jws"])
        expected_seq += 1
        row = rows.fetchone()
    return ChainReport(count, device_id)


def _check_row(row: sqlite3.Row, expected_seq: int, prev_hash: str, public_key: object) -> str | None:
    seq = int(row["seq"])
    if seq != expected_seq:
        missing = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seqs {expected_seq} to {seq - 1}"
        return f"Record {missing} is missing: the outbox goes on at seq {seq}."
    try:
        record = open_record(row["jws"], public_key)  # type: ignore[arg-type]
    except EvidenceError as exc:
        return f"Record {seq} does not verify: {exc.message}"
    if record_hash(row["jws"]) != row["record_hash"]:
        return f"Record {seq}'s stored hash is not the hash of its signed text."
    if record["seq"] != seq:
        return f"The record stored at seq {seq} says it is seq {record['seq']}: records were moved or re-ordered."
    if record["evidence_id"] != row["evidence_id"]:
        return f"Record {seq}'s evidence id column ({row['evidence_id']}) is not the signed one " \
               f"({record['evidence_id']})."
    if record["activity"]["type"] != row["kind"]:
        return f"Record {seq}'s kind column ({row['kind']}) is not the signed one ({record['activity']['type']})."
    if record["prev_hash"] != prev_hash:
        before = "the chain's start" if seq == 1 else f"record {seq - 1}"
        return f"Record {seq} does not follow {before}: its prev_hash is not that record's hash " \
               "(a record before it was changed, removed or replaced)."
    return None
