"""Issued credentials on this laptop: the pinned issuer keys, credentials from the hub verified offline
before they count, revocations, and the status-list check that refreshes them when online.

Everything here runs inside a transaction the caller holds (``conn``), so a feed page and the cursor
after it are applied together; every function is idempotent (a feed page or a USB reply applied twice
changes nothing the second time).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from mcdesk.errors import CredentialError, McdeskError
from mcdesk.store.db import Store, utcnow

ISSUER_KEYS_TYP = "mcdesk-issuer-keys+jws"
VALID, REVOKED, INVALID = "valid", "revoked", "invalid"
MAX_JWT_CHARS = 65_536  # an OB 3.0 VC-JWT is 3-6 KB; anything far bigger is not one of ours
MAX_KEYS_JWS_CHARS = 262_144
STATUS_LIST_REASON = "revoked by the institution (its status list marks it revoked)"


@dataclass(frozen=True)
class IssuedCredential:
    """One issued credential as this laptop holds it."""

    credential_id: str
    learner_id: int | None
    learner_uuid: str
    ref: str
    jwt: str
    credential: dict[str, Any] | None  # the decoded credential (unverified when status is 'invalid')
    issued_at: str | None
    received_at: str
    status: str  # valid | revoked | invalid
    status_reason: str | None
    status_checked_at: str | None

    @property
    def verified(self) -> bool:
        """Checked offline against a pinned issuer key and not revoked."""
        return self.status == VALID

    @property
    def name(self) -> str:
        achievement = _achievement(self.credential)
        return str(achievement.get("name") or (self.credential or {}).get("name") or self.ref)


@dataclass(frozen=True)
class Received:
    """What applying one credential item did: ``new`` when the row was added or changed."""

    credential_id: str
    status: str
    reason: str | None
    new: bool


def _achievement(credential: dict[str, Any] | None) -> dict[str, Any]:
    subject = (credential or {}).get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return achievement if isinstance(achievement, dict) else {}


def _row(row: sqlite3.Row) -> IssuedCredential:
    payload = None
    if row["payload"]:
        try:
            payload = json.loads(row["payload"])
        except ValueError:
            payload = None
    return IssuedCredential(
        credential_id=row["credential_id"], learner_id=row["learner_id"], learner_uuid=row["learner_uuid"],
        ref=row["ref"], jwt=row["jwt"], credential=payload if isinstance(payload, dict) else None,
        issued_at=row["issued_at"], received_at=row["received_at"], status=row["status"],
        status_reason=row["status_reason"], status_checked_at=row["status_checked_at"])


def get_credential(conn: sqlite3.Connection | Store, credential_id: str) -> IssuedCredential | None:
    row = _conn(conn).execute("SELECT * FROM issued_credentials WHERE credential_id = ?", (credential_id,)).fetchone()
    return _row(row) if row else None


def issued_for(conn: sqlite3.Connection | Store, learner_id: int) -> list[IssuedCredential]:
    """The learner's issued credentials, newest first."""
    rows = _conn(conn).execute("SELECT * FROM issued_credentials WHERE learner_id = ? "
                               "ORDER BY coalesce(issued_at, received_at) DESC, rowid DESC", (learner_id,))
    return [_row(r) for r in rows]


def _conn(conn: sqlite3.Connection | Store) -> sqlite3.Connection:
    return conn.conn if isinstance(conn, Store) else conn


# --- issuer keys ----------------------------------------------------------------------------------


def pinned_issuer_keys(conn: sqlite3.Connection | Store) -> list[dict[str, Any]]:
    """The issuer public JWKs this laptop trusts, oldest first."""
    return [json.loads(r["jwk"]) for r in _conn(conn).execute("SELECT jwk FROM issuer_keys ORDER BY added_at, kid")]


def check_issuer_jwk(jwk: Any) -> dict[str, Any]:
    """A usable RSA public JWK whose kid is its RFC 7638 thumbprint; CredentialError(bad_key) otherwise."""
    from mcdesk.credentials.jwk import rsa_public_from_jwk, thumbprint

    rsa_public_from_jwk(jwk)
    if jwk.get("kid") != thumbprint(jwk):
        raise CredentialError(f"The issuer key {str(jwk.get('kid'))[:16]!r} is not named by its thumbprint.",
                              "Only keys published by the institution's hub are accepted.", code="bad_key")
    return {name: jwk[name] for name in ("kty", "n", "e", "kid", "alg", "use") if name in jwk}


