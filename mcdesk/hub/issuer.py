"""Open Badges 3.0 issuing at the hub: issuer keys, learners, criteria met by accepted evidence, the
VC-JWT credentials, the Bitstring Status List, revocation and key rotation.

Intake notes what each accepted record shows (``note_evidence``, inside the evidence transaction);
``after_intake`` then issues whatever the learners concerned now qualify for, once per credential.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcdesk.credentials import jwk as jwkmod
from mcdesk.credentials import ob3, statuslist, vcjwt
from mcdesk.errors import McdeskError
from mcdesk.hub.errors import HubError
from mcdesk.hub.intake import add_change
from mcdesk.hub.logs import log_event
from mcdesk.hub.store import HubData, HubStore, utcnow

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

JWKS_PATH = "/.well-known/jwks.json"
ISSUER_PATH = "/ob/v3p0/issuer"
STATUS_PATH = "/ob/v3p0/status"
CREDENTIALS_PATH = "/ob/v3p0/credentials"
ACHIEVEMENTS_PATH = "/ob/v3p0/achievements"
KEYS_TYP = "mcdesk-issuer-keys+jws"
LIST_BITS = statuslist.MIN_BITS
LIST_FILL = LIST_BITS // 2  # a new list starts when half the current one is used: indexes stay random
MAX_REASON = 500
_BASE_SETTING = "issuer_base_url"
_QUALIFYING = {("lesson", "completed"), ("quiz", "passed")}
_key_cache: dict[tuple[Path, str], RSAPrivateKey] = {}
_key_lock = threading.Lock()


# --- where the issuer lives ---------------------------------------------------------------------


def data_of(store: HubStore) -> HubData:
    """The data folder of ``store`` (hub.db lives at its top)."""
    return HubData(store.path.parent)


def public_base(store: HubStore, fallback: str | None = None) -> str:
    """The hub's public address that issuer, JWKS and status list URLs start with. Fixed the first
    time it is needed: the institution url (`mcdesk hub init --url`), else ``fallback`` (the address the
    first enrolling device used). Credentials already issued keep working because it never changes."""
    row = store.one("SELECT value FROM settings WHERE key = ?", (_BASE_SETTING,))
    if row is not None:
        return row["value"]
    url_row = store.one("SELECT value FROM settings WHERE key = 'institution_url'")
    chosen = (url_row["value"] if url_row else None) or fallback
    if not chosen:
        raise HubError("The hub does not know its public address yet, so it cannot issue credentials.",
                       "Set it with `mcdesk hub init --name ... --url https://...` (or enrol a device over "
                       "HTTP); the evidence is kept and credentials are issued on the next intake.",
                       code="no_public_url", status=503)
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                     (_BASE_SETTING, chosen.rstrip("/")))
    return store.one("SELECT value FROM settings WHERE key = ?", (_BASE_SETTING,))["value"]  # type: ignore[index]


def issuer_id(base: str) -> str:
    return base + ISSUER_PATH


def status_url(base: str, list_number: int) -> str:
    return f"{base}{STATUS_PATH}/{list_number}"


def achievement_id(base: str, ref: str) -> str:
    return f"{base}{ACHIEVEMENTS_PATH}/{ref}"


def _institution(store: HubStore) -> dict[str, str | None]:
    rows = {r["key"]: r["value"] for r in store.query("SELECT key, value FROM settings")}
    return {"id": rows.get("institution_id"), "name": rows.get("institution_name") or "mcdesk hub",
            "url": rows.get("institution_url")}


def issuer_document(store: HubStore, fallback: str | None = None) -> dict[str, Any]:
    """The issuer Profile served at /ob/v3p0/issuer: names the institution and where its keys are."""
    base = public_base(store, fallback)
    inst = _institution(store)
    profile = ob3.issuer_profile(issuer_id(base), str(inst["name"]), url=inst["url"] or base,
                                 description=f"Issues Open Badges 3.0 credentials as VC-JWT (RS256). Public "
                                             f"keys: {base}{JWKS_PATH}")
    profile = {"@context": list(ob3.CONTEXT), **profile}
    if inst["id"]:
        profile["otherIdentifier"] = [{"type": "IdentifierEntry", "identifier": inst["id"],
                                       "identifierType": "identifier"}]
    profile["jwks_uri"] = base + JWKS_PATH
    return profile


def _embedded_issuer(store: HubStore, base: str) -> dict[str, Any]:
    inst = _institution(store)
    return ob3.issuer_profile(issuer_id(base), str(inst["name"]), url=inst["url"] or base)


# --- issuer keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    jwk: dict[str, Any]
    file: str  # relative to the data folder
    created_at: str
    retired_at: str | None

    @property
    def active(self) -> bool:
        return self.retired_at is None

    def as_json(self) -> dict[str, Any]:
        return {"kid": self.kid, "created_at": self.created_at, "retired_at": self.retired_at,
                "active": self.active, "file": self.file}


def issuer_keys(store: HubStore) -> list[IssuerKey]:
    """Every issuer key, the active one first, then the retired ones newest first."""
    rows = store.query("SELECT * FROM issuer_keys ORDER BY retired_at IS NOT NULL, created_at DESC, kid")
    return [IssuerKey(r["kid"], json.loads(r["jwk"]), r["file"], r["created_at"], r["retired_at"]) for r in rows]


def jwks(store: HubStore) -> list[dict[str, Any]]:
    """The public JWKs of every issuer key (retired keys stay: earlier credentials keep verifying)."""
    return [key.jwk for key in issuer_keys(store)]


def active_key(store: HubStore) -> IssuerKey:
    """The key new credentials are signed with; made (RSA-2048, 0600) the first time."""
    for key in issuer_keys(store):
        if key.active:
            return key
    kid, public, file = _new_key_file(data_of(store))
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM issuer_keys WHERE retired_at IS NULL").fetchone() is None:
            conn.execute("INSERT INTO issuer_keys (kid, jwk, file, created_at) VALUES (?, ?, ?, ?)",
                         (kid, json.dumps(public), file, utcnow()))
            made = True
        else:
            made = False  # another process made one at the same time: keep theirs
    if not made:
        (data_of(store).root / file).unlink(missing_ok=True)
    return next(key for key in issuer_keys(store) if key.active)


def rotate_key(store: HubStore) -> tuple[IssuerKey, list[IssuerKey]]:
    """Make a new active key; the old ones are retired but stay published. Every device is sent the new
    key set, signed by the institution key it pinned at enrolment. Returns (new key, all keys)."""
    data = data_of(store)
    active_key(store)  # a hub that never issued has a first key to retire
    kid, public, file = _new_key_file(data)
    now = utcnow()
    with store.transaction() as conn:
        conn.execute("UPDATE issuer_keys SET retired_at = ? WHERE retired_at IS NULL", (now,))
        conn.execute("INSERT INTO issuer_keys (kid, jwk, file, created_at) VALUES (?, ?, ?, ?)",
                     (kid, json.dumps(public), file, now))
    keys = issuer_keys(store)
    body = {"jws": keys_jws(store, [key.jwk for key in keys])}
    with store.transaction() as conn:
        for row in conn.execute("SELECT device_id FROM devices WHERE revoked_at IS NULL").fetchall():
            add_change(conn, row["device_id"], "issuer_keys", body, now)
    return keys[0], keys


def keys_jws(store: HubStore, keys: list[dict[str, Any]]) -> str:
    """The issuer JWK Set as a compact JWS (typ mcdesk-issuer-keys+jws) signed by the institution's
    Ed25519 key, over the canonical JSON of {"keys": [...]}: a device trusts it through its pinned key."""
    from mcdesk.evidence.jcs import canonical
    from mcdesk.evidence.jws import sign_compact
    from mcdesk.hub.institution import load_institution

    institution = load_institution(store, data_of(store))
    return sign_compact(institution.private_key, institution.kid, canonical({"keys": keys}), KEYS_TYP)


def _new_key_file(data: HubData) -> tuple[str, dict[str, Any], str]:
    """Generate an RSA-2048 key and write it to DATA/keys/issuer-<kid>.key.pem (0600, never overwritten)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwkmod.rsa_public_jwk(key.public_key())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    data.keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data.keys / f"issuer-{public['kid']}.key.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    with _key_lock:
        _key_cache[(data.root, public["kid"])] = key
    return public["kid"], public, path.relative_to(data.root).as_posix()


