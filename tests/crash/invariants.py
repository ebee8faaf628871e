"""What must hold after every kill of the crash harness's child, checked on the laptop's data folder and
the hub's database; and the ledger of what the child had shown as done (the lines it printed)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcdesk.evidence.outbox import verify_chain
from mcdesk.home import Home
from mcdesk.packs.install import PackManager
from mcdesk.store.db import open_store
from tests.crash.material import PACK

_MISSING = object()


@dataclass
class Ledger:
    """Everything the child has said was done, over all rounds: the learner saw it as saved."""

    saved: dict[tuple[int, str], Any] = field(default_factory=dict)  # (attempt, question) -> response
    finished: set[int] = field(default_factory=set)
    completed: set[tuple[int, str]] = field(default_factory=set)
    learners: set[int] = field(default_factory=set)
    installed: int | None = None  # the version of the last install that returned
    installing: int | None = None  # the version of an install that had begun but not returned
    synced_top: int = 0  # every record up to this seq was in the outbox when a sync returned
    credentials: int = 0  # issued credentials syncs reported as received (and verified)

    def read(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word == "SAVED":
            attempt, question, response = rest.split(" ", 2)
            self.saved[(int(attempt), question)] = json.loads(response)
        elif word == "FINISHED":
            self.finished.add(int(rest.split()[0]))
        elif word == "COMPLETED":
            learner, lesson = rest.split()
            self.completed.add((int(learner), lesson))
        elif word == "LEARNER":
            self.learners.add(int(rest))
        elif word == "INSTALLING":
            self.installing = int(rest)
        elif word == "INSTALLED":
            self.installed, self.installing = int(rest.split()[1]), None
        elif word == "SYNCED":
            top, _sent, _acked, credentials = map(int, rest.split())
            self.synced_top = max(self.synced_top, top)
            self.credentials += credentials

    def possible_versions(self) -> set[int]:
        """The pack versions the database may name now: the last one installed, or the one an
        interrupted install was putting in place."""
        return {v for v in (self.installed, self.installing) if v is not None}

    def settled(self, version: int) -> None:
        """The checks found ``version`` installed: an interrupted install is over, one way or the other."""
        self.installed, self.installing = version, None


@dataclass(frozen=True)
class PackVersion:
    """What a whole installed version is: its manifest's sha256 and every file's sha256."""

    manifest_sha256: str
    files: dict[str, str]


@dataclass(frozen=True)
class DeviceRecord:
    seq: int
    evidence_id: str
    jws: str
    acked: bool


@dataclass(frozen=True)
class LaptopState:
    """What the checks found: the outbox (for the hub check) and the installed pack version."""

    records: list[DeviceRecord]
    pack_version: int


def check_database_file(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "PRAGMA integrity_check failed"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], "foreign keys broken"
    finally:
        conn.close()


def check_laptop(root: Path, ledger: Ledger, versions: dict[int, PackVersion], allowed: set[int]) -> LaptopState:
    """Every invariant on the laptop's side (``allowed``: the pack versions the database may name)."""
    check_database_file(root / "mcdesk.db")
    home = Home.open(root)
    store = open_store(home)
    try:
        _check_shown_work(store, ledger)
        _check_evidence_matches_events(store)
        report = verify_chain(store)  # what `mcdesk evidence verify` runs
        count = store.one("SELECT count(*) FROM evidence")[0]
        assert report.ok and report.records == count, f"evidence chain: {report}"
        version = _check_pack(home, PackManager(home, store), versions, allowed)
        rows = store.query("SELECT seq, evidence_id, jws, acked_at FROM evidence ORDER BY seq")
        records = [DeviceRecord(r["seq"], r["evidence_id"], r["jws"], r["acked_at"] is not None) for r in rows]
        unacked = [r.seq for r in records if r.seq <= ledger.synced_top and not r.acked]
        assert not unacked, f"records {unacked} were synced but are not marked acknowledged"
        return LaptopState(records, version)
    finally:
        store.close()