def pin_issuer_keys(conn: sqlite3.Connection, jwks: Any, source: str = "enrolment") -> list[str]:
    """Pin every key of ``jwks`` (a JWK Set or a list of JWKs) not pinned yet; returns the new kids.
    Keys are only ever added: earlier credentials keep verifying after a rotation. All or nothing."""
    from mcdesk.credentials.jwk import keys_of

    checked = [check_issuer_jwk(jwk) for jwk in keys_of(jwks)]
    known = {r["kid"] for r in conn.execute("SELECT kid FROM issuer_keys")}
    at, added = utcnow(), []
    for jwk in checked:
        if jwk["kid"] not in known:
            conn.execute("INSERT INTO issuer_keys (kid, jwk, added_at, source) VALUES (?, ?, ?, ?)",
                         (jwk["kid"], json.dumps(jwk, sort_keys=True), at, source))
            known.add(jwk["kid"])
            added.append(jwk["kid"])
    if added:
        recheck_invalid(conn)
    return added


def open_issuer_keys(jws: Any, institution_keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The keys of an issuer_keys feed item, after checking it is signed by the institution's root key
    (pinned at enrolment) with typ mcdesk-issuer-keys+jws; CredentialError(bad_issuer_keys) otherwise."""
    from mcdesk.errors import EvidenceError, TrustError
    from mcdesk.evidence.jcs import loads_canonical
    from mcdesk.evidence.jws import parse_compact, verify_compact

    def refuse(why: str) -> CredentialError:
        return CredentialError(f"An issuer-keys update was refused: {why}.",
                               "Keys are only accepted when the institution signed them; tell the institution.",
                               code="bad_issuer_keys")

    if not isinstance(jws, str):
        raise refuse("it carries no signed key list")
    try:
        header = parse_compact(jws, max_chars=MAX_KEYS_JWS_CHARS).header
    except (EvidenceError, TrustError) as exc:
        raise refuse(f"it is not a signed key list ({exc.message})") from exc
    key = _institution_key(institution_keys, header.get("kid"))
    if key is None:
        raise refuse("it is not signed by the institution this laptop is enrolled with")
    try:
        parsed = verify_compact(jws, key, typ=ISSUER_KEYS_TYP, max_chars=MAX_KEYS_JWS_CHARS)
        doc = loads_canonical(parsed.payload_bytes, "The issuer key list")
    except (EvidenceError, TrustError) as exc:
        raise refuse(exc.message.rstrip(".")) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list) or not doc["keys"]:
        raise refuse("its content is not a list of keys")
    return doc["keys"]


def _institution_key(keys: list[dict[str, Any]], kid: Any) -> Any:
    from mcdesk.keys import b64url_decode, public_from_raw

    for jwk in keys:
        if isinstance(jwk, dict) and jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            try:
                return public_from_raw(b64url_decode(jwk["x"]))
            except (KeyError, ValueError, McdeskError):
                return None
    return None


# --- credentials ----------------------------------------------------------------------------------


def verify_token(jwt: str, jwks: list[dict[str, Any]], *, expected_id: str | None = None) -> dict[str, Any]:
    """The credential a VC-JWT carries, once its RS256 signature checks against one of ``jwks`` and its
    claims agree (vcjwt.verify_vc_jwt); CredentialError saying why otherwise."""
    from mcdesk.credentials.vcjwt import verify_vc_jwt

    if not isinstance(jwt, str) or not jwt:
        raise CredentialError("The credential carries no VC-JWT.", code="malformed")
    if len(jwt) > MAX_JWT_CHARS:
        raise CredentialError(f"The VC-JWT is {len(jwt)} characters long; at most {MAX_JWT_CHARS} are accepted.",
                              code="malformed")
    if not jwks:
        raise CredentialError("No issuer key is pinned on this laptop, so the credential cannot be checked.",
                              "Enrol the laptop with the institution's hub (its keys come with the enrolment).",
                              code="unknown_kid")
    credential = verify_vc_jwt(jwt, jwks)
    if expected_id is not None and credential.get("id") != expected_id:
        raise CredentialError(f"The VC-JWT holds credential {str(credential.get('id'))[:60]!r}, not {expected_id!r}.",
                              code="claim_mismatch")
    return credential


def _decoded(jwt: str) -> dict[str, Any] | None:
    from mcdesk.credentials.vcjwt import credential_of, decode_unverified

    try:
        _header, payload = decode_unverified(jwt)
    except (McdeskError, ValueError, TypeError):
        return None
    return credential_of(payload) if isinstance(payload, dict) else None


def receive_credential(conn: sqlite3.Connection, body: dict[str, Any]) -> Received:
    """Store a credential item from the hub: 'valid' when it verifies against the pinned issuer keys,
    'invalid' with the reason otherwise. A valid credential is never replaced by an invalid copy, and a
    revoked one stays revoked. CredentialError when the item itself is unusable (no id, no JWT)."""
    credential_id, jwt = body.get("credential_id"), body.get("jwt")
    if not isinstance(credential_id, str) or not credential_id or not isinstance(jwt, str) or not jwt:
        raise CredentialError("A credential item from the hub has no credential id or no VC-JWT.", code="malformed")
    learner_uuid = str(body.get("learner") or "")
    ref = str(body.get("ref") or "")
    try:
        credential: dict[str, Any] | None = verify_token(jwt, pinned_issuer_keys(conn), expected_id=credential_id)
        status, reason = VALID, None
    except CredentialError as exc:
        credential, status, reason = _decoded(jwt), INVALID, _reason(exc)
    current = get_credential(conn, credential_id)
    if current is not None:
        if current.jwt == jwt or current.status != INVALID or status == INVALID:
            return Received(credential_id, current.status, current.status_reason, False)
        conn.execute("DELETE FROM issued_credentials WHERE credential_id = ?", (credential_id,))
    learner = conn.execute("SELECT id FROM learners WHERE uuid = ?", (learner_uuid,)).fetchone()
    learner_id = int(learner["id"]) if learner else None
    issued = body.get("issued") if isinstance(body.get("issued"), str) else None
    if credential and isinstance(credential.get("validFrom"), str):
        issued = credential["validFrom"]
    conn.execute(
        "INSERT INTO issued_credentials (credential_id, learner_id, learner_uuid, ref, jwt, payload, issued_at,"
        " received_at, status, status_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (credential_id, learner_id, learner_uuid, ref, jwt, json.dumps(credential) if credential else None,
         issued, utcnow(), status, reason))
    if status == VALID and learner_id is not None:
        conn.execute("UPDATE earned_credentials SET status = 'issued' WHERE learner_id = ? AND credential_ref = ?"
                     " AND status = 'awaiting_verification'", (learner_id, ref))
    return Received(credential_id, status, reason, True)


def _reason(exc: CredentialError) -> str:
    return f"{exc.message} ({exc.code})"


def recheck_invalid(conn: sqlite3.Connection) -> int:
    """Verify the 'invalid' credentials again (after new issuer keys arrive); returns how many now verify."""
    keys = pinned_issuer_keys(conn)
    fixed = 0
    for row in conn.execute("SELECT * FROM issued_credentials WHERE status = ?", (INVALID,)).fetchall():
        try:
            credential = verify_token(row["jwt"], keys, expected_id=row["credential_id"])
        except CredentialError as exc:
            conn.execute("UPDATE issued_credentials SET status_reason = ? WHERE credential_id = ?",
                         (_reason(exc), row["credential_id"]))
            continue
        conn.execute("UPDATE issued_credentials SET status = ?, status_reason = NULL, payload = ? "
                     "WHERE credential_id = ?", (VALID, json.dumps(credential), row["credential_id"]))
        if row["learner_id"] is not None:
            conn.execute("UPDATE earned_credentials SET status = 'issued' WHERE learner_id = ? AND credential_ref = ?"
                         " AND status = 'awaiting_verification'", (row["learner_id"], row["ref"]))
        fixed += 1
    return fixed


def revoke(conn: sqlite3.Connection, credential_id: str, reason: str, at: str | None = None) -> bool:
    """Mark a credential revoked (a revocation item, or its status-list bit); True when it changed."""
    row = get_credential(conn, credential_id)
    if row is None or row.status == REVOKED:
        return False
    conn.execute("UPDATE issued_credentials SET status = ?, status_reason = ?, status_checked_at = "
                 "coalesce(?, status_checked_at) WHERE credential_id = ?",
                 (REVOKED, reason or "revoked by the institution", at, credential_id))
    if row.learner_id is not None and row.status == VALID:
        conn.execute("UPDATE earned_credentials SET status = 'revoked' WHERE learner_id = ? AND credential_ref = ?",
                     (row.learner_id, row.ref))
    return True


def apply_revocation(conn: sqlite3.Connection, body: dict[str, Any]) -> bool:
    """A revocation item from the hub: {"credential_id", "reason", "revoked"}."""
    credential_id = body.get("credential_id")
    if not isinstance(credential_id, str):
        raise CredentialError("A revocation item from the hub names no credential.", code="malformed")
    reason = body.get("reason") if isinstance(body.get("reason"), str) and body.get("reason") else None
    return revoke(conn, credential_id, reason or "revoked by the institution")


# --- revocation status (online) -------------------------------------------------------------------


def status_entries(conn: sqlite3.Connection | Store) -> dict[str, list[tuple[str, int]]]:
    """The status lists the held credentials point at: list URL -> [(credential id, bit index)]."""
    lists: dict[str, list[tuple[str, int]]] = {}
    for row in _conn(conn).execute("SELECT credential_id, payload FROM issued_credentials WHERE status != ?",
                                   (INVALID,)):
        entry = _status_entry(json.loads(row["payload"]) if row["payload"] else None)
        if entry is not None:
            lists.setdefault(entry[0], []).append((row["credential_id"], entry[1]))
    return lists


def _status_entry(credential: dict[str, Any] | None) -> tuple[str, int] | None:
    entries = (credential or {}).get("credentialStatus")
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("statusPurpose", "revocation") != "revocation":
            continue
        url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
        try:
            if isinstance(url, str) and url and not isinstance(index, bool):
                return url, int(index)
        except (TypeError, ValueError):
            continue
    return None


def read_status_list(token: str, jwks: list[dict[str, Any]], url: str) -> bytes:
    """The bits of a status list credential (a VC-JWT) after verifying it with the pinned issuer keys;
    CredentialError(bad_status_list) when it is not the institution's list for ``url``."""
    from mcdesk.credentials.statuslist import decode

    try:
        credential = verify_token(token.strip(), jwks)
    except CredentialError as exc:
        raise CredentialError(f"The status list at {url} does not verify: {exc.message}", exc.hint,
                              code="bad_status_list") from exc
    subject = credential.get("credentialSubject")
    if credential.get("id") != url or not isinstance(subject, dict) \
            or subject.get("statusPurpose", "revocation") != "revocation" or not subject.get("encodedList"):
        raise CredentialError(f"The document at {url} is not the revocation status list it should be.",
                              code="bad_status_list")
    try:
        return decode(subject["encodedList"])
    except CredentialError as exc:
        raise CredentialError(f"The status list at {url} cannot be read: {exc.message}",
                              code="bad_status_list") from exc


def apply_status_list(conn: sqlite3.Connection, entries: list[tuple[str, int]], bits: bytes,
                      at: str | None = None) -> tuple[int, int]:
    """Record a checked status list: credentials whose bit is set become revoked; every one gets
    status_checked_at. Returns (checked, newly revoked)."""
    from mcdesk.credentials.statuslist import bit

    at = at or utcnow()
    revoked = 0
    for credential_id, index in entries:
        try:
            set_ = bit(bits, index)
        except (CredentialError, IndexError, ValueError):
            continue
        if set_ and revoke(conn, credential_id, STATUS_LIST_REASON, at):
            revoked += 1
        conn.execute("UPDATE issued_credentials SET status_checked_at = ? WHERE credential_id = ?", (at, credential_id))
    return len(entries), revoked