def _private_key(data: HubData, key: IssuerKey) -> RSAPrivateKey:
    """The private half of ``key`` (loaded once per process: a key file never changes)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

    with _key_lock:
        cached = _key_cache.get((data.root, key.kid))
    if cached is not None:
        return cached
    path = data.root / key.file
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise HubError(f"The issuer key {path} cannot be read.", "Restore it from a backup, or make a new one "
                       "with `mcdesk hub issuer-key rotate`.", code="issuer_key", status=500) from exc
    if not isinstance(loaded, RSAPrivateKey) or jwkmod.key_id(loaded.public_key()) != key.kid:
        raise HubError(f"The issuer key {path} is not the key {key.kid} the hub published.",
                       "Restore the right file, or make a new key with `mcdesk hub issuer-key rotate`.",
                       code="issuer_key", status=500)
    with _key_lock:
        _key_cache[(data.root, key.kid)] = loaded
    return loaded


# --- learners and what they did (inside the intake transaction) ----------------------------------


def note_evidence(conn: Any, device_id: str, record: dict[str, Any], now: str,
                  seen: dict[tuple[str, str | None], str]) -> str | None:
    """Record what an accepted evidence record shows (a completed lesson, a passed quiz) against its
    learner; returns the learner's uuid, or None for records that count toward nothing. ``seen`` caches
    learner lookups within one batch."""
    activity = record["activity"]
    if (activity["type"], record["verb"]) not in _QUALIFYING:
        return None
    learner = _learner_for(conn, device_id, record["learner"], now, seen)
    scaled = record["result"].get("scaled")
    conn.execute(
        "INSERT INTO learner_activities (learner_uuid, pack_id, activity_type, activity_id, evidence_id, scaled,"
        " completed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (learner_uuid, pack_id, activity_type, activity_id)"
        " DO UPDATE SET scaled = CASE WHEN excluded.scaled > coalesce(learner_activities.scaled, -1)"
        " THEN excluded.scaled ELSE learner_activities.scaled END",
        (learner, record["pack"]["id"], activity["type"], activity["id"], record["evidence_id"], scaled,
         record["timestamps"]["completed"]))
    return learner


def _learner_for(conn: Any, device_id: str, learner: dict[str, Any], now: str,
                 seen: dict[tuple[str, str | None], str]) -> str:
    """The hub's uuid for a record's learner: by institution id when the record has one, else by
    (device, local learner id). Links a new device to an institution learner (and sends it their
    credentials), and gives a device-only learner the institution id a later record carries."""
    local_id, inst_id = learner["id"], learner.get("institution_id")
    if (local_id, inst_id) in seen:
        return seen[(local_id, inst_id)]
    row = conn.execute("SELECT learner_uuid FROM learner_devices WHERE device_id = ? AND local_id = ?",
                       (device_id, local_id)).fetchone()
    linked = row["learner_uuid"] if row else None
    if not inst_id:
        found = linked or _link(conn, device_id, local_id, _new_learner(conn, None, now), now)
    else:
        holder = conn.execute("SELECT learner_uuid FROM learners WHERE institution_id = ?", (inst_id,)).fetchone()
        device_only = linked is not None and conn.execute(
            "SELECT institution_id IS NULL FROM learners WHERE learner_uuid = ?", (linked,)).fetchone()[0] == 1
        if holder is None and device_only:
            conn.execute("UPDATE learners SET institution_id = ? WHERE learner_uuid = ?", (inst_id, linked))
            found = linked
        else:
            found = holder["learner_uuid"] if holder is not None else _new_learner(conn, inst_id, now)
            if linked != found:  # what a device-only learner did moves along; another account's does not
                _link(conn, device_id, local_id, found, now, previous=linked if device_only else None)
    seen[(local_id, inst_id)] = found
    return found


def _new_learner(conn: Any, institution_id: str | None, now: str) -> str:
    learner = str(uuid.uuid4())
    conn.execute("INSERT INTO learners (learner_uuid, institution_id, salt, created_at) VALUES (?, ?, ?, ?)",
                 (learner, institution_id, secrets.token_hex(16), now))
    return learner


def _link(conn: Any, device_id: str, local_id: str, learner: str, now: str, previous: str | None = None) -> str:
    """Point (device, local id) at ``learner``; what the previous learner of that pair did moves along,
    and the device is sent the credentials ``learner`` already holds."""
    conn.execute("INSERT INTO learner_devices (device_id, local_id, learner_uuid) VALUES (?, ?, ?) "
                 "ON CONFLICT (device_id, local_id) DO UPDATE SET learner_uuid = excluded.learner_uuid",
                 (device_id, local_id, learner))
    if previous is not None:
        conn.execute("INSERT OR IGNORE INTO learner_activities SELECT ?, pack_id, activity_type, activity_id, "
                     "evidence_id, scaled, completed_at FROM learner_activities WHERE learner_uuid = ?",
                     (learner, previous))
    for row in conn.execute("SELECT * FROM issued_credentials WHERE learner_uuid = ? ORDER BY issued_at",
                            (learner,)).fetchall():
        add_change(conn, device_id, "credential", _credential_body(row, local_id), now)
        if row["revoked_at"]:
            add_change(conn, device_id, "revocation", _revocation_body(row), now)
    return learner


# --- criteria -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One credential a published pack offers, as the criteria evaluation needs it."""

    ref: str
    pack_id: str
    pack_version: int
    credential: dict[str, Any]
    quiz_titles: dict[str, str]

    @property
    def lessons(self) -> list[str]:
        return list(self.credential["criteria"].get("lessons") or [])

    @property
    def quizzes(self) -> list[str]:
        return list(self.credential["criteria"].get("quizzes") or [])

    @property
    def parts(self) -> list[str]:
        return list(self.credential["criteria"].get("credentials") or [])

    def met(self, done: set[tuple[str, str, str]], held: set[str]) -> bool:
        if self.parts:
            return all(part in held for part in self.parts)
        needed = [(self.pack_id, "lesson", x) for x in self.lessons] + [(self.pack_id, "quiz", x) for x in self.quizzes]
        return bool(needed) and all(item in done for item in needed)


