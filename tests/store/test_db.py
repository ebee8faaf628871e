"""The SQLite store: WAL, the schema ladder, backups before migrating, refusals, the data folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mcdesk.cli import main
from mcdesk.errors import StoreError
from mcdesk.home import Home
from mcdesk.store.db import Store, backup, migrate, open_store
from mcdesk.store.schema import MIGRATIONS, SCHEMA_VERSION

N = SCHEMA_VERSION
TABLES = {
    "settings",
    "trusted_keys",
    "packs",
    "pack_items",
    "credentials",
    "install_log",
    "learners",
    "lesson_progress",
}


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def seeded(home: Home) -> None:
    """A database at the current schema holding one setting, then closed."""
    with open_store(home) as store, store.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('language', 'sw')")


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


# --- opening -------------------------------------------------------------------------------


def test_a_new_database_is_in_wal_mode_at_the_newest_schema_without_a_backup(home: Home) -> None:
    with open_store(home) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store.schema_version() == N >= 1
        assert tables(store.conn) >= TABLES
        assert store.path == home.db_path and home.db_path.is_file()
    assert list(home.backups.iterdir()) == []


def test_reopening_an_up_to_date_database_keeps_its_data_and_makes_no_backup(home: Home) -> None:
    seeded(home)
    with open_store(home) as store:
        assert store.one("SELECT value FROM settings WHERE key = 'language'")["value"] == "sw"
        assert migrate(store, home) == []
    assert list(home.backups.iterdir()) == []


def test_a_database_from_a_newer_schema_is_refused_with_a_clear_error(home: Home) -> None:
    seeded(home)
    conn = sqlite3.connect(home.db_path)
    conn.execute(f"PRAGMA user_version = {N + 1}")
    conn.close()

    with pytest.raises(StoreError) as caught:
        open_store(home)

    assert (
        f"was written by a newer mcdesk (schema {N + 1}; this version knows up to {N})"
        in caught.value.message
    )
    assert "backups folder" in caught.value.hint
    assert user_version(home.db_path) == N + 1  # left exactly as it was
    assert list(home.backups.iterdir()) == []


def test_a_file_that_is_not_a_database_is_refused_with_a_store_error(home: Home) -> None:
    home.db_path.write_bytes(b"this is not SQLite " * 100)
    with pytest.raises(StoreError, match="cannot be opened") as caught:
        open_store(home)
    assert "restore one from the backups folder" in caught.value.hint


# --- the migration ladder ------------------------------------------------------------------

EXTRA_RUNG = """
-- A rung as a future mcdesk would write it: a column and a trigger whose body holds semicolons.
ALTER TABLE settings ADD COLUMN note TEXT;
UPDATE settings SET note = 'migrated';
CREATE TRIGGER settings_note AFTER INSERT ON settings BEGIN
    UPDATE settings SET note = 'new; fresh' WHERE key = NEW.key;
