"""10,000 records synced through a proxy that drops, delays, stalls, truncates and resets connections
and answers HTTP 500: each record reaches the hub exactly once and the device shows all acknowledged."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mcdesk.errors import SyncError
from mcdesk.evidence.outbox import record_event
from mcdesk.home import Home
from mcdesk.learning.credentials import LessonCompleted
from mcdesk.learning.progress import add_learner
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store, utcnow
from mcdesk.sync.client import enrol, status, sync
from tests.hubproc import running_hub
from tests.sync.faultproxy import FAULTS, FaultPlan, FaultProxy

RECORDS = 10_000
PACK = "org.example.test"


def _fill_outbox(store: Store, manager: PackManager, make_pack: Callable[..., Path]) -> list[str]:
    """10,000 lesson completions, each signed by the real recorder, in one transaction."""
    manager.install(make_pack())
    learner = add_learner(store, "Ama")
    with store.transaction() as conn:
        for n in range(RECORDS):
            record_event(conn, LessonCompleted(learner_id=learner, pack_id=PACK, lesson_id=f"lesson-{n}",
                                               completed_at=utcnow()))
    return [row["evidence_id"] for row in store.query("SELECT evidence_id FROM evidence ORDER BY seq")]


@pytest.mark.timeout(600)
def test_ten_thousand_records_through_a_faulty_network_arrive_exactly_once(
        tmp_path: Path, home: Home, store: Store, manager: PackManager, make_pack: Callable[..., Path]) -> None:
    ids = _fill_outbox(store, manager, make_pack)
    assert len(ids) == RECORDS
    plan = FaultPlan(seed=20261129)
    with running_hub(tmp_path / "hub") as hub:
        code = hub.enrol_codes(1)[0]
        upstream = urlsplit(hub.url)
        with FaultProxy(upstream.hostname, upstream.port, plan) as proxy:
            rounds = failures = 0
            enrolled = False
            while rounds < 400 and (not enrolled or status(store).queued):
                rounds += 1
                try:
                    if not enrolled:  # a lost answer to the enrolment is safe to repeat with the same code
                        enrol(home, store, proxy.url, code)
                        enrolled = True
                    sync(home, store, timeout=2.0, retries=3, backoff=0.02)
                except SyncError:
                    failures += 1  # as the app would: try again later (here: at once)
        device_id = status(store).device_id
        with sqlite3.connect(hub.data / "hub.db") as conn:
            at_hub = [row[0] for row in conn.execute(
                "SELECT evidence_id FROM evidence WHERE device_id = ? ORDER BY seq", (device_id,))]
            total_rows = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    state = status(store)
    assert (state.queued, state.acked, state.errors) == (0, RECORDS, 0), f"after {rounds} rounds"
    assert at_hub == ids  # every record, once, in the device's order
    assert total_rows == RECORDS
    injected = {name: plan.counts[name] for name in FAULTS}
    assert all(injected[name] > 0 for name in FAULTS if name != "pass"), injected
    print(f"\n{rounds} sync rounds, {failures} gave up for a while; requests by fate: {injected}")