_specs_cache: dict[Path, tuple[int, dict[str, Spec]]] = {}


def specs(store: HubStore) -> dict[str, Spec]:
    """Every credential of the current version of each published pack, by reference."""
    from mcdesk.hub.packs import manifests

    stamp = store.one("SELECT coalesce(max(seq), 0) AS seq FROM published_packs")["seq"]  # type: ignore[index]
    cached = _specs_cache.get(store.path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found: dict[str, Spec] = {}
    for pack_id, manifest in manifests(store).items():
        titles = {item["id"]: item.get("title", item["id"]) for module in manifest.get("modules", [])
                  for item in module.get("items", []) if item.get("type") == "quiz"}
        for credential in manifest.get("credentials", []):
            ref = f"{pack_id}/{credential['id']}"
            found[ref] = Spec(ref, pack_id, int(manifest["version"]), credential, titles)
    _specs_cache[store.path] = (stamp, found)
    return found


def due(all_specs: dict[str, Spec], done: set[tuple[str, str, str]], held: set[str], valid: set[str]) -> list[str]:
    """The references a learner now qualifies for and does not hold, stacked ones included (a credential
    counts toward a larger one only while it is not revoked)."""
    valid = set(valid)
    new: list[str] = []
    changed = True
    while changed:
        changed = False
        for ref, spec in sorted(all_specs.items()):
            if ref not in held and ref not in new and spec.met(done, valid):
                new.append(ref)
                valid.add(ref)
                changed = True
    return new


# --- issuing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    credential_id: str
    ref: str
    learner_uuid: str
    jwt: str
    issued_at: str


def after_intake(store: HubStore, learners: Iterable[str]) -> list[Issued]:
    """Issue what the learners concerned now qualify for. A failure here never undoes the evidence
    (already committed): it is logged, and the next intake or the next hub start tries again."""
    learners = set(learners)
    if not learners:
        return []
    try:
        return issue_for(store, learners)
    except (McdeskError, OSError) as exc:
        log_event("issue_failed", error=getattr(exc, "message", str(exc)), learners=len(learners))
        return []


def issue_pending(store: HubStore) -> list[Issued]:
    """Evaluate every learner (at hub start: packs may have been published after their evidence came)."""
    return after_intake(store, [r["learner_uuid"] for r in store.query("SELECT learner_uuid FROM learners")])


def issue_for(store: HubStore, learners: Iterable[str]) -> list[Issued]:
    """Issue every credential each learner now qualifies for, once per (learner, credential)."""
    all_specs = specs(store)
    if not all_specs:
        return []
    issued: list[Issued] = []
    for learner in sorted(set(learners)):
        issued += _issue_learner(store, all_specs, learner)
    return issued


def _issue_learner(store: HubStore, all_specs: dict[str, Spec], learner: str) -> list[Issued]:
    done, scores, held, valid = _standing(store, learner)
    refs = due(all_specs, done, held, valid)
    if not refs:
        return []
    base = public_base(store)
    key = active_key(store)
    private = _private_key(data_of(store), key)
    issuer = _embedded_issuer(store, base)
    issued: list[Issued] = []
    with store.transaction() as conn:
        person = conn.execute("SELECT * FROM learners WHERE learner_uuid = ?", (learner,)).fetchone()
        targets = conn.execute("SELECT ld.device_id, ld.local_id FROM learner_devices ld JOIN devices d USING "
                               "(device_id) WHERE ld.learner_uuid = ? AND d.revoked_at IS NULL", (learner,)).fetchall()
        for ref in refs:
            if conn.execute("SELECT 1 FROM issued_credentials WHERE learner_uuid = ? AND ref = ?",
                            (learner, ref)).fetchone():
                continue  # issued meanwhile by another intake
            now = utcnow()
            list_number, index = _allocate(conn)
            credential = build(all_specs[ref], base, issuer, person, scores, list_number, index, now, store)
            jwt = vcjwt.sign_vc_jwt(private, key.kid, credential)
            conn.execute("INSERT INTO issued_credentials (credential_id, learner_uuid, ref, pack_version, status_list,"
                         " status_index, kid, jwt, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (credential["id"], learner, ref, all_specs[ref].pack_version, list_number, index, key.kid,
                          jwt, now))
            row = conn.execute("SELECT * FROM issued_credentials WHERE credential_id = ?",
                               (credential["id"],)).fetchone()
            for target in targets:
                add_change(conn, target["device_id"], "credential", _credential_body(row, target["local_id"]), now)
            issued.append(Issued(credential["id"], ref, learner, jwt, now))
    for item in issued:
        log_event("issue", credential_id=item.credential_id, ref=item.ref, learner=item.learner_uuid, kid=key.kid)
    return issued


