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
    3: """
    -- Evidence (issue 4). Learners get a stable, device-local id that evidence records carry (uuid4 text);
    -- existing learners get one now, and any insert that gives none gets one from the trigger below.
    ALTER TABLE learners ADD COLUMN uuid TEXT;
    UPDATE learners SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
        || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1)
        || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
    CREATE UNIQUE INDEX learners_uuid ON learners (uuid);
    CREATE TRIGGER learners_uuid_fill AFTER INSERT ON learners WHEN NEW.uuid IS NULL
    BEGIN
        UPDATE learners SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
            || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1)
            || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
        WHERE id = NEW.id;
    END;
    CREATE TRIGGER learners_uuid_stable BEFORE UPDATE OF uuid ON learners
    WHEN OLD.uuid IS NOT NULL AND NEW.uuid IS NOT OLD.uuid
    BEGIN
        SELECT RAISE(ABORT, 'a learner''s uuid never changes: evidence records carry it');
    END;

    -- The manifest an attempt's draw came from, for its evidence record (the pack may be updated before
    -- the attempt finishes). NULL for attempts started before schema 3.
    ALTER TABLE quiz_attempts ADD COLUMN manifest_sha256 TEXT;

    -- This installation's Ed25519 device key (the private key is in the OS keyring or keys/, never here).
    CREATE TABLE device (
        id         INTEGER PRIMARY KEY CHECK (id = 1),   -- one row
        device_id  TEXT NOT NULL,                        -- hex sha256 of the raw public key
        public_key TEXT NOT NULL,                        -- base64url of the 32 raw bytes
        storage    TEXT NOT NULL CHECK (storage IN ('keyring', 'file')),
        created_at TEXT NOT NULL
    );

    -- The outbox: one signed record (compact JWS) per completion, chained by seq and prev_hash.
    -- Append-only: rows are never deleted, and only the acknowledgement columns ever change
    -- (acked_at and ack_status once, from NULL; last_error freely). No foreign key to learners:
    -- a record outlives a removed learner.
    CREATE TABLE evidence (
        seq         INTEGER PRIMARY KEY,                 -- the record's seq: 1, 2, 3 ... without gaps
        evidence_id TEXT NOT NULL UNIQUE,
        learner_id  INTEGER,
        kind        TEXT NOT NULL CHECK (kind IN ('lesson', 'quiz', 'credential')),
        jws         TEXT NOT NULL,
        record_hash TEXT NOT NULL,                       -- hex sha256 of the jws text
        created_at  TEXT NOT NULL,
        acked_at    TEXT,                                -- when the hub acknowledged it
        ack_status  TEXT,                                -- accepted | duplicate (the hub's word)
        last_error  TEXT                                 -- the last refusal or failure, for the technician
    );
    CREATE INDEX evidence_queued ON evidence (seq) WHERE acked_at IS NULL;
    CREATE TRIGGER evidence_append_only_insert BEFORE INSERT ON evidence
    WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM evidence)
      OR EXISTS (SELECT 1 FROM evidence WHERE evidence_id = NEW.evidence_id)
    BEGIN
        SELECT RAISE(ABORT, 'evidence is append-only: a new record takes the next seq and a new evidence_id');
    END;
    CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
    BEGIN
        SELECT RAISE(ABORT, 'evidence records are never deleted');
    END;
    CREATE TRIGGER evidence_content_fixed BEFORE UPDATE ON evidence
    WHEN NEW.seq IS NOT OLD.seq OR NEW.evidence_id IS NOT OLD.evidence_id OR NEW.learner_id IS NOT OLD.learner_id
      OR NEW.kind IS NOT OLD.kind OR NEW.jws IS NOT OLD.jws OR NEW.record_hash IS NOT OLD.record_hash
      OR NEW.created_at IS NOT OLD.created_at
    BEGIN
        SELECT RAISE(ABORT, 'evidence records are never edited; only their acknowledgement is recorded');
    END;
    CREATE TRIGGER evidence_ack_once BEFORE UPDATE OF acked_at, ack_status ON evidence
    WHEN OLD.acked_at IS NOT NULL AND (NEW.acked_at IS NOT OLD.acked_at OR NEW.ack_status IS NOT OLD.ack_status)
    BEGIN
        SELECT RAISE(ABORT, 'an acknowledged evidence record stays acknowledged');
    END;

    -- Enrolment with the institution hub (written by mcdesk.sync): one row once enrolled.
    CREATE TABLE enrolment (
        id               INTEGER PRIMARY KEY CHECK (id = 1),
        hub_url          TEXT NOT NULL,
        device_id        TEXT NOT NULL,
        device_name      TEXT NOT NULL,
        institution      TEXT NOT NULL,                  -- JSON {"id", "name", "url"}
        institution_keys TEXT NOT NULL,                  -- JSON list of the institution's public JWKs
        enrolled_at      TEXT NOT NULL
    );

    -- Where sync stands (written by mcdesk.sync): one row, present from the start.
    CREATE TABLE sync_state (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        cursor       INTEGER NOT NULL DEFAULT 0,         -- the hub's changes feed, read up to here
        last_attempt TEXT,
        last_success TEXT,
        last_error   TEXT,
        queued_hint  INTEGER
    );
    INSERT INTO sync_state (id) VALUES (1);
    """,
    4: """
    -- Issued credentials (issue 5): Open Badges 3.0 credentials the institution issued, as they arrived
    -- through the sync feed or a USB reply. Verified offline before they count: 'valid' once the VC-JWT
    -- checks against a pinned issuer key; 'invalid' (with the reason) when it does not, and never shown as
    -- verified; 'revoked' (with the reason) when the hub revokes it or its status list says so.
    -- learner_id is NULL when the learner the hub named is not (or no longer) on this laptop.
    CREATE TABLE issued_credentials (
        credential_id     TEXT PRIMARY KEY,                 -- the credential's id (a urn:uuid)
        learner_id        INTEGER REFERENCES learners(id) ON DELETE SET NULL,
        learner_uuid      TEXT NOT NULL,                    -- the device-local learner uuid the hub named
        ref               TEXT NOT NULL,                    -- "<pack id>/<credential id>"
        jwt               TEXT NOT NULL,                    -- the VC-JWT exactly as received
        payload           TEXT,                             -- the decoded credential, JSON (NULL if undecodable)
        issued_at         TEXT,
        received_at       TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('valid', 'revoked', 'invalid')),
        status_reason     TEXT,
        status_checked_at TEXT                              -- the last revocation check against the hub
    );
    CREATE INDEX issued_credentials_learner ON issued_credentials (learner_id, ref);

    -- The institution's issuer keys (RSA public JWKs) this laptop trusts for credentials: pinned at
    -- enrolment, added by a root-signed issuer_keys feed item. Old keys stay so old credentials verify.
    CREATE TABLE issuer_keys (
        kid      TEXT PRIMARY KEY,                          -- RFC 7638 thumbprint
        jwk      TEXT NOT NULL,                             -- JSON
        added_at TEXT NOT NULL,
        source   TEXT NOT NULL DEFAULT 'enrolment' CHECK (source IN ('enrolment', 'feed'))
    );

    -- The institution's signed pack catalog (issue 5, catalog): the newest one this laptop verified, per
    -- institution. Its version is the highest seen: a catalog with a lower version is refused (rollback).
    CREATE TABLE catalog (
        institution_id TEXT PRIMARY KEY,
        version        INTEGER NOT NULL,
        issued         TEXT NOT NULL,
        expires        TEXT NOT NULL,                       -- after this, no new downloads from it
        jws            TEXT NOT NULL,                       -- the catalog exactly as signed
        fetched_at     TEXT NOT NULL
    );
    """,
}

SCHEMA_VERSION = max(MIGRATIONS)
