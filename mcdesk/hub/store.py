"""The hub's data folder and its SQLite database (hub.db): WAL, durable commits and a migration ladder."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mcdesk.errors import StoreError
from mcdesk.store import sqlite

APP_NAME = "mcdesk-hub"
DATA_ENV = "MCDESK_HUB_DATA"


def utcnow() -> str:
    """RFC 3339 UTC with seconds and a Z, the form of every timestamp the hub stores or sends."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_data() -> Path:
    """MCDESK_HUB_DATA if set, else the platform's user data folder for "mcdesk-hub"."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class HubData:
    """Paths inside one hub data folder; ``HubData.open`` creates the folders that are missing."""

    root: Path

    @classmethod
    def open(cls, root: str | os.PathLike[str] | None = None) -> HubData:
        data = cls(Path(root).expanduser().resolve() if root else default_data().resolve())
        try:
            for folder in (data.root, data.logs, data.backups):
                folder.mkdir(parents=True, exist_ok=True)
            data.keys.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"The hub data folder {data.root} cannot be created or written ({exc.strerror}).",
                f"Choose another folder with --data or {DATA_ENV}, or fix its permissions.",
            ) from exc
        return data

    @property
    def db_path(self) -> Path:
        return self.root / "hub.db"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def key_path(self) -> Path:
        return self.keys / "institution.key.pem"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_path(self) -> Path:
        return self.logs / "hub.log"

    @property
    def backups(self) -> Path:
        return self.root / "backups"


# Each rung takes hub.db from version N-1 to N, in one transaction with `PRAGMA user_version = N`.
# Never edit a rung that has shipped: add one.
MIGRATIONS: dict[int, str] = {
    1: """
    -- The institution profile (institution_id, institution_name, institution_url).
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- One-time enrolment codes; only the sha256 of the normalised code is kept.
    CREATE TABLE enrol_codes (
        code_sha256 TEXT PRIMARY KEY,
        created_at  TEXT NOT NULL,
        used_at     TEXT,
        device_id   TEXT                       -- the device that used it
    );

    CREATE TABLE devices (
        device_id     TEXT PRIMARY KEY,        -- hex sha256 of the raw Ed25519 public key
        public_key    TEXT NOT NULL,           -- base64url of the 32 raw bytes
        name          TEXT NOT NULL,
        enrolled_at   TEXT NOT NULL,
        token_sha256  TEXT NOT NULL UNIQUE,    -- the device token itself is never stored
        token_issued_at TEXT NOT NULL,
        last_seen_at  TEXT,
        revoked_at    TEXT
    );

    -- Accepted evidence: each device's hash chain, seq 1, 2, 3 ... without gaps.
    CREATE TABLE evidence (
        device_id   TEXT NOT NULL REFERENCES devices(device_id),
        seq         INTEGER NOT NULL,
        evidence_id TEXT NOT NULL UNIQUE,
        record_hash TEXT NOT NULL UNIQUE,      -- sha256 hex of the compact JWS
        jws         TEXT NOT NULL,
        record      TEXT NOT NULL,             -- the verified payload (canonical JSON)
        received_at TEXT NOT NULL,
        via         TEXT NOT NULL CHECK (via IN ('http', 'bundle')),
        PRIMARY KEY (device_id, seq)
    ) WITHOUT ROWID;

    -- What flows back to each device (acks now; credentials, revocations, catalog later).
    CREATE TABLE changes (
        cursor     INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id  TEXT NOT NULL REFERENCES devices(device_id),
        kind       TEXT NOT NULL,
        body       TEXT NOT NULL,              -- JSON
        created_at TEXT NOT NULL
    );
    CREATE INDEX changes_by_device ON changes(device_id, cursor);
    """,
    2: """
    -- Packs the institution published (`mcdesk hub publish`); the file is DATA/packs/<id>-<version>.mcpack.
    -- A pack's current version is its row with the highest seq (the last one published).
    CREATE TABLE published_packs (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        pack_id         TEXT NOT NULL,
        version         INTEGER NOT NULL,
        display_version TEXT NOT NULL,
        title           TEXT NOT NULL,
        length          INTEGER NOT NULL,      -- bytes of the .mcpack
        sha256          TEXT NOT NULL,         -- hex sha256 of the .mcpack (its ETag)
        manifest        TEXT NOT NULL,         -- manifest.json as signed by the publisher
        manifest_sha256 TEXT NOT NULL,
        key_id          TEXT NOT NULL,         -- the publisher key that signed the manifest
        file            TEXT NOT NULL,         -- path relative to the data folder
        published_at    TEXT NOT NULL,
        UNIQUE (pack_id, version)
    );

    -- Every catalog the hub signed, newest last; devices get the one with the highest version.
    CREATE TABLE catalogs (
        version    INTEGER PRIMARY KEY,
        issued_at  TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        jws        TEXT NOT NULL
    );
    """,
    3: """
    -- Open Badges issuing (mcdesk/hub/issuer.py).
    -- A learner as the hub knows them: by institution learner id when records carry one, else by one
    -- device's local learner id. The subject of their credentials is "urn:uuid:<learner_uuid>".
    CREATE TABLE learners (
        learner_uuid   TEXT PRIMARY KEY,
        institution_id TEXT UNIQUE,            -- NULL for a learner known only on one device
        salt           TEXT NOT NULL,          -- salts the hashed identifier in their credentials
        created_at     TEXT NOT NULL
    );

    -- Which device-local learner ids are which learner (an institution learner may use many laptops).
    CREATE TABLE learner_devices (
        device_id    TEXT NOT NULL REFERENCES devices(device_id),
        local_id     TEXT NOT NULL,            -- learner.id in that device's records
        learner_uuid TEXT NOT NULL REFERENCES learners(learner_uuid),
        PRIMARY KEY (device_id, local_id)
    ) WITHOUT ROWID;
    CREATE INDEX learner_devices_by_learner ON learner_devices(learner_uuid);

    -- What accepted evidence shows each learner did (completed lessons, passed quizzes): the criteria
    -- are evaluated against this, written in the same transaction as the evidence.
    CREATE TABLE learner_activities (
        learner_uuid  TEXT NOT NULL REFERENCES learners(learner_uuid),
        pack_id       TEXT NOT NULL,
        activity_type TEXT NOT NULL CHECK (activity_type IN ('lesson', 'quiz')),
        activity_id   TEXT NOT NULL,
        evidence_id   TEXT NOT NULL,           -- the first record that showed it
        scaled        REAL,                    -- a quiz's best scaled score
        completed_at  TEXT NOT NULL,
        PRIMARY KEY (learner_uuid, pack_id, activity_type, activity_id)
    ) WITHOUT ROWID;

    -- RSA issuer keys; the private key is DATA/<file> (0600). Exactly one has retired_at NULL: the active one.
    CREATE TABLE issuer_keys (
        kid        TEXT PRIMARY KEY,           -- RFC 7638 thumbprint
        jwk        TEXT NOT NULL,              -- the public JWK (JSON)
        file       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT
    );

    CREATE TABLE issued_credentials (
        credential_id  TEXT PRIMARY KEY,       -- urn:uuid:...
        learner_uuid   TEXT NOT NULL REFERENCES learners(learner_uuid),
        ref            TEXT NOT NULL,          -- "<pack id>/<credential id>"
        pack_version   INTEGER NOT NULL,       -- the manifest version whose criteria were met
        status_list    INTEGER NOT NULL,       -- /ob/v3p0/status/<status_list>
        status_index   INTEGER NOT NULL,
        kid            TEXT NOT NULL REFERENCES issuer_keys(kid),
        jwt            TEXT NOT NULL,
        issued_at      TEXT NOT NULL,
        revoked_at     TEXT,
        revoked_reason TEXT,
        UNIQUE (learner_uuid, ref),
        UNIQUE (status_list, status_index)
    );
    """,
}


class HubStore:
    """One connection to hub.db, shared by the server's worker threads under one lock.

    Every write goes through ``transaction()`` (BEGIN IMMEDIATE … COMMIT, synchronous=FULL), so a
    commit is on disk before anyone is told it happened; ``read()`` holds the lock for a read.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock, sqlite.transaction(self.conn, self.path, "hub database",
                                           "Another hub command holds it; try again. Nothing was changed.") as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            yield self.conn

    def one(self, sql: str, params: tuple | Mapping = ()) -> sqlite3.Row | None:
        with self.lock:
            return self.conn.execute(sql, params).fetchone()

    def query(self, sql: str, params: tuple | Mapping = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def schema_version(self) -> int:
        return int(self.one("PRAGMA user_version")[0])  # type: ignore[index]

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> HubStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite.connect(path, "hub database")  # synchronous=FULL: an accepted record survives a power cut


def open_store(data: HubData, migrations: Mapping[int, str] = MIGRATIONS) -> HubStore:
    """Open hub.db in ``data``, backing it up and migrating it to the newest schema."""
    store = HubStore(_connect(data.db_path), data.db_path)
    try:
        migrate(store, data, migrations)
    except BaseException:
        store.close()
        raise
    return store


def migrate(store: HubStore, data: HubData, migrations: Mapping[int, str] = MIGRATIONS) -> list[int]:
    """Apply the missing rungs in order (a backup first when the database held a schema)."""
    return sqlite.climb(store, migrations, lambda label: _backup(store, data, label), what="hub database",
                        newer_hint="Run the newer mcdesk hub, or restore an older backup from the backups folder.")


def _backup(store: HubStore, data: HubData, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = data.backups / f"hub-v{store.schema_version()}-{label}-{stamp}.db"
    dest = sqlite3.connect(target)
    try:
        with store.lock:
            store.conn.backup(dest)
    finally:
        dest.close()
    return target