def _standing(store: HubStore, learner: str) -> tuple[set[tuple[str, str, str]], dict[tuple[str, str], float],
                                                       set[str], set[str]]:
    """(activities done, best quiz scores, credentials held, credentials held and not revoked)."""
    with store.read() as conn:
        rows = conn.execute("SELECT pack_id, activity_type, activity_id, scaled FROM learner_activities "
                            "WHERE learner_uuid = ?", (learner,)).fetchall()
        creds = conn.execute("SELECT ref, revoked_at FROM issued_credentials WHERE learner_uuid = ?",
                             (learner,)).fetchall()
    done = {(r["pack_id"], r["activity_type"], r["activity_id"]) for r in rows}
    scores = {(r["pack_id"], r["activity_id"]): r["scaled"] for r in rows
              if r["activity_type"] == "quiz" and r["scaled"] is not None}
    return done, scores, {c["ref"] for c in creds}, {c["ref"] for c in creds if c["revoked_at"] is None}


def _allocate(conn: Any) -> tuple[int, int]:
    """A random free index of the current status list (a new list once half of it is used)."""
    row = conn.execute("SELECT status_list, count(*) AS used FROM issued_credentials GROUP BY status_list "
                       "ORDER BY status_list DESC LIMIT 1").fetchone()
    list_number = 1 if row is None else row["status_list"] + (1 if row["used"] >= LIST_FILL else 0)
    while True:
        index = secrets.randbelow(LIST_BITS)
        if conn.execute("SELECT 1 FROM issued_credentials WHERE status_list = ? AND status_index = ?",
                        (list_number, index)).fetchone() is None:
            return list_number, index


