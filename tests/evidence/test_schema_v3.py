"""Schema rung 3: learners get uuids (existing ones back-filled), and the device, evidence, enrolment
and sync_state tables exist with their singleton rules."""

from __future__ import annotations

import re
import sqlite3

import pytest

from mcdesk.home import Home
from mcdesk.store.db import open_store
from mcdesk.store.schema import MIGRATIONS, SCHEMA_VERSION

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_a_version_2_database_gains_learner_uuids_and_the_evidence_tables(home: Home) -> None:
    with open_store(home, {v: MIGRATIONS[v] for v in (1, 2)}) as old:
        with old.transaction() as conn:
            for n in range(20):
                conn.execute("INSERT INTO learners (name, created_at) VALUES (?, '2024-01-01T00:00:00Z')", (f"L{n}",))
        assert old.schema_version() == 2
    with open_store(home) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 3
        uuids = [r["uuid"] for r in store.query("SELECT uuid FROM learners")]
        assert len(uuids) == 20 and len(set(uuids)) == 20 and all(UUID4.fullmatch(u) for u in uuids)
        names = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"device", "evidence", "enrolment", "sync_state"} <= names
        assert "manifest_sha256" in {r["name"] for r in store.query("PRAGMA table_info(quiz_attempts)")}
        assert [tuple(r) for r in store.query("SELECT id, cursor, last_success FROM sync_state")] == [(1, 0, None)]
    assert list(home.backups.glob("mcdesk-v2-before-v3-*.db"))  # backed up before the upgrade


def test_device_enrolment_and_sync_state_hold_one_row_each(home: Home) -> None:
    with open_store(home) as store:
        for sql in ("INSERT INTO device VALUES (2, 'd', 'k', 'file', 'now')",
                    "INSERT INTO device VALUES (1, 'd', 'k', 'disk', 'now')",
                    "INSERT INTO enrolment VALUES (2, 'u', 'd', 'n', '{}', '[]', 'now')",
                    "INSERT INTO sync_state (id) VALUES (2)",
                    "INSERT INTO sync_state (id) VALUES (1)"):
            with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
                conn.execute(sql)
