"""The trust store: publisher keys the technician trusts to sign packs."""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcdesk.errors import TrustError
from mcdesk.keys import key_id, public_from_raw, raw_public
from mcdesk.store.db import Store, utcnow

if TYPE_CHECKING:  # cryptography loads when a key is used, not when this module is imported
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ORIGIN_TECHNICIAN = "technician"
ORIGIN_LOCAL_SAMPLE = "local-sample"
ORIGIN_LABELS = {ORIGIN_TECHNICIAN: "added by a technician", ORIGIN_LOCAL_SAMPLE: "local sample publisher"}


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    name: str
    public_key: Ed25519PublicKey
    origin: str
    added_at: str

    def as_json(self) -> dict:
        return {
            "key_id": self.key_id,
            "name": self.name,
            "public_key": base64.b64encode(raw_public(self.public_key)).decode(),
            "origin": self.origin,
            "added_at": self.added_at,
        }


class TrustStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, key: Ed25519PublicKey, name: str, origin: str = ORIGIN_TECHNICIAN) -> TrustedKey:
        name = name.strip()
        if not name:
            raise TrustError("A trusted key needs a name.", "Give the publisher's name with --name.")
        kid = key_id(key)
        existing = self.get(kid)
        if existing is not None:
            raise TrustError(
                f"This key is already trusted as {existing.name!r} ({kid[:16]}).",
                "Nothing to do; remove it first to rename it.",
            )
        row = (kid, name, base64.b64encode(raw_public(key)).decode(), origin, utcnow())
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO trusted_keys (key_id, name, public_key, origin, added_at) VALUES (?,?,?,?,?)",
                row,
            )
        return TrustedKey(kid, name, key, origin, row[4])

    def get(self, kid: str) -> TrustedKey | None:
        row = self.store.one("SELECT * FROM trusted_keys WHERE key_id = ?", (kid,))
        return _from_row(row) if row else None

    def list(self) -> list[TrustedKey]:
        return [_from_row(r) for r in self.store.query("SELECT * FROM trusted_keys ORDER BY added_at, name")]

    def resolve(self, prefix: str) -> TrustedKey:
        """A trusted key by its id or an unambiguous prefix of at least 8 hex digits."""
        prefix = prefix.strip().lower()
        if len(prefix) < 8:
            raise TrustError("Give at least the first 8 characters of the key id.",
                             "`mcdesk trust list` shows the ids.")
        matches = [k for k in self.list() if k.key_id.startswith(prefix)]
        if not matches:
            raise TrustError(f"No trusted key has an id starting with {prefix!r}.",
                             "`mcdesk trust list` shows the trusted keys.")
        if len(matches) > 1:
            raise TrustError(f"{len(matches)} trusted keys start with {prefix!r}.", "Give more of the id.")
        return matches[0]

    def remove(self, prefix: str) -> TrustedKey:
        key = self.resolve(prefix)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM trusted_keys WHERE key_id = ?", (key.key_id,))
        return key


def _from_row(row: sqlite3.Row) -> TrustedKey:
    raw = base64.b64decode(row["public_key"])
    return TrustedKey(row["key_id"], row["name"], public_from_raw(raw), row["origin"], row["added_at"])
