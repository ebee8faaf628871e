"""The device's sync against the real hub on 127.0.0.1: enrolment, sending, idempotency, refusals,
and the USB-stick path through `mcdesk hub ingest`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mcdesk.errors import SyncError
from mcdesk.home import Home
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store, open_store
from mcdesk.sync.client import HubClient, enrol, enrolment, export_bundle, import_reply, status, sync
from tests.hubproc import Hub, running_hub

PACK = "org.example.test"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture
def device(manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> Callable[[int], int]:
    """Install a pack with lessons; ``complete(n)`` has a learner complete n lessons (n records)."""
    manager.install(make_pack(lessons=6))
    learner = add_learner(store, "Ama")

    def complete(n: int) -> int:
        for lesson in range(1, n + 1):
            mark_lesson_complete(store, learner, PACK, f"lesson-{lesson}")
        return n

    return complete


def hub_rows(hub: Hub, device_id: str) -> list[str]:
    with sqlite3.connect(hub.data / "hub.db") as conn:
        return [row[0] for row in conn.execute(
            "SELECT evidence_id FROM evidence WHERE device_id = ? ORDER BY seq", (device_id,))]


def outbox(store: Store) -> list[sqlite3.Row]:
    return store.query("SELECT seq, evidence_id, acked_at, ack_status, last_error FROM evidence ORDER BY seq")


def test_records_made_before_enrolment_reach_the_hub_and_come_back_acknowledged(
        hub: Hub, home: Home, store: Store, device: Callable[[int], int]) -> None:
    device(3)
    assert status(store).queued == 3 and not status(store).enrolled
    result = enrol(home, store, hub.url, hub.enrol_codes(1)[0], "lab-3")
    assert result.device_id == status(store).device_id and result.institution_keys
    report = sync(home, store)
    assert (report.sent, report.accepted, report.rejected) == (3, 3, 0)
    rows = outbox(store)
    assert all(row["acked_at"] and row["ack_status"] == "accepted" for row in rows)
    assert hub_rows(hub, result.device_id) == [row["evidence_id"] for row in rows]
    state = status(store)
    assert (state.queued, state.acked, state.errors, state.last_error) == (0, 3, 0, None)
    assert state.last_success


def test_syncing_again_sends_nothing_and_resending_is_answered_duplicate(
        hub: Hub, home: Home, store: Store, device: Callable[[int], int]) -> None:
    device(2)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    assert sync(home, store).sent == 0
    from mcdesk.evidence.device import load_secret
    from mcdesk.sync.client import TOKEN_SECRET

    records = [row["jws"] for row in store.query("SELECT jws FROM evidence ORDER BY seq")]
    with HubClient(hub.url, load_secret(home, TOKEN_SECRET).decode()) as client:
        answers = client.send_evidence(records)
    assert [a["status"] for a in answers] == ["duplicate", "duplicate"]
    assert len(hub_rows(hub, status(store).device_id)) == 2


def test_new_records_after_a_sync_carry_on_the_chain(hub: Hub, home: Home, store: Store,
                                                     device: Callable[[int], int]) -> None:
    device(2)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    device(5)  # lessons 1-2 are already complete: three new records
    report = sync(home, store)
    assert (report.sent, report.accepted) == (3, 3)
    assert len(hub_rows(hub, status(store).device_id)) == 5


def test_sync_before_enrolment_says_how_to_enrol(home: Home, store: Store, device: Callable[[int], int]) -> None:
    device(1)
    with pytest.raises(SyncError, match="not enrolled") as caught:
        sync(home, store)
    assert "mcdesk enrol" in caught.value.hint
    assert status(store).queued == 1


def test_a_code_used_by_another_laptop_is_refused_with_the_hubs_reason(hub: Hub, home: Home, store: Store,
                                                                       tmp_path: Path) -> None:
    code = hub.enrol_codes(1)[0]
    enrol(home, store, hub.url, code)
    other_home = Home.open(tmp_path / "other-laptop")
    other = open_store(other_home)
    try:
        with pytest.raises(SyncError, match="(?i)already been used|used"):
            enrol(other_home, other, hub.url, code)
        assert enrolment(other) is None
    finally:
        other.close()


def test_an_unknown_code_is_refused_and_nothing_is_saved(hub: Hub, home: Home, store: Store) -> None:
    with pytest.raises(SyncError):
        enrol(home, store, hub.url, "AAAA-BBBB-CCCC")
    assert enrolment(store) is None


@pytest.mark.parametrize(("url", "words"), [
    ("ftp://hub.example", "not a hub address"),
    ("hub.example", "not a hub address"),
    ("https://user:secret@hub.example", "password"),
])
def test_a_malformed_hub_address_is_refused_before_any_connection(home: Home, store: Store, url: str,
                                                                  words: str) -> None:
    with pytest.raises(SyncError, match=words):
        enrol(home, store, url, "AAAA-BBBB-CCCC")


def test_a_malformed_code_is_refused_with_its_shape(home: Home, store: Store, hub: Hub) -> None:
    with pytest.raises(SyncError, match="not an enrolment code"):
        enrol(home, store, hub.url, "12")


def test_a_hub_that_does_not_answer_is_reported_with_a_hint(home: Home, store: Store) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SyncError, match="cannot be reached") as caught:
        enrol(home, store, f"http://127.0.0.1:{port}", "AAAA-BBBB-CCCC")
    assert "try again" in caught.value.hint


def test_an_address_that_is_not_a_hub_is_reported(hub: Hub, home: Home, store: Store) -> None:
    with pytest.raises(SyncError, match="not an mcdesk hub"):
        enrol(home, store, hub.url + "/not-here", "AAAA-BBBB-CCCC")


def test_a_record_edited_in_the_outbox_is_refused_by_the_hub_and_shown_as_a_problem(
        hub: Hub, home: Home, store: Store, device: Callable[[int], int]) -> None:
    device(3)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    _tamper(store, seq=2)
    report = sync(home, store)
    assert (report.accepted, report.rejected) == (1, 1)
    assert "record 2" in report.problems[0] and "signature" in report.problems[0]
    rows = outbox(store)
    assert rows[0]["acked_at"] and rows[1]["acked_at"] is None and "signature" in rows[1]["last_error"]
    assert rows[2]["acked_at"] is None and rows[2]["last_error"] is None  # waits behind the refused one
    state = status(store)
    assert state.errors == 1 and state.last_error and "record 2" in state.last_error


def _tamper(store: Store, seq: int) -> None:
    """What a learner with a database editor might do: drop the outbox's guards, change a score."""
    conn = sqlite3.connect(store.path)
    triggers = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'evidence'")]
    for name in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    jws = conn.execute("SELECT jws FROM evidence WHERE seq = ?", (seq,)).fetchone()[0]
    head, payload, sig = jws.split(".")
    import base64

    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    doc["timestamps"]["completed"] = "2020-01-01T00:00:00Z"
    from mcdesk.evidence.jcs import canonical
    from mcdesk.keys import b64url

    conn.execute("UPDATE evidence SET jws = ? WHERE seq = ?", (".".join([head, b64url(canonical(doc)), sig]), seq))
    conn.commit()
    conn.close()