def build(spec: Spec, base: str, issuer: dict[str, Any], person: Any, scores: dict[tuple[str, str], float],
          list_number: int, index: int, now: str, store: HubStore | None = None) -> dict[str, Any]:
    """The OpenBadgeCredential for ``person`` earning ``spec``."""
    cred = spec.credential
    aid = achievement_id(base, spec.ref)
    pass_marks = _pass_marks(store, spec) if store is not None else {}
    descriptions = [ob3.pass_result_description(aid, "Met every criterion of the credential")]
    results = [ob3.status_result(aid + "#result")]
    for quiz_id in spec.quizzes:
        described = ob3.quiz_result_description(aid, quiz_id, spec.quiz_titles.get(quiz_id, quiz_id),
                                                pass_marks.get(quiz_id))
        descriptions.append(described)
        if (spec.pack_id, quiz_id) in scores:
            results.append(ob3.percent_result(described["id"], scores[(spec.pack_id, quiz_id)]))
    achievement = ob3.build_achievement(
        aid, name=cred["title"], description=cred["description"], narrative=cred["criteria"]["narrative"],
        skills=cred.get("skills") or [], hours=cred.get("estimated_hours"), result_descriptions=descriptions,
        level=cred.get("level"))
    identifier = [ob3.identity_object(person["institution_id"], person["salt"])] if person["institution_id"] else None
    return ob3.build_credential(
        credential_id=f"urn:uuid:{uuid.uuid4()}", issuer=issuer, subject_id=f"urn:uuid:{person['learner_uuid']}",
        achievement=achievement, valid_from=now, name=cred["title"], description=cred["description"],
        identifier=identifier, result=results, awarded_date=now,
        credential_status=statuslist.entry(status_url(base, list_number), index))


