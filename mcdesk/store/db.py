"""Opening the SQLite database: WAL mode, explicit transactions, backups and the migration ladder."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from mcdesk.home import Home
from mcdesk.store import sqlite
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
        with sqlite.transaction(self.conn, self.path, "database",
                                "Close other mcdesk windows or commands and try again; nothing was changed.") as conn:
            yield conn

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
    return sqlite.connect(path, "database")


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
    """Apply the missing rungs of the ladder in order (a backup before each, when the database held a
    schema); returns the versions applied."""
    return sqlite.climb(store, migrations, lambda label: backup(store, home, label), what="database",
                        newer_hint="Install the newer mcdesk again, or restore an older backup from the backups "
                        "folder.")


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