def test_a_revoked_laptop_is_told_and_its_records_stay_queued(hub: Hub, home: Home, store: Store,
                                                              device: Callable[[int], int]) -> None:
    device(1)
    result = enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    hub.cli("revoke-device", result.device_id)
    with pytest.raises(SyncError):
        sync(home, store)
    state = status(store)
    assert state.queued == 1 and state.last_error


# --- the USB stick ----------------------------------------------------------------------------------


def test_a_usb_bundle_reaches_the_hub_and_its_reply_acknowledges_every_record(
        hub: Hub, home: Home, store: Store, device: Callable[[int], int], tmp_path: Path) -> None:
    device(4)
    result = enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    stick = tmp_path / "stick"
    stick.mkdir()
    exported = export_bundle(home, store, stick)
    assert exported.records == 4 and exported.path.parent == stick
    reply = stick / "reply.mcreply"
    hub.cli("ingest", str(exported.path), "-o", str(reply))
    assert len(hub_rows(hub, result.device_id)) == 4
    imported = import_reply(home, store, reply)
    assert (imported.acknowledged, imported.rejected) == (4, 0)
    assert status(store).queued == 0
    again = import_reply(home, store, reply)  # the same reply twice: nothing changes
    assert (again.acknowledged, again.already) == (0, 4)
    # the same bundle ingested twice at the hub: every record a duplicate, nothing stored twice
    hub.cli("ingest", str(exported.path), "-o", str(stick / "reply2.mcreply"))
    assert len(hub_rows(hub, result.device_id)) == 4


