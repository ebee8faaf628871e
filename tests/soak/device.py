"""One soak device as its own process: enrol through the fault proxy, then round after round record a
batch of evidence and sync it, printing one JSON line per round (its counts and its own memory).

Run by tests/soak/soak.py as ``python -m tests.soak.device CONFIG_JSON`` with MCDESK_HOME set to a data
folder that already holds the installed test pack and one learner.
"""

from __future__ import annotations

import json
import random
import sys
import time
from typing import Any

from mcdesk.errors import SyncError
from mcdesk.evidence.outbox import record_event
from mcdesk.home import Home
from mcdesk.learning.credentials import LessonCompleted
from mcdesk.store.db import Store, open_store, utcnow
from mcdesk.sync.client import backoff_delay, enrol, status, sync

PACK = "org.example.test"
# The sync client's settings in the soak: a timeout shorter than the proxy's stalls, few quick retries
# inside a round; between failed rounds the app's exponential backoff with jitter (small numbers here).
TIMEOUT, RETRIES, BACKOFF = 2.0, 3, 0.02
ROUND_BACKOFF, ROUND_BACKOFF_CAP = 0.05, 1.0


def memory_kb() -> dict[str, int]:
    """VmRSS and VmHWM of this process in KiB, from /proc/self/status."""
    return read_memory("/proc/self/status")


def read_memory(path: str) -> dict[str, int]:
    found: dict[str, int] = {}
    with open(path, encoding="ascii") as status_file:
        for line in status_file:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name.lower()] = int(value.split()[0])
    return found


def say(**fields: Any) -> None:
    print(json.dumps(fields, separators=(",", ":")), flush=True)


def write_batch(store: Store, learner: int, first: int, n: int) -> None:
    """``n`` lesson completions, each signed by the real recorder, in one transaction."""
    with store.transaction() as conn:
        for k in range(first, first + n):
            record_event(conn, LessonCompleted(learner_id=learner, pack_id=PACK, lesson_id=f"lesson-{k}",
                                               completed_at=utcnow()))


def enrol_until_done(home: Home, store: Store, url: str, code: str, deadline: float) -> int:
    """Enrol through the proxy, again after each failure (a lost answer is safe to repeat with the same code)."""
    tries = 0
    while True:
        tries += 1
        try:
            enrol(home, store, url, code, device_name=f"soak {home.root.name}")
            return tries
        except SyncError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(config: dict[str, Any]) -> int:
    start = time.monotonic()
    rng = random.Random(config["seed"])
    home = Home.open(None)
    store = open_store(home)
    learner = int(store.one("SELECT id FROM learners ORDER BY id LIMIT 1")["id"])
    tries = enrol_until_done(home, store, config["url"], config["code"], start + config["stop_after"])
    say(event="enrolled", tries=tries, **memory_kb())
    written = status(store).total
    failures = rounds = 0
    while True:
        rounds += 1
        elapsed = time.monotonic() - start
        if written < config["records"] and elapsed < config["write_for"]:
            n = min(config["batch"], config["records"] - written)
            write_batch(store, learner, written, n)
            written += n
        error = None
        try:
            sync(home, store, timeout=TIMEOUT, retries=RETRIES, backoff=BACKOFF)
            failures = 0
        except SyncError as exc:
            failures += 1
            error = exc.message[:160]
        state = status(store)
        say(event="round", round=rounds, t=round(time.monotonic() - start, 3), wall=time.time(), ok=error is None,
            error=error,
            written=written, queued=state.queued, acked=state.acked, errors=state.errors, **memory_kb())
        writing_done = written >= config["records"] or time.monotonic() - start >= config["write_for"]
        if writing_done and error is None and state.queued == 0:
            say(event="done", rounds=rounds, written=written, window_closed=written < config["records"])
            return 0
        if time.monotonic() - start > config["stop_after"]:
            say(event="gave_up", rounds=rounds, written=written, queued=state.queued)
            return 3
        if error is not None:  # as the app does after a failed round: back off with jitter, then again
            time.sleep(backoff_delay(failures - 1, ROUND_BACKOFF, ROUND_BACKOFF_CAP, rng))


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
