"""SQLite as mcdesk uses it on both sides (the laptop's mcdesk.db and the hub's hub.db): WAL with
durable commits, and a ladder of migrations applied one rung per transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from mcdesk.errors import StoreError


class Ladderable(Protocol):
    path: Path

    def schema_version(self) -> int: ...

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path, what: str, busy_hint: str) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT on an autocommit connection: all of a change or none of it (ROLLBACK on
    any exception); with synchronous=FULL the commit is on disk before anyone is told it happened."""
    if conn.in_transaction:
        raise StoreError(f"Internal error: nested {what} transaction.")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # busy past the timeout, read-only, disk full
        raise StoreError(f"The {what} {path} cannot be written now ({exc}).", busy_hint) from exc
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(path: Path, what: str = "database") -> sqlite3.Connection:
    """Autocommit connection (writes go through explicit transactions), WAL, synchronous=FULL (a
    commit survives a power cut, not just a crash), foreign keys, a 10 s busy timeout."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The {what} {path} cannot be opened: {exc}.",
                         "If the file is damaged, restore one from the backups folder beside it.") from exc
    if str(mode).lower() != "wal":
        conn.close()
        raise StoreError(f"The {what} {path} cannot use WAL mode (got {mode!r}).")
    return conn


def climb(store: Ladderable, migrations: Mapping[int, str], backup: Callable[[str], Path], *,
          what: str = "database", newer_hint: str = "") -> list[int]:
    """Apply the missing rungs in order, each with its ``PRAGMA user_version`` in one transaction;
    ``backup(label)`` first when the database already held a schema. Returns the versions applied."""
    top, current = max(migrations), store.schema_version()
    if current > top:
        raise StoreError(f"The {what} {store.path} was written by a newer mcdesk (schema {current}; "
                         f"this version knows up to {top}).", newer_hint)
    existed = current > 0  # a database made just now holds nothing worth a backup
    applied = []
    for version in range(current + 1, top + 1):
        if version not in migrations:
            raise StoreError(f"Internal error: migration {version} is missing.")
        if existed:
            backup(f"before-v{version}")
        try:
            with store.transaction() as conn:
                for statement in statements(migrations[version]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(version)}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Upgrading the {what} to schema {version} failed: {exc}.",
                             "Nothing was changed; a backup is in the backups folder.") from exc
        applied.append(version)
    return applied


def statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
