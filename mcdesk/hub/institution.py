"""The institution the hub speaks for: its profile (id, name, url) and its Ed25519 signing key."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcdesk.errors import TrustError
from mcdesk.hub.errors import HubError
from mcdesk.hub.store import HubData, HubStore, utcnow
from mcdesk.keys import b64url, key_id, load_private_key, raw_public

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

_ID, _NAME, _URL, _CREATED = "institution_id", "institution_name", "institution_url", "institution_created_at"
MAX_NAME = 200


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    url: str | None
    private_key: Ed25519PrivateKey

    @property
    def kid(self) -> str:
        return key_id(self.private_key.public_key())

    def public_jwk(self) -> dict[str, str]:
        """The institution's public key as an RFC 8037 JWK, as devices pin it at enrolment."""
        x = b64url(raw_public(self.private_key.public_key()))
        return {"kid": self.kid, "kty": "OKP", "crv": "Ed25519", "x": x, "use": "sig", "alg": "EdDSA"}

    def profile(self, url_fallback: str | None = None) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "url": self.url or url_fallback}


def load_institution(store: HubStore, data: HubData) -> Institution:
    """The hub's institution; a first run makes the key and a default profile."""
    key = _institution_key(data)
    with store.transaction() as conn:
        defaults = {_ID: f"urn:uuid:{uuid.uuid4()}", _NAME: _default_name(), _CREATED: utcnow()}
        for name, value in defaults.items():
            conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (name, value))
    return read_institution(store, key)


def init_institution(store: HubStore, data: HubData, name: str, inst_id: str | None = None,
                     url: str | None = None) -> Institution:
    """Set the institution's name (and id, url). The id cannot change once devices have enrolled:
    they pin it."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        raise HubError(f"The institution name must be 1 to {MAX_NAME} printable characters.",
                       "Give the name learners and technicians should see, e.g. --name \"Riverside College\".")
    for label, value in (("id", inst_id), ("url", url)):
        if value is not None and not _good_identifier(value):
            raise HubError(f"The institution {label} {value!r} is not an https URL or a URN.",
                           f"Give --{label} as https://… or urn:…")
    current = load_institution(store, data)
    with store.transaction() as conn:
        if inst_id is not None and inst_id != current.id:
            enrolled = conn.execute("SELECT COUNT(*) FROM devices").fetchone()[0]
            if enrolled:
                raise HubError(f"The institution id cannot change: {enrolled} device(s) are enrolled with "
                               f"{current.id}.",
                               "Keep the id; change only the name (devices pin the id at enrolment).")
            _set(conn, _ID, inst_id)
        _set(conn, _NAME, name)
        if url is not None:
            _set(conn, _URL, url)
    return read_institution(store, current.private_key)


def _good_identifier(value: str) -> bool:
    value = value.strip()
    return bool(value) and len(value) <= 500 and " " not in value and (
        value.startswith(("https://", "http://")) or value.lower().startswith("urn:"))


def _set(conn: Any, key: str, value: str) -> None:
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def read_institution(store: HubStore, key: Ed25519PrivateKey) -> Institution:
    """The profile as stored now (``mcdesk hub init`` may change the name while the hub runs)."""
    rows = {r["key"]: r["value"] for r in store.query("SELECT key, value FROM settings")}
    return Institution(id=rows[_ID], name=rows[_NAME], url=rows.get(_URL), private_key=key)


def _default_name() -> str:
    host = socket.gethostname().split(".")[0] or "this server"
    return f"mcdesk hub on {host}"


def _institution_key(data: HubData) -> Ed25519PrivateKey:
    """Load DATA/keys/institution.key.pem, making it (0600) the first time."""
    path = data.key_path
    if not path.exists():
        _make_key(data)
    try:
        return load_private_key(path, None)
    except TrustError as exc:
        raise HubError(f"The institution key {path} cannot be used: {exc.message}",
                       "Restore the key file from a backup; devices trust only that key.",
                       code="institution_key", status=500) from exc


def _make_key(data: HubData) -> None:
    """Write the new key to a temporary file, then link it into place: two processes starting at
    once end up with the same key (the loser of the link loads the winner's)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = data.keys / f".institution.key.{os.getpid()}.{uuid.uuid4().hex}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, data.key_path)  # fails if another process made it first: then use theirs
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not data.key_path.exists():
                os.replace(tmp, data.key_path)
    finally:
        tmp.unlink(missing_ok=True)
