"""Opening the SQLite database: WAL mode, explicit transactions, backups and the migration ladder."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from mcdesk.errors import StoreError
from mcdesk.home import Home
from mcdesk.store.schema import MIGRATIONS


def utcnow() -> str:
    """Timestamps are stored as ISO 8601 UTC text with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Store:
    """One connection to mcdesk.db.

    The connection runs in autocommit mode and every write goes through ``transaction()``
    (BEGIN IMMEDIATE … COMMIT), so a multi-statement change is all or nothing. ``db`` is the
    sqlite-utils view of the same connection, for reads and introspection; its write helpers
    commit on their own and are not used inside transactions.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @functools.cached_property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database, imported on first use to keep start-up quick
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        if self.conn.in_transaction:
            raise StoreError("Internal error: nested database transaction.")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # busy past the timeout, read-only, disk full
            raise StoreError(f"The database {self.path} cannot be written now ({exc}).",
                             "Close other mcdesk windows or commands and try again; nothing was changed.") from exc
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | Mapping = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | Mapping = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        # FULL: a committed answer or install survives a power cut, not just a crash.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The database {path} cannot be opened: {exc}.",
            "If the file is damaged, restore one from the backups folder beside it.",
        ) from exc
    if mode.lower() != "wal":
        raise StoreError(f"The database {path} cannot use WAL mode (got {mode!r}).")
    return conn


def open_store(home: Home, migrations: Mapping[int, str] = MIGRATIONS) -> Store:
    """Open mcdesk.db in ``home``, backing it up and migrating it to the newest schema."""
    store = Store(connect(home.db_path), home.db_path)
    try:
        migrate(store, home, migrations)
    except BaseException:
        store.close()
        raise
    return store


def migrate(store: Store, home: Home, migrations: Mapping[int, str] = MIGRATIONS) -> list[int]:
    """Apply the missing rungs of the ladder in order; returns the versions applied."""
    top = max(migrations)
    current = store.schema_version()
    if current > top:
        raise StoreError(
            f"The database {store.path} was written by a newer mcdesk (schema {current}; "
            f"this version knows up to {top}).",
            "Install the newer mcdesk again, or restore an older backup from the backups folder.",
        )
    applied = []
    existed = current > 0  # a new database has nothing worth a backup
    for version in range(current + 1, top + 1):
        if version not in migrations:
            raise StoreError(f"Internal error: migration {version} is missing.")
        if existed:
            backup(store, home, f"before-v{version}")
        try:
            with store.transaction() as conn:
                for statement in _statements(migrations[version]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(version)}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"Upgrading the database to schema {version} failed: {exc}.",
                "Nothing was changed; a backup is in the backups folder.",
            ) from exc
        applied.append(version)
        current = version
    return applied


def backup(store: Store, home: Home, label: str) -> Path:
    """A consistent copy of the live database in backups/, made with SQLite's backup API."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = home.backups / f"mcdesk-v{store.schema_version()}-{label}-{stamp}.db"
    dest = sqlite3.connect(target)
    try:
        store.conn.backup(dest)
    finally:
        dest.close()
    return target


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
