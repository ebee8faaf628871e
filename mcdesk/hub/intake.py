"""Evidence intake (shared by POST /api/v1/evidence and USB ingest) and each device's changes feed.

A batch is checked record by record, in order: the signature against the enrolled key of the device
that sent it, the record's format, then duplicates, conflicts and the hash chain (gap, fork, replaced
record). Accepted records and their "ack" feed items are committed in one durable transaction
before any answer says "accepted".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mcdesk.errors import EvidenceError
from mcdesk.evidence.jws import b64url_decode_strict, parse_compact
from mcdesk.evidence.record import GENESIS_HASH, open_record, record_hash
from mcdesk.hub.devices import Device
from mcdesk.hub.store import HubStore, utcnow

Status = Literal["accepted", "duplicate", "rejected"]
Via = Literal["http", "bundle"]
MAX_FEED_PAGE = 500


@dataclass(frozen=True)
class RecordResult:
    evidence_id: str | None
    seq: int | None
    status: Status
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"evidence_id": self.evidence_id, "seq": self.seq, "status": self.status, "reason": self.reason}


@dataclass(frozen=True)
class Checked:
    """A record that passed every check that does not need the database."""

    jws: str
    hash: str
    record: dict[str, Any]
    payload: bytes


def counts(results: Sequence[RecordResult]) -> dict[str, int]:
    tally = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for result in results:
        tally[result.status] += 1
    return tally


def intake(store: HubStore, device: Device, records: Sequence[Any], via: Via = "http") -> list[RecordResult]:
    """Check and store ``records`` (compact JWS texts) sent by ``device``; one result per record, in
    order. Everything accepted is committed (synchronous=FULL) before this returns; then the credentials
    its learners now qualify for are issued (their feed items are in place when this returns)."""
    from mcdesk.hub import issuer  # imported here: issuer builds on this module's feed

    hashes = [_hash(r) for r in records]
    held = _held_hashes(store, device.device_id, [h for h in hashes if h])
    # Signatures and formats are checked outside the write lock; a held record needs no new check.
    checked = [None if h in held else _check(device, r, h) for r, h in zip(records, hashes, strict=True)]
    now = utcnow()
    results: list[RecordResult] = []
    learners: set[str] = set()
    seen: dict[tuple[str, str | None], str] = {}
    with store.transaction() as conn:
        tip = _tip(conn, device.device_id)
        for digest, check in zip(hashes, checked, strict=True):
            if digest and digest in held:
                row = conn.execute("SELECT evidence_id, seq FROM evidence WHERE device_id = ? AND record_hash = ?",
                                   (device.device_id, digest)).fetchone()
                results.append(RecordResult(row["evidence_id"], row["seq"], "duplicate"))
                continue
            if isinstance(check, RecordResult):
                results.append(check)
                continue
            assert check is not None  # only held records skip the checks
            result = _place(conn, device, check, tip, now, via)
            if result.status == "accepted":
                tip = (check.record["seq"], check.hash)
                held.add(check.hash)
                learner = issuer.note_evidence(conn, device.device_id, check.record, now, seen)
                if learner:
                    learners.add(learner)
            results.append(result)
        conn.execute("UPDATE devices SET last_seen_at = ? WHERE device_id = ?", (now, device.device_id))
    issuer.after_intake(store, learners)
    return results


def _hash(record: Any) -> str | None:
    if not isinstance(record, str):
        return None
    try:
        return record_hash(record)
    except UnicodeEncodeError:
        return None


def _held_hashes(store: HubStore, device_id: str, hashes: list[str]) -> set[str]:
    """Which of ``hashes`` the hub already holds from this device (exact resends)."""
    held: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.query(f"SELECT record_hash FROM evidence WHERE device_id = ? AND record_hash IN ({marks})",
                           (device_id, *chunk))
        held.update(r["record_hash"] for r in rows)
    return held


def _check(device: Device, jws: Any, digest: str | None) -> Checked | RecordResult:
    """Signature, key and format checks of one record; a rejection says which failed."""
    if not isinstance(jws, str) or digest is None:
        return RecordResult(None, None, "rejected", "malformed: a record must be a compact JWS (ASCII text).")
    try:
        record = open_record(jws, device.public_key)
    except EvidenceError as exc:
        kid = _claimed_kid(jws)
        if kid is not None and kid != device.device_id:
            return _rejected(jws, "wrong_device", f"the record is signed by key {kid[:16]}…, not by this device "
                             f"({device.device_id[:16]}…); each device sends only its own records.")
        return _rejected(jws, exc.code, exc.message)
    payload = b64url_decode_strict(jws.split(".")[1], "payload")  # verified canonical just now
    return Checked(jws, digest, dict(record), payload)


def _claimed_kid(jws: str) -> str | None:
    try:
        return parse_compact(jws).header["kid"]
    except EvidenceError:
        return None


def _rejected(jws: Any, code: str, sentence: str) -> RecordResult:
    evidence_id, seq = _claimed_ids(jws)
    return RecordResult(evidence_id, seq, "rejected", f"{code}: {sentence}")


def _claimed_ids(jws: Any) -> tuple[str | None, int | None]:
    """The evidence_id and seq a refused record claims (unverified, only to say which one it was)."""
    try:
        payload = json.loads(parse_compact(jws).payload_bytes)
    except (EvidenceError, ValueError, TypeError, RecursionError):
        return None, None
    if not isinstance(payload, dict):
        return None, None
    evidence_id, seq = payload.get("evidence_id"), payload.get("seq")
    return (evidence_id if isinstance(evidence_id, str) and len(evidence_id) <= 64 else None,
            seq if isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq < 2**63 else None)


def _tip(conn: Any, device_id: str) -> tuple[int, str]:
    row = conn.execute("SELECT seq, record_hash FROM evidence WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                       (device_id,)).fetchone()
    return (row["seq"], row["record_hash"]) if row else (0, GENESIS_HASH)


def _place(conn: Any, device: Device, check: Checked, tip: tuple[int, str], now: str, via: Via) -> RecordResult:
    """Duplicate, conflict and chain checks for a verified record, then the insert."""
    record = check.record
    evidence_id, seq = record["evidence_id"], record["seq"]
    same_id = conn.execute("SELECT seq, record_hash FROM evidence WHERE evidence_id = ?", (evidence_id,)).fetchone()
    if same_id is not None and same_id["record_hash"] == check.hash:  # sent twice at once (HTTP and USB)
        return RecordResult(evidence_id, seq, "duplicate")
    if same_id is not None:
        return RecordResult(evidence_id, seq, "rejected",
                            f"conflict: evidence {evidence_id} is already held (seq {same_id['seq']}) with "
                            "different content; the hub keeps the first and never overwrites it.")
    held_seq, held_hash = tip
    if seq <= held_seq:
        other = conn.execute("SELECT evidence_id FROM evidence WHERE device_id = ? AND seq = ?",
                             (device.device_id, seq)).fetchone()
        return RecordResult(evidence_id, seq, "rejected",
                            f"fork: seq {seq} is already held with another record ({other['evidence_id']}); "
                            "the device's chain was rewritten.")
    if seq > held_seq + 1:
        return RecordResult(evidence_id, seq, "rejected",
                            f"gap: expected seq {held_seq + 1}, got {seq}; send the missing records first.")
    if record["prev_hash"] != held_hash:
        return RecordResult(evidence_id, seq, "rejected",
                            f"replaced: prev_hash does not match the record held at seq {held_seq}; an earlier "
                            "record was altered or replaced on the device.")
    conn.execute("INSERT INTO evidence (device_id, seq, evidence_id, record_hash, jws, record, received_at, via) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (device.device_id, seq, evidence_id, check.hash, check.jws, check.payload.decode("utf-8"), now, via))
    add_change(conn, device.device_id, "ack", {"evidence_id": evidence_id, "seq": seq, "status": "accepted"}, now)
    return RecordResult(evidence_id, seq, "accepted")


# --- the changes feed ------------------------------------------------------------------------


def add_change(conn: Any, device_id: str, kind: str, body: dict[str, Any], now: str | None = None) -> int:
    """Append an item to a device's feed (inside the caller's transaction); returns its cursor."""
    cur = conn.execute("INSERT INTO changes (device_id, kind, body, created_at) VALUES (?, ?, ?, ?)",
                       (device_id, kind, json.dumps(body, sort_keys=True, separators=(",", ":")), now or utcnow()))
    return int(cur.lastrowid)


@dataclass(frozen=True)
class Feed:
    items: list[dict[str, Any]]
    next: int
    more: bool

    def as_json(self) -> dict[str, Any]:
        return {"items": self.items, "next": self.next, "more": self.more}


def changes(store: HubStore, device_id: str, after: int = 0, limit: int = 100) -> Feed:
    """The device's feed items with a cursor above ``after``, oldest first, at most ``limit``."""
    limit = max(1, min(limit, MAX_FEED_PAGE))
    rows = store.query("SELECT cursor, kind, body FROM changes WHERE device_id = ? AND cursor > ? "
                       "ORDER BY cursor LIMIT ?", (device_id, max(after, 0), limit + 1))
    items = [{"cursor": r["cursor"], "kind": r["kind"], "body": json.loads(r["body"])} for r in rows[:limit]]
    return Feed(items, items[-1]["cursor"] if items else max(after, 0), len(rows) > limit)


def all_changes(store: HubStore, device_id: str) -> list[dict[str, Any]]:
    """The device's whole feed (for a USB reply, which carries everything: importing it is idempotent)."""
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        page = changes(store, device_id, after, MAX_FEED_PAGE)
        items += page.items
        if not page.more:
            return items
        after = page.next
