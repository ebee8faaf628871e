"""verify_chain finds hand edits of the SQLite file: an attacker's own connection drops the
append-only triggers first, then alters, deletes, re-orders or re-signs records."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.evidence.device import KEY_FILE, device_identity
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.evidence.outbox import records, verify_chain
from mcdesk.evidence.record import JWS_TYP, record_hash
from mcdesk.home import Home
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store

PACK = "org.example.test"
TRIGGERS = ("evidence_append_only_insert", "evidence_no_delete", "evidence_content_fixed", "evidence_ack_once")


@pytest.fixture
def chain(home: Home, store: Store, manager: PackManager, make_pack: Callable[..., Path]) -> Store:
    """Four records: lesson-1, lesson-2, and (from a second learner) lesson-1, lesson-2 again."""
    manager.install(make_pack(lessons=2))
    for name in ("Amina", "Bo"):
        learner = add_learner(store, name)
        mark_lesson_complete(store, learner, PACK, "lesson-1")
        mark_lesson_complete(store, learner, PACK, "lesson-2")
    report = verify_chain(store)
    assert report.ok and report.records == 4 and report.break_seq is None
    return store


@pytest.fixture
def attacker(home: Home, chain: Store) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(home.db_path, isolation_level=None)
    for trigger in TRIGGERS:
        conn.execute(f"DROP TRIGGER {trigger}")
    yield conn
    conn.close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload(jws: str) -> dict:
    body = jws.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _put(conn: sqlite3.Connection, seq: int, jws: str) -> None:
    """Replace a row's JWS and keep its hash column consistent, as a careful attacker would."""
    conn.execute("UPDATE evidence SET jws = ?, record_hash = ? WHERE seq = ?", (jws, record_hash(jws), seq))


def _jws(conn: sqlite3.Connection, seq: int) -> str:
    return conn.execute("SELECT jws FROM evidence WHERE seq = ?", (seq,)).fetchone()[0]


def test_an_empty_outbox_is_whole(store: Store) -> None:
    report = verify_chain(store)
    assert report.ok and report.records == 0 and report.device_id is None


def test_an_altered_payload_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    head, _, sig = _jws(attacker, 2).split(".")
    record = _payload(_jws(attacker, 2))
    record["activity"]["id"] = "lesson-9"
    _put(attacker, 2, f"{head}.{_b64(canonical(record))}.{sig}")
    report = verify_chain(chain)
    assert not report.ok and report.break_seq == 2 and report.records == 1
    assert "does not verify" in report.problem and "signature does not match" in report.problem


def test_an_altered_signature_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    head, body, sig = _jws(attacker, 3).split(".")
    raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
    raw[0] ^= 1
    _put(attacker, 3, f"{head}.{body}.{_b64(bytes(raw))}")
    report = verify_chain(chain)
    assert report.break_seq == 3 and "signature does not match" in report.problem


def test_a_deleted_middle_record_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    attacker.execute("DELETE FROM evidence WHERE seq = 2")
    report = verify_chain(chain)
    assert report.break_seq == 2 and report.problem == "Record seq 2 is missing: the outbox goes on at seq 3."


def test_a_deleted_record_with_the_rest_renumbered_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    attacker.execute("DELETE FROM evidence WHERE seq = 2")
    attacker.execute("UPDATE evidence SET seq = seq - 1 WHERE seq > 2")
    report = verify_chain(chain)
    assert report.break_seq == 2 and "says it is seq 3" in report.problem


def test_swapped_records_are_found(chain: Store, attacker: sqlite3.Connection) -> None:
    rows = {r[0]: r[1:] for r in attacker.execute("SELECT seq, evidence_id, jws, record_hash FROM evidence")}
    attacker.execute("UPDATE evidence SET evidence_id = 'tmp' WHERE seq = 2")
    attacker.execute("UPDATE evidence SET evidence_id = ?, jws = ?, record_hash = ? WHERE seq = 3", rows[2])
    attacker.execute("UPDATE evidence SET evidence_id = ?, jws = ?, record_hash = ? WHERE seq = 2", rows[3])
    report = verify_chain(chain)
    assert report.break_seq == 2 and "says it is seq 3" in report.problem and "re-ordered" in report.problem


