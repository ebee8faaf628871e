"""The fault soak: several device processes record and sync at once through the fault-injecting proxy
while the hub is stopped (SIGTERM, then SIGKILL) and started again on the same port and data folder.
Nothing is lost, nothing is duplicated, and the memory of the hub and of each device stays flat.

Bounded by default (4 devices x 1,500 records); MCDESK_SOAK_SECONDS / _RECORDS / _DEVICES / _SEED make a
long run (docs/soak.md). Set MCDESK_SOAK_REPORT to a file path to get the run's numbers as JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.home import Home
from mcdesk.store.db import open_store
from mcdesk.sync.client import status
from tests.soak.soak import DEVICE_WARMUP, DRAIN_SECONDS, HUB_WARMUP, SoakConfig, SoakResult, memory_growth, run_soak
from tests.sync.faultproxy import FAULTS

CONFIG = SoakConfig.from_env()
# Growth allowed after the warm-up (KiB), from the first sample past it to the last: for the hub over
# each process life, for each device over its rounds. docs/soak.md says how they were chosen.
HUB_GROWTH_KIB = 4 * 1024
DEVICE_GROWTH_KIB = 8 * 1024


@pytest.mark.slow
@pytest.mark.timeout(int(CONFIG.seconds + DRAIN_SECONDS + 180))
def test_devices_syncing_through_faults_and_hub_restarts_lose_nothing_duplicate_nothing_and_stay_flat(
        tmp_path: Path, make_pack: Callable[..., Path], trusted_key: Ed25519PrivateKey) -> None:
    print(f"fault soak {CONFIG} (replay with MCDESK_SOAK_SEED={CONFIG.seed})")  # shown if the run itself fails
    result = run_soak(tmp_path / "soak", CONFIG, make_pack(), trusted_key.public_key())
    summary = result.summary()
    print(f"\nfault soak: {json.dumps(summary)}")
    if os.environ.get("MCDESK_SOAK_REPORT"):  # with the memory series, for plotting or a closer look
        Path(os.environ["MCDESK_SOAK_REPORT"]).write_text(json.dumps({**summary, "series": result.series()}, indent=1))
    replay = f"replay with MCDESK_SOAK_SEED={CONFIG.seed}; run: {json.dumps(summary)}"

    _every_device_finished_through_every_fault_and_restart(result, replay)
    _every_record_is_at_the_hub_once_in_order_and_acknowledged(result, replay)
    _memory_stayed_flat(result, replay)


def _every_device_finished_through_every_fault_and_restart(result: SoakResult, replay: str) -> None:
    for device in result.devices:
        assert (device.outcome, device.process.returncode) == ("done", 0), \
            f"device {device.index} did not finish: {device.stderr()}\n{replay}"
    assert [r.how for r in result.restarts] == list(CONFIG.restarts), replay
    assert all(r.failed_rounds > 0 for r in result.restarts), replay  # the devices felt each restart
    assert all(result.fates.get(name, 0) > 0 for name in (*FAULTS[1:], "hub_down")), replay


def _device_rows(home: Path) -> tuple[Any, list[tuple[str, str]]]:
    store = open_store(Home.open(home))
    try:
        rows = [(r["evidence_id"], r["jws"]) for r in store.query("SELECT evidence_id, jws FROM evidence ORDER BY seq")]
        return status(store), rows
    finally:
        store.close()


def _every_record_is_at_the_hub_once_in_order_and_acknowledged(result: SoakResult, replay: str) -> None:
    sent = 0
    with sqlite3.connect(result.hub_data / "hub.db") as hub:
        for device in result.devices:
            state, rows = _device_rows(device.home)
            where = f"device {device.index}; {replay}"
            assert (state.queued, state.acked, state.errors) == (0, state.total, 0), where
            assert state.total == device.written and (state.total == CONFIG.records or device.written < CONFIG.records)
            at_hub = hub.execute("SELECT evidence_id, jws FROM evidence WHERE device_id = ? ORDER BY seq",
                                 (state.device_id,)).fetchall()
            assert at_hub == rows, f"the hub's copy differs: {where}"  # every record once, in order, same bytes
            acks = [json.loads(body)["evidence_id"] for (body,) in hub.execute(
                "SELECT body FROM changes WHERE device_id = ? AND kind = 'ack'", (state.device_id,))]
            assert sorted(acks) == sorted(eid for eid, _ in rows), f"one ack per record: {where}"
            sent += state.total
        total = hub.execute("SELECT count(*), count(DISTINCT evidence_id) FROM evidence").fetchone()
        devices = hub.execute("SELECT count(*) FROM devices").fetchone()[0]
    assert total == (sent, sent) and devices == CONFIG.devices, replay
    if (CONFIG.records, CONFIG.seconds) == (SoakConfig.records, SoakConfig.seconds):
        assert sent == CONFIG.devices * CONFIG.records, replay  # the default run is bounded by its count


def _memory_stayed_flat(result: SoakResult, replay: str) -> None:
    for life, samples in enumerate(result.hub_lives()):
        baseline, end, growth = memory_growth(samples, HUB_WARMUP)
        assert growth < HUB_GROWTH_KIB, f"hub (life {life}) RSS {baseline} -> {end} KiB; {replay}"
    for device in result.devices:
        baseline, end, growth = memory_growth([r["vmrss"] for r in device.rounds], DEVICE_WARMUP)
        assert growth < DEVICE_GROWTH_KIB, f"device {device.index} RSS {baseline} -> {end} KiB; {replay}"