_pass_mark_cache: dict[tuple[Path, str, int], dict[str, float]] = {}


def _pass_marks(store: HubStore, spec: Spec) -> dict[str, float]:
    """Each quiz's pass mark, read from the published .mcpack (empty when it cannot be read)."""
    import zipfile

    from mcdesk.hub.packs import published

    cache_key = (store.path, spec.pack_id, spec.pack_version)
    if cache_key in _pass_mark_cache:
        return _pass_mark_cache[cache_key]
    marks: dict[str, float] = {}
    pack = published(store, data_of(store), spec.pack_id, spec.pack_version)
    paths = {item["id"]: item["path"] for module in pack.manifest.get("modules", []) for item in module["items"]
             if item.get("type") == "quiz"} if pack else {}
    try:
        if pack is not None:
            with zipfile.ZipFile(pack.file) as archive:
                for quiz_id in spec.quizzes:
                    if quiz_id in paths:
                        mark = json.loads(archive.read(paths[quiz_id])).get("pass_mark")
                        if isinstance(mark, int | float) and not isinstance(mark, bool):
                            marks[quiz_id] = float(mark)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        marks = {}
    _pass_mark_cache[cache_key] = marks
    return marks


def _credential_body(row: Any, local_id: str) -> dict[str, Any]:
    return {"credential_id": row["credential_id"], "ref": row["ref"], "learner": local_id, "jwt": row["jwt"],
            "issued": row["issued_at"]}


def _revocation_body(row: Any) -> dict[str, Any]:
    return {"credential_id": row["credential_id"], "reason": row["revoked_reason"], "revoked": row["revoked_at"]}


# --- issued credentials, revocation, the status list ---------------------------------------------


@dataclass(frozen=True)
class IssuedCredential:
    credential_id: str
    ref: str
    learner_uuid: str
    institution_id: str | None
    kid: str
    status_list: int
    status_index: int
    issued_at: str
    revoked_at: str | None
    revoked_reason: str | None
    jwt: str

    def as_json(self, with_jwt: bool = False) -> dict[str, Any]:
        data = {"credential_id": self.credential_id, "ref": self.ref, "learner_uuid": self.learner_uuid,
                "institution_id": self.institution_id, "kid": self.kid, "status_list": self.status_list,
                "status_index": self.status_index, "issued_at": self.issued_at,
                "status": "revoked" if self.revoked_at else "valid", "revoked_at": self.revoked_at,
                "revoked_reason": self.revoked_reason}
        return {**data, "jwt": self.jwt} if with_jwt else data


_ISSUED = ("SELECT c.*, l.institution_id FROM issued_credentials c JOIN learners l USING (learner_uuid) ")


