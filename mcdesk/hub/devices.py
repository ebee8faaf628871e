"""Devices at the hub: one-time enrolment codes, enrolment, bearer-token authentication, revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from mcdesk.hub.errors import HubError
from mcdesk.hub.store import HubStore, utcnow
from mcdesk.keys import b64url, b64url_decode
from mcdesk.sync.proof import enrolment_signed

# No 0/O, 1/I/L: a code read aloud or copied from paper is typed right. 31**12 is about 2**59.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LEN = 3, 4
MAX_CODES = 1000
MAX_DEVICE_NAME = 100
ENROL_HINT = "Ask the hub's administrator for a new code (`mcdesk hub enrol-code`)."


@dataclass(frozen=True)
class Device:
    device_id: str
    public_key: bytes
    name: str
    enrolled_at: str
    last_seen_at: str | None
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def as_json(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "name": self.name, "public_key": b64url(self.public_key),
                "enrolled_at": self.enrolled_at, "last_seen_at": self.last_seen_at,
                "revoked_at": self.revoked_at}


@dataclass(frozen=True)
class Enrolment:
    device: Device
    device_token: str  # shown once, to the device; the hub keeps only its sha256
    again: bool  # the key was enrolled before: same device_id, new token


# --- codes -----------------------------------------------------------------------------------


def new_codes(store: HubStore, count: int) -> list[str]:
    """Make ``count`` one-time codes like ``K7QM-3XWD-9FRT``; only their hashes are stored."""
    if not 1 <= count <= MAX_CODES:
        raise HubError(f"Ask for 1 to {MAX_CODES} codes at a time, not {count}.", "Use --count N.")
    codes = ["-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LEN))
                      for _ in range(CODE_GROUPS)) for _ in range(count)]
    now = utcnow()
    with store.transaction() as conn:
        conn.executemany("INSERT INTO enrol_codes (code_sha256, created_at) VALUES (?, ?)",
                         [(code_hash(c), now) for c in codes])
    return codes


def normalise_code(text: str) -> str | None:
    """The 12 code characters, upper-cased, without spaces or dashes; None if it cannot be a code."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    chars = "".join(c for c in text.upper() if c not in " -\t")
    if len(chars) != CODE_GROUPS * CODE_GROUP_LEN or any(c not in CODE_ALPHABET for c in chars):
        return None
    return chars


def code_hash(code: str) -> str:
    normal = normalise_code(code)
    if normal is None:
        raise HubError(f"{code!r} is not an enrolment code.", ENROL_HINT, code="code_unknown", status=403)
    return hashlib.sha256(normal.encode("ascii")).hexdigest()


def code_counts(store: HubStore) -> dict[str, int]:
    row = store.one("SELECT COUNT(*) AS made, COUNT(used_at) AS used FROM enrol_codes")
    return {"made": row["made"], "used": row["used"]} if row else {"made": 0, "used": 0}


# --- enrolment -------------------------------------------------------------------------------


def parse_public_key(text: Any) -> bytes:
    """The 32 raw bytes of a base64url Ed25519 public key; 400 bad_public_key otherwise."""
    try:
        raw = b64url_decode(text)
    except (ValueError, TypeError) as exc:
        raise HubError("The public key is not base64url.", "Send the 32 raw bytes of the device's Ed25519 "
                       "public key, base64url without padding.", code="bad_public_key", status=400) from exc
    if len(raw) != 32:
        raise HubError(f"The public key is {len(raw)} bytes; an Ed25519 public key is 32.",
                       "Send the device's Ed25519 public key (raw 32 bytes, base64url).",
                       code="bad_public_key", status=400)
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise HubError("The public key is not a usable Ed25519 key.", "Send the device's own public key.",
                       code="bad_public_key", status=400) from exc
    return raw


def check_device_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_DEVICE_NAME \
            or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise HubError(f"The device name must be 1 to {MAX_DEVICE_NAME} printable characters.",
                       "Name the laptop as the technician will recognise it, e.g. \"Lab 2 - PC 14\".",
                       code="bad_device_name", status=400)
    return name.strip()