END;
"""


def test_an_extra_rung_is_applied_after_a_backup_that_holds_the_old_data(home: Home) -> None:
    seeded(home)

    with open_store(home, {**MIGRATIONS, N + 1: EXTRA_RUNG}) as store:
        assert store.schema_version() == N + 1
        assert store.one("SELECT note FROM settings WHERE key = 'language'")["note"] == "migrated"
        with store.transaction() as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('theme', 'dark')")
        assert store.one("SELECT note FROM settings WHERE key = 'theme'")["note"] == "new; fresh"

    [copy] = list(home.backups.iterdir())
    assert copy.name.startswith(f"mcdesk-v{N}-before-v{N + 1}-") and copy.suffix == ".db"
    old = sqlite3.connect(copy)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == N
        assert old.execute("SELECT key, value FROM settings").fetchall() == [("language", "sw")]
        assert "note" not in columns(old, "settings")
        assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        old.close()


def test_a_failing_rung_leaves_the_database_at_the_old_version(home: Home) -> None:
    seeded(home)
    broken = "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"

    with pytest.raises(StoreError) as caught:
        open_store(home, {**MIGRATIONS, N + 1: broken})

    assert f"Upgrading the database to schema {N + 1} failed" in caught.value.message
    assert "no such table: no_such_table" in caught.value.message
    assert "a backup is in the backups folder" in caught.value.hint
    assert len(list(home.backups.iterdir())) == 1
    with open_store(home) as store:
        assert store.schema_version() == N
        assert "half_done" not in tables(store.conn)
        assert store.one("SELECT value FROM settings WHERE key = 'language'")["value"] == "sw"


def test_rungs_apply_in_order_and_a_later_failing_rung_keeps_the_earlier_ones(home: Home) -> None:
    seeded(home)
    ladder = {
        **MIGRATIONS,
        N + 1: "ALTER TABLE settings ADD COLUMN a TEXT;",
        N + 2: "ALTER TABLE settings ADD COLUMN a TEXT;",
    }  # duplicate column: fails
    with pytest.raises(StoreError, match=f"schema {N + 2} failed"):
        open_store(home, ladder)
    assert user_version(home.db_path) == N + 1
    labels = sorted(p.name.rsplit("-", 1)[0] for p in home.backups.iterdir())
    assert labels == [f"mcdesk-v{N}-before-v{N + 1}", f"mcdesk-v{N + 1}-before-v{N + 2}"]

    ladder[N + 2] = "ALTER TABLE settings ADD COLUMN b TEXT;"
    with open_store(home, ladder) as store:
        assert store.schema_version() == N + 2
        assert columns(store.conn, "settings")[-2:] == ["a", "b"]


def test_a_gap_in_the_ladder_is_an_internal_error(home: Home) -> None:
    seeded(home)
    with pytest.raises(StoreError, match=f"migration {N + 1} is missing"):
        open_store(home, {**MIGRATIONS, N + 2: "SELECT 1;"})
    assert user_version(home.db_path) == N


def test_migrate_returns_the_versions_it_applied(home: Home) -> None:
    with open_store(home) as store:
        assert migrate(store, home, {**MIGRATIONS, N + 1: "SELECT 1;", N + 2: "SELECT 2;"}) == [
            N + 1,
            N + 2,
        ]
        assert store.schema_version() == N + 2


def test_backup_is_a_consistent_copy_of_the_live_database(home: Home, store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO learners (name, created_at) VALUES ('Amina', '2026-01-01T00:00:00Z')"
        )
    path = backup(store, home, "manual")
    copy = sqlite3.connect(path)
    try:
        assert copy.execute("SELECT name FROM learners").fetchall() == [("Amina",)]
    finally:
        copy.close()


# --- transactions --------------------------------------------------------------------------


def test_a_transaction_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("half way")
    assert store.one("SELECT count(*) FROM settings")[0] == 0
    with store.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
    assert store.one("SELECT value FROM settings")[0] == "1"


def test_nested_transactions_are_refused(store: Store) -> None:
    with (
        store.transaction(),
        pytest.raises(StoreError, match="nested database transaction"),
        store.transaction(),
    ):
        pass


def test_a_busy_database_is_a_store_error_not_a_crash(home: Home, store: Store) -> None:
    other = open_store(home)
    store.conn.execute("PRAGMA busy_timeout = 0")
    try:
        with (
            other.transaction(),
            pytest.raises(StoreError, match="cannot be written now") as caught,
            store.transaction() as conn,
        ):
            conn.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
        assert "try again" in caught.value.hint
    finally:
        other.close()
    assert store.one("SELECT count(*) FROM settings")[0] == 0


# --- the data folder -----------------------------------------------------------------------


def test_home_open_uses_mcdesk_home_and_creates_the_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCDESK_HOME", str(tmp_path / "env-home"))
    home = Home.open()
    assert home.root == (tmp_path / "env-home").resolve()
    for folder in (home.packs, home.backups, home.logs, home.keys):
        assert folder.is_dir()
    assert home.keys.stat().st_mode & 0o777 == 0o700
    assert home.db_path == home.root / "mcdesk.db" and home.staging == home.packs / ".staging"


def test_an_explicit_home_wins_over_mcdesk_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCDESK_HOME", str(tmp_path / "env-home"))
    home = Home.open(tmp_path / "explicit")
    assert home.root == (tmp_path / "explicit").resolve()
    assert not (tmp_path / "env-home").exists()


def test_the_home_option_of_the_cli_is_respected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MCDESK_HOME", str(tmp_path / "env-home"))
    assert main(["--home", str(tmp_path / "cli-home"), "trust", "list"]) == 0
    assert user_version(tmp_path / "cli-home" / "mcdesk.db") == N
    assert not (tmp_path / "env-home").exists()
    assert main(["trust", "list"]) == 0
    assert user_version(tmp_path / "env-home" / "mcdesk.db") == N
    capsys.readouterr()


def test_a_home_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("in the way")
    with pytest.raises(StoreError, match="cannot be created or written") as caught:
        Home.open(tmp_path / "a-file" / "home")
    assert "--home or MCDESK_HOME" in caught.value.hint
