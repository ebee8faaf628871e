"""The database schema as a ladder of migrations; SCHEMA_VERSION is the top rung."""

from __future__ import annotations

# Each rung takes the database from version N-1 to N. Never edit a rung that has shipped:
# add a new one. Rung N's SQL runs in one transaction together with `PRAGMA user_version = N`.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- Publisher keys the technician trusts. origin: 'technician' or 'local-sample'.
    CREATE TABLE trusted_keys (
        key_id     TEXT PRIMARY KEY,          -- hex sha256 of the raw Ed25519 public key
        name       TEXT NOT NULL,
        public_key TEXT NOT NULL,             -- base64 of the 32 raw bytes
        origin     TEXT NOT NULL DEFAULT 'technician',
        added_at   TEXT NOT NULL
    );

    -- One row per installed pack: the version in use and where its files are.
    CREATE TABLE packs (
        id              TEXT PRIMARY KEY,
        version         INTEGER NOT NULL,
        display_version TEXT NOT NULL,
        title           TEXT NOT NULL,
        language        TEXT NOT NULL,
        publisher       TEXT NOT NULL,
        key_id          TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        manifest        TEXT NOT NULL,        -- the exact signed manifest.json
        folder          TEXT NOT NULL,        -- relative to the data folder
        size_bytes      INTEGER NOT NULL,
        installed_at    TEXT NOT NULL
    );

    -- Modules, lessons and quizzes of installed packs, in display order.
    CREATE TABLE pack_items (
        pack_id   TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
        item_id   TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('module', 'lesson', 'quiz')),
        module_id TEXT,
        position  INTEGER NOT NULL,
        title     TEXT NOT NULL,
        path      TEXT,
        PRIMARY KEY (pack_id, item_id)
    );

    -- Credentials offered by installed packs, by global reference "<pack id>/<credential id>".
    CREATE TABLE credentials (
        ref           TEXT PRIMARY KEY,
        pack_id       TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
        credential_id TEXT NOT NULL,
        title         TEXT NOT NULL,
        definition    TEXT NOT NULL           -- the manifest's credential object, JSON
    );

    CREATE TABLE install_log (
        id           INTEGER PRIMARY KEY,
        pack_id      TEXT NOT NULL,
        action       TEXT NOT NULL,           -- install, update, downgrade, reinstall, remove
        from_version INTEGER,
        to_version   INTEGER,
        at           TEXT NOT NULL
    );

    CREATE TABLE learners (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
    );

    -- Progress is keyed by (pack id, item id) and deliberately has no foreign key to packs:
    -- it outlives a removed pack and comes back when the pack is installed again.
    CREATE TABLE lesson_progress (
        learner_id   INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        pack_id      TEXT NOT NULL,
        lesson_id    TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, pack_id, lesson_id)
    );
    """,
}

SCHEMA_VERSION = max(MIGRATIONS)