def test_a_record_re_signed_with_another_key_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    record = _payload(_jws(attacker, 2))
    forged = sign_compact(Ed25519PrivateKey.generate(), record["device_id"], canonical(record), JWS_TYP)
    _put(attacker, 2, forged)
    report = verify_chain(chain)
    assert report.break_seq == 2 and "signature does not match" in report.problem


def test_a_whole_chain_re_made_under_another_key_is_found(home: Home, chain: Store,
                                                          attacker: sqlite3.Connection) -> None:
    other = Ed25519PrivateKey.generate()
    raw = other.public_key().public_bytes_raw()
    import hashlib

    other_id = hashlib.sha256(raw).hexdigest()
    prev = "0" * 64
    for seq in range(1, 5):
        record = _payload(_jws(attacker, seq)) | {"device_id": other_id, "prev_hash": prev}
        jws = sign_compact(other, other_id, canonical(record), JWS_TYP)
        _put(attacker, seq, jws)
        prev = record_hash(jws)
    report = verify_chain(chain)
    assert report.break_seq == 1 and "was signed by key" in report.problem
    # Swapping the device table too is caught against the key this laptop keeps.
    attacker.execute("UPDATE device SET device_id = ?, public_key = ?", (other_id, _b64(raw)))
    report = verify_chain(chain)
    assert not report.ok and "table was replaced" in report.problem


def test_a_record_re_signed_with_the_stolen_device_key_breaks_the_next_link(
        home: Home, chain: Store, attacker: sqlite3.Connection) -> None:
    key = serialization.load_pem_private_key((home.keys / KEY_FILE).read_bytes(), password=None)
    record = _payload(_jws(attacker, 2))
    record["activity"]["id"] = "lesson-9"
    _put(attacker, 2, sign_compact(key, record["device_id"], canonical(record), JWS_TYP))  # type: ignore[arg-type]
    report = verify_chain(chain)
    assert report.break_seq == 3 and "does not follow record 2" in report.problem
    assert report.records == 2


def test_an_altered_hash_or_id_column_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    attacker.execute("UPDATE evidence SET record_hash = ? WHERE seq = 4", ("f" * 64,))
    assert "stored hash" in verify_chain(chain).problem
    attacker.execute("UPDATE evidence SET record_hash = ? WHERE seq = 4", (record_hash(_jws(attacker, 4)),))
    attacker.execute("UPDATE evidence SET evidence_id = 'other' WHERE seq = 4")
    report = verify_chain(chain)
    assert report.break_seq == 4 and "evidence id column" in report.problem


def test_a_kind_column_that_disagrees_is_found(chain: Store, attacker: sqlite3.Connection) -> None:
    attacker.execute("UPDATE evidence SET kind = 'quiz' WHERE seq = 1")
    assert "kind column" in verify_chain(chain).problem


def test_records_without_a_device_row_are_found(home: Home, chain: Store, attacker: sqlite3.Connection) -> None:
    attacker.execute("DELETE FROM device")
    report = verify_chain(chain)
    assert report.break_seq == 1 and "device table is empty" in report.problem
    assert device_identity(home, chain) is None


def test_an_enrolment_under_another_device_id_is_found(chain: Store) -> None:
    with chain.transaction() as conn:
        conn.execute("INSERT INTO enrolment VALUES (1, 'http://hub', ?, 'lab-1', '{}', '[]', '2030-01-01T00:00:00Z')",
                     ("e" * 64,))
    assert "enrolled with the hub under another device id" in verify_chain(chain).problem
    assert len(records(chain)) == 4
