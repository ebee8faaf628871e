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
    2: """
    -- Learners on a shared laptop: look, optional PIN (scrypt, never in clear), lock-out, preferences.
    ALTER TABLE learners ADD COLUMN colour TEXT NOT NULL DEFAULT '#2e7d32';
    ALTER TABLE learners ADD COLUMN picture TEXT;                -- a built-in avatar name, or NULL
    ALTER TABLE learners ADD COLUMN pin_hash TEXT;               -- see mcdesk/learning/learners.py
    ALTER TABLE learners ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE learners ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE learners ADD COLUMN locked_until TEXT;
    ALTER TABLE learners ADD COLUMN institution_id TEXT;         -- the learner's id at the institution
    ALTER TABLE learners ADD COLUMN preferences TEXT NOT NULL DEFAULT '{}';  -- JSON: theme, text size...
    ALTER TABLE learners ADD COLUMN last_active_at TEXT;

    -- "Continue where you stopped": the last time each learner opened each item.
    CREATE TABLE item_visits (
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        pack_id    TEXT NOT NULL,
        item_id    TEXT NOT NULL,
        visited_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, pack_id, item_id)
    );

    -- One row per quiz attempt. The draw (questions and display orders) is frozen at the start,
    -- so a resumed attempt shows exactly the same quiz.
    CREATE TABLE quiz_attempts (
        id           INTEGER PRIMARY KEY,
        learner_id   INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        pack_id      TEXT NOT NULL,
        quiz_id      TEXT NOT NULL,
        pack_version INTEGER NOT NULL,
        seed         INTEGER NOT NULL,
        draw         TEXT NOT NULL,                -- JSON
        started_at   TEXT NOT NULL,
        deadline_at  TEXT,                         -- set when the quiz has a time limit
        finished_at  TEXT,
        earned       INTEGER,
        possible     INTEGER,
        passed       INTEGER,
        status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'expired'))
    );
    CREATE UNIQUE INDEX quiz_attempts_one_open ON quiz_attempts (learner_id, pack_id, quiz_id)
        WHERE status = 'open';

    -- Every answer, committed the moment it is given.
    CREATE TABLE quiz_answers (
        attempt_id  INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        position    INTEGER NOT NULL,
        response    TEXT NOT NULL,                 -- JSON
        correct     INTEGER NOT NULL,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (attempt_id, question_id)
    );

    -- Credentials a learner has earned on this laptop. status is 'awaiting_verification' until
    -- the institution issues it (later: 'issued', 'revoked').
    CREATE TABLE earned_credentials (
        learner_id     INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        credential_ref TEXT NOT NULL,
        title          TEXT NOT NULL,
        earned_at      TEXT NOT NULL,
        score          REAL,                       -- mean scaled score of the quizzes it needed
        status         TEXT NOT NULL DEFAULT 'awaiting_verification',
        definition     TEXT NOT NULL,              -- the credential object from the manifest, JSON
        PRIMARY KEY (learner_id, credential_ref)
    );

    -- Full-text search over installed lessons (filled by the installer).
    CREATE VIRTUAL TABLE lesson_search USING fts5(
        pack_id UNINDEXED, lesson_id UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
}

SCHEMA_VERSION = max(MIGRATIONS)