def _check_shown_work(store: Any, ledger: Ledger) -> None:
    """No answer, finished attempt, completed lesson or learner the child reported is missing."""
    answers = {(r["attempt_id"], r["question_id"]): json.loads(r["response"])
               for r in store.query("SELECT attempt_id, question_id, response FROM quiz_answers")}
    lost = {key: value for key, value in ledger.saved.items() if answers.get(key, _MISSING) != value}
    assert not lost, f"answers shown as saved are lost or changed: {lost}"
    open_ = {r[0] for r in store.query("SELECT id FROM quiz_attempts WHERE status = 'open'")}
    known = {r[0] for r in store.query("SELECT id FROM quiz_attempts")}
    reopened = {a for a in ledger.finished if a in open_ or a not in known}
    assert not reopened, f"attempts shown as finished are open or gone: {reopened}"
    done = {(r[0], r[1]) for r in store.query("SELECT learner_id, lesson_id FROM lesson_progress WHERE pack_id = ?",
                                              (PACK,))}
    assert ledger.completed <= done, f"lessons shown as completed are lost: {ledger.completed - done}"
    learners = {r[0] for r in store.query("SELECT id FROM learners")}
    assert ledger.learners <= learners, f"learners lost: {ledger.learners - learners}"
    valid = store.one("SELECT count(*) FROM issued_credentials WHERE status = 'valid'")[0]
    assert valid >= ledger.credentials, f"{ledger.credentials} credentials were received, {valid} are kept"


def _check_evidence_matches_events(store: Any) -> None:
    """Each event and its evidence record commit together: one record per completed lesson, closed
    attempt and earned credential, never one without the other."""
    kinds = dict(store.query("SELECT kind, count(*) FROM evidence GROUP BY kind"))
    events = {
        "lesson": store.one("SELECT count(*) FROM lesson_progress")[0],
        "quiz": store.one("SELECT count(*) FROM quiz_attempts WHERE status != 'open'")[0],
        "credential": store.one("SELECT count(*) FROM earned_credentials")[0],
    }
    assert {k: kinds.get(k, 0) for k in events} == events, f"evidence {kinds} does not match the events {events}"


def _check_pack(home: Home, manager: PackManager, versions: dict[int, PackVersion], allowed: set[int]) -> int:
    """After recover(): the pack is one whole version that was being installed or had been, and
    nothing else is left in packs/. Returns that version."""
    manager.recover()
    pack = manager.get(PACK)
    assert pack is not None and pack.version in allowed, f"pack row names {pack}, expected a version in {allowed}"
    expected = versions[pack.version]
    row = manager.store.one("SELECT manifest_sha256, folder FROM packs WHERE id = ?", (PACK,))
    assert row["manifest_sha256"] == expected.manifest_sha256, "the pack row holds another version's manifest"
    manifest = manager.manifest(PACK)
    assert manifest.version == pack.version
    assert {p: e.sha256 for p, e in manifest.files.items()} == expected.files
    on_disk = {p.relative_to(pack.folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in pack.folder.rglob("*") if p.is_file()}
    assert on_disk == expected.files, f"the folder of version {pack.version} is not that version, whole"
    items = manager.store.one("SELECT count(*) FROM pack_items WHERE pack_id = ?", (PACK,))[0]
    assert items == len(manifest.modules) + len(manifest.items())
    leftovers = [p.name for p in home.staging.iterdir()] if home.staging.exists() else []
    assert not leftovers, f"half-written installs left in {home.staging}: {leftovers}"
    top = sorted(p.name for p in home.packs.iterdir() if not p.name.startswith("."))
    assert top == [PACK] and list((home.packs / PACK).iterdir()) == [pack.folder], \
        f"packs/ holds more than the installed version: {sorted(map(str, home.packs.rglob('*')))[:20]}"
    return pack.version


def check_hub(hub_db: Path, device_id: str, records: list[DeviceRecord], ledger: Ledger) -> int:
    """The hub holds no duplicate; what it holds of this device is the device's chain from seq 1,
    byte for byte; everything acknowledged or reported synced is there. Returns how many it holds."""
    conn = sqlite3.connect(f"file:{hub_db}?mode=ro", uri=True)
    try:
        for key in ("device_id, seq", "evidence_id", "record_hash"):
            twice = conn.execute(f"SELECT {key}, count(*) FROM evidence GROUP BY {key} HAVING count(*) > 1").fetchall()
            assert not twice, f"the hub holds duplicates by {key}: {twice[:5]}"
        held = conn.execute("SELECT seq, evidence_id, jws FROM evidence WHERE device_id = ? ORDER BY seq",
                            (device_id,)).fetchall()
    finally:
        conn.close()
    assert [r[0] for r in held] == list(range(1, len(held) + 1)), "the hub's copy of the chain has gaps"
    assert len(held) <= len(records), f"the hub holds {len(held)} records, the laptop only {len(records)}"
    differ = [seq for (seq, eid, jws), mine in zip(held, records, strict=False)
              if (eid, jws) != (mine.evidence_id, mine.jws)]
    assert not differ, f"the hub's records {differ[:5]} differ from the laptop's"
    acked = [r.seq for r in records if r.acked]
    assert not acked or max(acked) <= len(held), "records marked acknowledged are not on the hub"
    assert ledger.synced_top <= len(held), f"synced up to {ledger.synced_top}, the hub holds {len(held)}"
    return len(held)