def test_a_reply_meant_for_another_laptop_is_refused(hub: Hub, home: Home, store: Store,
                                                     device: Callable[[int], int], tmp_path: Path) -> None:
    device(1)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    other_home = Home.open(tmp_path / "other-laptop")
    other = open_store(other_home)
    try:
        enrol(other_home, other, hub.url, hub.enrol_codes(1)[0])
        bundle = export_bundle(other_home, other, tmp_path)
    finally:
        other.close()
    reply = tmp_path / "other.mcreply"
    hub.cli("ingest", str(bundle.path), "-o", str(reply))
    with pytest.raises(SyncError, match="reply for another laptop"):
        import_reply(home, store, reply)
    assert status(store).queued == 1


def test_a_forged_reply_is_refused_and_changes_nothing(hub: Hub, home: Home, store: Store,
                                                       device: Callable[[int], int], tmp_path: Path) -> None:
    device(2)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    bundle = export_bundle(home, store, tmp_path)
    reply = tmp_path / "reply.mcreply"
    hub.cli("ingest", str(bundle.path), "-o", str(reply))
    head, payload, sig = reply.read_text().split(".")
    reply.write_text(".".join([head, payload, sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")]))
    with pytest.raises(SyncError, match="altered"):
        import_reply(home, store, reply)
    assert status(store).queued == 2


def test_importing_a_reply_before_enrolment_says_to_enrol(home: Home, store: Store, tmp_path: Path) -> None:
    (tmp_path / "r.mcreply").write_text("x")
    with pytest.raises(SyncError, match="not enrolled"):
        import_reply(home, store, tmp_path / "r.mcreply")


def test_export_to_a_missing_folder_is_refused(home: Home, store: Store, tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="is not a folder"):
        export_bundle(home, store, tmp_path / "no-stick")


# --- the command line -----------------------------------------------------------------------------


def test_the_cli_enrols_syncs_and_reports_status(hub: Hub, home: Home, store: Store,
                                                 device: Callable[[int], int], tmp_path: Path) -> None:
    device(2)
    env_home = str(home.root)
    code = hub.enrol_codes(1)[0]
    done = subprocess.run([sys.executable, "-m", "mcdesk", "enrol", hub.url, "--code", code, "--home", env_home,
                           "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["device_id"] == status(store).device_id
    done = subprocess.run([sys.executable, "-m", "mcdesk", "sync", "--home", env_home, "--json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["accepted"] == 2
    done = subprocess.run([sys.executable, "-m", "mcdesk", "sync", "status", "--home", env_home, "--json"],
                          capture_output=True, text=True, timeout=60)
    state = json.loads(done.stdout)
    assert (state["queued"], state["acked"], state["enrolled"]) == (0, 2, True)


def test_the_cli_refuses_sync_before_enrolment_with_exit_1(home: Home, device: Callable[[int], int]) -> None:
    device(1)
    done = subprocess.run([sys.executable, "-m", "mcdesk", "sync", "--home", str(home.root)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "not enrolled" in done.stderr and "mcdesk enrol" in done.stderr


def test_a_large_usb_round_trip_of_a_thousand_records_is_acknowledged_whole(
        hub: Hub, home: Home, store: Store, device: Callable[[int], int], tmp_path: Path) -> None:
    from mcdesk.evidence.outbox import record_event
    from mcdesk.learning.credentials import LessonCompleted
    from mcdesk.store.db import utcnow

    learner = store.one("SELECT id FROM learners")["id"]
    with store.transaction() as conn:
        for n in range(1000):
            record_event(conn, LessonCompleted(learner, PACK, f"lesson-{n}", utcnow()))
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    bundle = export_bundle(home, store, tmp_path)
    reply = tmp_path / "reply.mcreply"
    hub.cli("ingest", str(bundle.path), "-o", str(reply))
    assert reply.stat().st_size > 100_000  # far beyond one evidence record's size limit
    assert import_reply(home, store, reply).acknowledged == 1000
    assert status(store).queued == 0