def enrol(store: HubStore, code: str, public_key: str, device_name: str, proof: str) -> Enrolment:
    """Use a one-time code to enrol a device key; the same key enrolling again keeps its device_id
    and gets a new token (the old one stops working).

    The code is spent in the same transaction as the device row, with a conditional update, so of
    two enrolments racing for one code exactly one wins. Retrying with the code one already used
    (the answer was lost on the way) re-issues the token of the same device. ``proof`` is the device's
    signature over the enrolment (mcdesk.sync.proof): only the holder of the private key can enrol it.
    """
    raw = parse_public_key(public_key)
    name = check_device_name(device_name)
    if not enrolment_signed(raw, proof, code, public_key, device_name):
        raise HubError("The enrolment is not signed by the device's own key.",
                       "Enrol from the device itself (mcdesk enrol URL --code CODE, or the technician panel).",
                       code="bad_proof", status=400)
    digest = code_hash(code)
    device_id = hashlib.sha256(raw).hexdigest()
    token = secrets.token_bytes(32)
    token_text = b64url(token)
    now = utcnow()
    with store.transaction() as conn:
        row = conn.execute("SELECT used_at, device_id FROM enrol_codes WHERE code_sha256 = ?", (digest,)).fetchone()
        if row is None:
            raise HubError("This enrolment code is not known to the hub.",
                           "Check it was typed right (letters and digits, dashes optional). " + ENROL_HINT,
                           code="code_unknown", status=403)
        existing = conn.execute("SELECT revoked_at FROM devices WHERE device_id = ?", (device_id,)).fetchone()
        if existing is not None and existing["revoked_at"] is not None:
            raise HubError("This device was revoked at the hub and cannot enrol again.",
                           "Ask the hub's administrator; a revoked device stays revoked.",
                           code="device_revoked", status=403)
        spent = conn.execute("UPDATE enrol_codes SET used_at = ?, device_id = ? "
                             "WHERE code_sha256 = ? AND used_at IS NULL", (now, device_id, digest)).rowcount
        if not spent and row["device_id"] != device_id:
            raise HubError("This enrolment code was already used.", "A code works once. " + ENROL_HINT,
                           code="code_used", status=403)
        token_hash = hashlib.sha256(token).hexdigest()
        if existing is None:
            conn.execute("INSERT INTO devices (device_id, public_key, name, enrolled_at, token_sha256, "
                         "token_issued_at) VALUES (?, ?, ?, ?, ?, ?)",
                         (device_id, b64url(raw), name, now, token_hash, now))
        else:
            conn.execute("UPDATE devices SET name = ?, token_sha256 = ?, token_issued_at = ? WHERE device_id = ?",
                         (name, token_hash, now, device_id))
    device = get_device(store, device_id)
    assert device is not None
    return Enrolment(device, token_text, again=existing is not None)


# --- authentication --------------------------------------------------------------------------


def authenticate(store: HubStore, authorization: str | None) -> Device:
    """The device an ``Authorization: Bearer <token>`` header belongs to: 401 when missing or unknown,
    403 when the device is revoked."""
    if not authorization:
        raise HubError("No device token was sent.",
                       "Send the token from enrolment as 'Authorization: Bearer <token>'.",
                       code="no_token", status=401)
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise HubError("The Authorization header is not a bearer token.",
                       "Send the token from enrolment as 'Authorization: Bearer <token>'.",
                       code="bad_token", status=401)
    try:
        token = b64url_decode(value)
    except ValueError:
        token = value.encode("utf-8", "replace")
    digest = hashlib.sha256(token).hexdigest()
    row = store.one("SELECT token_sha256, device_id FROM devices WHERE token_sha256 = ?", (digest,))
    if row is None or not hmac.compare_digest(row["token_sha256"], digest):
        raise HubError("The device token is not known to this hub (wrong, or replaced by a later enrolment).",
                       "Enrol the device again with a new code.", code="bad_token", status=401)
    device = get_device(store, row["device_id"])
    assert device is not None
    if device.revoked:
        raise HubError("This device was revoked at the hub.",
                       "Ask the hub's administrator; its evidence is no longer accepted.",
                       code="device_revoked", status=403)
    return device


# --- listing and revoking --------------------------------------------------------------------


def get_device(store: HubStore, device_id: str) -> Device | None:
    row = store.one("SELECT * FROM devices WHERE device_id = ?", (device_id,))
    return _device(row) if row else None


def list_devices(store: HubStore) -> list[dict[str, Any]]:
    """Every device with its evidence count and highest seq held, oldest enrolment first."""
    rows = store.query(
        "SELECT d.*, COUNT(e.seq) AS records, COALESCE(MAX(e.seq), 0) AS held_seq "
        "FROM devices d LEFT JOIN evidence e ON e.device_id = d.device_id "
        "GROUP BY d.device_id ORDER BY d.enrolled_at, d.device_id")
    return [{**_device(r).as_json(), "records": r["records"], "held_seq": r["held_seq"]} for r in rows]


def find_device(store: HubStore, ref: str) -> Device:
    """A device by its id or an unambiguous prefix of at least 8 characters."""
    ref = ref.strip().lower()
    if len(ref) < 8:
        raise HubError(f"{ref!r} is too short to name a device.",
                       "Give the device id, or at least its first 8 characters (see `mcdesk hub devices`).")
    rows = store.query("SELECT * FROM devices WHERE device_id >= ? AND device_id < ? LIMIT 2",
                       (ref, ref + "g"))
    if not rows:
        raise HubError(f"No enrolled device has the id {ref}.", "List the devices with `mcdesk hub devices`.")
    if len(rows) > 1:
        raise HubError(f"{ref} names more than one device.", "Give more characters of the device id.")
    return _device(rows[0])


def revoke_device(store: HubStore, ref: str) -> tuple[Device, bool]:
    """Revoke a device (its token then gets 403). Returns the device and whether this call revoked it."""
    device = find_device(store, ref)
    if device.revoked:
        return device, False
    with store.transaction() as conn:
        conn.execute("UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
                     (utcnow(), device.device_id))
    again = get_device(store, device.device_id)
    assert again is not None
    return again, True


def _device(row: Any) -> Device:
    return Device(device_id=row["device_id"], public_key=b64url_decode(row["public_key"]), name=row["name"],
                  enrolled_at=row["enrolled_at"], last_seen_at=row["last_seen_at"], revoked_at=row["revoked_at"])