def _issued(row: Any) -> IssuedCredential:
    return IssuedCredential(row["credential_id"], row["ref"], row["learner_uuid"], row["institution_id"], row["kid"],
                            row["status_list"], row["status_index"], row["issued_at"], row["revoked_at"],
                            row["revoked_reason"], row["jwt"])


def list_issued(store: HubStore) -> list[IssuedCredential]:
    return [_issued(r) for r in store.query(_ISSUED + "ORDER BY c.issued_at, c.credential_id")]


def get_issued(store: HubStore, credential_id: str) -> IssuedCredential | None:
    row = store.one(_ISSUED + "WHERE c.credential_id = ?", (credential_id,))
    return _issued(row) if row else None


def find_issued(store: HubStore, ref: str) -> IssuedCredential:
    """A credential by its id (urn:uuid:…), its bare uuid, or the first 8+ characters of the uuid."""
    text = ref.strip()
    bare = text.removeprefix("urn:uuid:").lower()
    if len(bare) < 8:
        raise HubError(f"{ref!r} is too short to name a credential.",
                       "Give its id (urn:uuid:…) or at least 8 characters; `mcdesk hub credentials` lists them.",
                       code="credential_unknown", status=404)
    rows = store.query(_ISSUED + "WHERE c.credential_id LIKE ? ESCAPE '\\'",
                       ("urn:uuid:" + bare.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",))
    if len(rows) != 1:
        raise HubError(f"No credential is {ref!r}." if not rows else f"{ref!r} matches {len(rows)} credentials.",
                       "`mcdesk hub credentials` lists the issued credentials and their ids.",
                       code="credential_unknown", status=404)
    return _issued(rows[0])


def revoke(store: HubStore, ref: str, reason: str) -> tuple[IssuedCredential, bool]:
    """Revoke a credential: its status-list bit is set and every device of its learner is told.
    Returns (the credential, whether it changed: False when it was already revoked)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON or any(ord(c) < 32 for c in reason):
        raise HubError(f"A revocation needs a reason of 1 to {MAX_REASON} printable characters.",
                       "Say why, e.g. --reason \"Evidence was produced by someone else\"; the learner sees it.")
    credential = find_issued(store, ref)
    if credential.revoked_at:
        return credential, False
    now = utcnow()
    with store.transaction() as conn:
        changed = conn.execute("UPDATE issued_credentials SET revoked_at = ?, revoked_reason = ? "
                               "WHERE credential_id = ? AND revoked_at IS NULL",
                               (now, reason, credential.credential_id)).rowcount
        if changed:
            row = conn.execute("SELECT * FROM issued_credentials WHERE credential_id = ?",
                               (credential.credential_id,)).fetchone()
            for target in conn.execute("SELECT device_id FROM learner_devices WHERE learner_uuid = ?",
                                       (credential.learner_uuid,)).fetchall():
                add_change(conn, target["device_id"], "revocation", _revocation_body(row), now)
    return get_issued(store, credential.credential_id), bool(changed)  # type: ignore[return-value]


def list_count(store: HubStore) -> int:
    """How many status lists the hub publishes (at least one, even before anything is issued)."""
    row = store.one("SELECT coalesce(max(status_list), 1) AS n FROM issued_credentials")
    return int(row["n"]) if row else 1


def status_list_jwt(store: HubStore, list_number: int, fallback: str | None = None) -> str:
    """The BitstringStatusListCredential of list ``list_number`` (revocation), signed as a VC-JWT now."""
    if not 1 <= list_number <= list_count(store):
        raise HubError(f"There is no status list {list_number}.", f"Lists are numbered 1 to {list_count(store)}.",
                       code="not_found", status=404)
    base = public_base(store, fallback)
    bits = statuslist.new_bits(LIST_BITS)
    for row in store.query("SELECT status_index FROM issued_credentials WHERE status_list = ? "
                           "AND revoked_at IS NOT NULL", (list_number,)):
        statuslist.set_bit(bits, row["status_index"])
    key = active_key(store)
    now = datetime.now(UTC)
    credential = statuslist.list_credential(status_url(base, list_number), issuer_id(base), ob3.timestamp(now), bits)
    return vcjwt.sign_vc_jwt(_private_key(data_of(store), key), key.kid, credential)
