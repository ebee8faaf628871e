"""`mcdesk evidence verify|status|list`: exit codes, plain lines and JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from mcdesk.cli import EXIT_OK, EXIT_REFUSED, main
from mcdesk.evidence.device import device_identity
from mcdesk.evidence.outbox import mark_acked, records, set_error
from mcdesk.home import Home
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store

PACK = "org.example.test"


def run(capsys: pytest.CaptureFixture[str], home: Home, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--home", str(home.root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def outbox(store: Store, manager: PackManager, make_pack: Callable[..., Path]) -> Store:
    manager.install(make_pack())
    learner = add_learner(store, "Amina")
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, learner, PACK, lesson)
    return store


def test_status_makes_the_device_key_on_first_use_and_counts_nothing(
        home: Home, store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert device_identity(home, store) is None
    code, out, _ = run(capsys, home, "evidence", "status", "--json")
    identity = device_identity(home, store)
    assert code == EXIT_OK and identity is not None
    data = json.loads(out)
    assert data == {"device_id": identity.device_id, "key_id": identity.device_id,
                    "public_key": identity.public_b64url, "key_storage": "file", "created_at": identity.created_at,
                    "records": {"total": 0, "queued": 0, "acked": 0, "errors": 0}}
    code, out, _ = run(capsys, home, "evidence", "status")
    assert code == EXIT_OK and identity.device_id in out and "0 in all" in out


def test_status_counts_queued_acknowledged_and_failed_records(
        home: Home, outbox: Store, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = records(outbox)
    mark_acked(outbox, [(first.evidence_id, "accepted")])
    set_error(outbox, second.evidence_id, "gap: expected seq 1")
    code, out, _ = run(capsys, home, "evidence", "status", "--json")
    assert json.loads(out)["records"] == {"total": 2, "queued": 1, "acked": 1, "errors": 1}
    code, out, _ = run(capsys, home, "evidence", "status")
    assert "2 in all, 1 queued, 1 acknowledged by the hub, 1 with errors" in out


def test_verify_a_whole_chain_exits_0(home: Home, outbox: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, home, "evidence", "verify")
    assert code == EXIT_OK and "The evidence chain is whole: 2 records" in out
    code, out, _ = run(capsys, home, "evidence", "verify", "--json")
    identity = device_identity(home, outbox)
    assert identity is not None
    assert json.loads(out) == {"ok": True, "records": 2, "device_id": identity.device_id, "break": None}


def test_verify_a_broken_chain_exits_1_and_names_the_first_break(
        home: Home, outbox: Store, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(home.db_path, isolation_level=None)
    conn.execute("DROP TRIGGER evidence_no_delete")
    conn.execute("DELETE FROM evidence WHERE seq = 1")
    conn.close()
    code, out, _ = run(capsys, home, "evidence", "verify")
    assert code == EXIT_REFUSED
    assert "broken at seq 1: Record seq 1 is missing" in out
    code, out, _ = run(capsys, home, "evidence", "verify", "--json")
    data = json.loads(out)
    assert code == EXIT_REFUSED and data["ok"] is False and data["records"] == 0
    assert data["break"] == {"seq": 1, "problem": "Record seq 1 is missing: the outbox goes on at seq 2."}


def test_list_shows_records_oldest_first_and_only_queued_ones_on_request(
        home: Home, outbox: Store, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = records(outbox)
    mark_acked(outbox, [(first.evidence_id, "accepted")])
    code, out, _ = run(capsys, home, "evidence", "list", "--json")
    rows = json.loads(out)
    assert code == EXIT_OK
    assert [(r["seq"], r["activity"], r["verb"], r["state"]) for r in rows] == [
        (1, "lesson-1", "completed", "acknowledged"), (2, "lesson-2", "completed", "queued")]
    assert rows[0]["evidence_id"] == first.evidence_id and rows[0]["ack_status"] == "accepted"
    code, out, _ = run(capsys, home, "evidence", "list", "--queued", "--json")
    assert [r["evidence_id"] for r in json.loads(out)] == [second.evidence_id]
    code, out, _ = run(capsys, home, "evidence", "list")
    lines = out.splitlines()
    assert len(lines) == 2 and "lesson-1" in lines[0] and "acknowledged (accepted)" in lines[0]
    assert "lesson-2" in lines[1] and lines[1].rstrip().endswith("queued")


def test_list_says_so_when_there_is_nothing(home: Home, store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, home, "evidence", "list")
    assert code == EXIT_OK and "No evidence records yet" in out
    code, out, _ = run(capsys, home, "evidence", "list", "--queued", "--json")
    assert json.loads(out) == []


def test_a_refused_key_file_is_reported_with_its_hint(home: Home, outbox: Store,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import os

    from mcdesk.evidence.device import KEY_FILE, forget_cached_keys

    os.chmod(home.keys / KEY_FILE, 0o644)
    forget_cached_keys()
    code, out, err = run(capsys, home, "evidence", "status")
    assert code == EXIT_REFUSED and "can be read by other users" in err and "chmod 600" in err
