"""The device key: made once per data folder, kept private (0700/0600), refused when others can read
it, never in the database or logs; and the small secret store beside it."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import EvidenceError
from mcdesk.evidence.device import (
    KEY_FILE,
    delete_secret,
    device_identity,
    device_key,
    ensure_device,
    forget_cached_keys,
    load_secret,
    secure_backend,
    store_secret,
)
from mcdesk.home import Home
from mcdesk.keys import key_id
from mcdesk.store.db import Store, open_store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_key_exists_until_first_need(home: Home, store: Store) -> None:
    assert device_identity(home, store) is None
    assert not (home.keys / KEY_FILE).exists()


def test_the_device_key_is_made_once_and_reused(home: Home, store: Store) -> None:
    first = ensure_device(home, store)
    assert first.storage == "file"
    assert ensure_device(home, store) == first
    forget_cached_keys()
    with open_store(home) as other:  # another process or window on the same data folder
        assert ensure_device(home, other) == first
    assert device_identity(home, store) == first
    assert [p.name for p in home.keys.iterdir()] == [KEY_FILE]


def test_the_device_id_is_the_key_id_of_the_public_key(home: Home, store: Store) -> None:
    identity, key = device_key(home, store)
    assert identity.device_id == key_id(key.public_key()) == hashlib.sha256(identity.public_key).hexdigest()
    assert identity.key_id == identity.device_id and len(identity.public_key) == 32
    assert base64.urlsafe_b64decode(identity.public_b64url + "=") == identity.public_key


def test_the_key_file_is_0600_in_a_0700_folder(home: Home, store: Store) -> None:
    os.chmod(home.keys, 0o755)  # loosened by someone; making the key tightens it again
    ensure_device(home, store)
    assert _mode(home.keys) == 0o700
    assert _mode(home.keys / KEY_FILE) == 0o600
    pem = (home.keys / KEY_FILE).read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644])
def test_a_key_file_others_can_read_is_refused_with_a_hint(home: Home, store: Store, mode: int) -> None:
    ensure_device(home, store)
    os.chmod(home.keys / KEY_FILE, mode)
    forget_cached_keys()
    with pytest.raises(EvidenceError, match="can be read by other users") as info:
        device_key(home, store)
    assert "chmod 600" in info.value.hint


def test_a_missing_key_is_refused_not_silently_replaced(home: Home, store: Store) -> None:
    identity = ensure_device(home, store)
    (home.keys / KEY_FILE).unlink()
    forget_cached_keys()
    with pytest.raises(EvidenceError, match="device key .* is missing") as info:
        device_key(home, store)
    assert "backup" in info.value.hint
    assert device_identity(home, store) == identity


def test_a_key_of_another_device_is_refused(home: Home, store: Store) -> None:
    ensure_device(home, store)
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (home.keys / KEY_FILE).write_bytes(other)
    forget_cached_keys()
    with pytest.raises(EvidenceError, match="does not belong to device"):
        device_key(home, store)


def test_a_damaged_key_file_is_refused(home: Home, store: Store) -> None:
    ensure_device(home, store)
    (home.keys / KEY_FILE).write_bytes(b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    forget_cached_keys()
    with pytest.raises(EvidenceError, match="damaged"):
        device_key(home, store)


def test_a_key_left_without_a_device_row_is_set_aside_not_reused(home: Home, store: Store) -> None:
    old = Ed25519PrivateKey.generate()
    pem = old.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    (home.keys / KEY_FILE).write_bytes(pem)
    os.chmod(home.keys / KEY_FILE, 0o600)
    identity = ensure_device(home, store)
    assert identity.device_id != key_id(old.public_key())
    orphans = [p for p in home.keys.iterdir() if p.name.startswith(KEY_FILE + ".orphan-")]
    assert len(orphans) == 1 and orphans[0].read_bytes() == pem


def test_the_private_key_is_never_in_the_database_or_the_logs(home: Home, store: Store) -> None:
    _, key = device_key(home, store)
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    pem = (home.keys / KEY_FILE).read_bytes()
    body = b"".join(pem.splitlines()[1:-1])
    needles = [raw, body, base64.b64encode(raw), base64.urlsafe_b64encode(raw).rstrip(b"="), raw.hex().encode()]
    store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in [*home.root.glob("mcdesk.db*"), *home.logs.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path
    assert not any(n in "\n".join(store.conn.iterdump()).encode() for n in needles)


# --- the secret store ----------------------------------------------------------------------------


def test_a_secret_is_kept_privately_and_read_back(home: Home) -> None:
    assert load_secret(home, "hub-token") is None
    assert store_secret(home, "hub-token", b"\x00token\xff") == "file"
    assert load_secret(home, "hub-token") == b"\x00token\xff"
    assert _mode(home.keys / "hub-token.secret") == 0o600
    store_secret(home, "hub-token", b"second")
    assert load_secret(home, "hub-token") == b"second"
    assert not [p for p in home.keys.iterdir() if p.name.endswith(".tmp")]
    delete_secret(home, "hub-token")
    assert load_secret(home, "hub-token") is None
    delete_secret(home, "hub-token")  # nothing to delete: no error


def test_a_secret_others_can_read_is_refused(home: Home) -> None:
    store_secret(home, "hub-token", b"x")
    os.chmod(home.keys / "hub-token.secret", 0o644)
    with pytest.raises(EvidenceError, match="can be read by other users"):
        load_secret(home, "hub-token")


@pytest.mark.parametrize("name", ["", "Hub", "../x", "a/b", "x" * 65, "device-key", "device-key-orphan-1"])
def test_bad_or_reserved_secret_names_are_refused(home: Home, name: str) -> None:
    with pytest.raises(EvidenceError):
        store_secret(home, name, b"x")
    with pytest.raises(EvidenceError):
        load_secret(home, name)


class _Backend:
    priority = 5


def _backend(module: str, priority: float) -> object:
    cls = type("Keyring", (_Backend,), {"__module__": module, "priority": priority})
    return cls()


@pytest.mark.parametrize(("module", "priority", "secure"), [
    ("keyring.backends.SecretService", 5, True),
    ("keyring.backends.macOS", 5, True),
    ("keyring.backends.Windows", 5, True),
    ("keyring.backends.fail", 0, False),
    ("keyring.backends.null", -1, False),
    ("keyrings.alt.file", 0.5, False),
    ("some.other.backend", 0.5, False),
])
def test_only_real_secure_keyring_backends_are_used(module: str, priority: float, secure: bool) -> None:
    assert secure_backend(_backend(module, priority)) is secure


def test_a_chain_of_backends_is_secure_only_when_every_link_is() -> None:
    def chainer(*links: object) -> object:
        return type("ChainerBackend", (), {"__module__": "keyring.backends.chainer", "backends": list(links),
                                           "priority": 10})()

    good, plain = _backend("keyring.backends.SecretService", 5), _backend("keyrings.alt.file", 0.5)
    assert secure_backend(chainer(good, _backend("keyring.backends.kwallet", 4.9))) is True
    assert secure_backend(chainer(good, plain)) is False
    assert secure_backend(chainer()) is False
