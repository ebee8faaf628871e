"""This installation's Ed25519 device key (made at first need, never exported) and a small secret store.

Where secrets live: the OS keyring when the optional ``keyring`` package is importable and its active
backend is a real secure one (macOS Keychain, Windows Credential Locker, Secret Service, KWallet);
otherwise files in the data folder's ``keys/`` (folder 0700, files 0600, written atomically), and a
key file that group or others can read is refused. ``MCDESK_NO_KEYRING=1`` forces the files (tests,
kiosks). Windows has no POSIX modes: there a file is protected only by the ACL of the user's profile
folder it sits in, and the permission check is skipped (install ``keyring`` for Credential Locker).

The choice is made once, when the key is made, and kept in the ``device`` table: a key made in the
keyring is never silently replaced by a new file key (that would start a new device and chain).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import sqlite3
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mcdesk.errors import EvidenceError
from mcdesk.home import Home
from mcdesk.store.db import Store, utcnow

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

Storage = Literal["keyring", "file"]
KEY_FILE = "device.key.pem"
KEYRING_SERVICE = "mcdesk"
DEVICE_KEY_NAME = "device-key"
_SECRET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# Backends that keep nothing, refuse everything or write plain files: not "secure".
_INSECURE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str  # lower-case hex sha256 of the raw public key (the same rule as keys.key_id)
    public_key: bytes  # the 32 raw bytes
    storage: Storage
    created_at: str

    @property
    def key_id(self) -> str:
        return self.device_id

    @property
    def public_b64url(self) -> str:
        return base64.urlsafe_b64encode(self.public_key).rstrip(b"=").decode("ascii")

    @property
    def short_id(self) -> str:
        return self.device_id[:12]


# --- where secrets live ------------------------------------------------------------------------


def secure_backend(backend: Any) -> bool:
    """Whether a keyring backend really protects secrets: not the fail, null or plain-file backends,
    a priority of at least 1, and a chainer only when every backend it chains is secure."""
    module = type(backend).__module__
    if module == "keyring.backends.chainer" or module.startswith("keyring.backends.chainer."):
        chained = list(getattr(backend, "backends", None) or [])
        return bool(chained) and all(secure_backend(b) for b in chained)
    if any(module == name or module.startswith(name + ".") for name in _INSECURE_BACKENDS):
        return False
    try:
        return float(getattr(backend, "priority", 0)) >= 1
    except (TypeError, ValueError, RuntimeError):
        return False


def _keyring() -> Any | None:
    """The keyring module when it is importable and its active backend is secure, else None."""
    if os.environ.get("MCDESK_NO_KEYRING", "").strip() not in ("", "0"):
        return None
    try:
        import keyring
    except Exception:  # not installed, or broken on this machine
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    return keyring if secure_backend(backend) else None


def _account(home: Home, name: str) -> str:
    """Keyring entries are per data folder: two data folders on one account are two installations."""
    return f"{name}@{hashlib.sha256(str(home.root).encode()).hexdigest()[:16]}"


def _check_name(name: str) -> None:
    if not _SECRET_NAME.fullmatch(name):
        raise EvidenceError(f"{name!r} is not a usable secret name (lower-case letters, digits, - and _).",
                            code="device_key")


def _secret_path(home: Home, name: str) -> Path:
    return home.keys / (KEY_FILE if name == DEVICE_KEY_NAME else f"{name}.secret")


def _private_folder(home: Home) -> None:
    try:
        home.keys.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(home.keys, 0o700)
    except OSError as exc:
        raise EvidenceError(f"The keys folder {home.keys} cannot be made private ({exc.strerror}).",
                            "Check the data folder's owner and permissions.", code="device_key") from exc


def _write_private(home: Home, path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 atomically: temp file, fsync, rename, fsync the folder."""
    _private_folder(home)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        if os.name != "nt":
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EvidenceError(f"{path} cannot be written ({exc.strerror}).",
                            "Check that the data folder is writable and the disk is not full.",
                            code="device_key") from exc


def _read_private(path: Path) -> bytes | None:
    """The bytes of a secret file, or None when there is none; refuses a file others can read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EvidenceError(f"{path} cannot be read ({exc.strerror}).", code="device_key") from exc
    if os.name != "nt" and stat.S_IMODE(info.st_mode) & 0o077:
        raise EvidenceError(
            f"{path} can be read by other users of this computer (mode {stat.S_IMODE(info.st_mode):o}); "
            "it is not used.",
            f"Make it private with `chmod 600 {path}` (and `chmod 700 {path.parent}`), then try again.",
            code="device_key")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"{path} cannot be read ({exc.strerror}).", code="device_key") from exc


def _public_name(name: str) -> None:
    _check_name(name)
    if name.startswith(DEVICE_KEY_NAME):
        raise EvidenceError("The device key is not reachable through the secret store.", code="device_key")


def store_secret(home: Home, name: str, value: bytes) -> Storage:
    """Keep ``value`` under ``name`` for this data folder (the keyring if secure, else keys/NAME.secret);
    replaces an earlier value. Returns where it went."""
    _public_name(name)
    return _store(home, name, value)


def load_secret(home: Home, name: str) -> bytes | None:
    """The value kept under ``name``, or None when there is none."""
    _public_name(name)
    return _load(home, name)


def delete_secret(home: Home, name: str) -> None:
    """Forget ``name`` wherever it is kept (nothing happens when there is none)."""
    _public_name(name)
    ring = _keyring()
    if ring is not None:
        with contextlib.suppress(Exception):  # keyring raises PasswordDeleteError when there is nothing
            ring.delete_password(KEYRING_SERVICE, _account(home, name))
    _secret_path(home, name).unlink(missing_ok=True)


def _store(home: Home, name: str, value: bytes) -> Storage:
    _check_name(name)
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, _account(home, name), base64.b64encode(value).decode("ascii"))
        except Exception as exc:
            raise EvidenceError(f"The OS keyring refused to keep {name!r} ({exc}).",
                                "Unlock the keyring, or set MCDESK_NO_KEYRING=1 to keep it in the data folder.",
                                code="device_key") from exc
        _secret_path(home, name).unlink(missing_ok=True)
        return "keyring"
    _write_private(home, _secret_path(home, name), value)
    return "file"


def _load(home: Home, name: str) -> bytes | None:
    ring = _keyring()
    if ring is not None:
        try:
            text = ring.get_password(KEYRING_SERVICE, _account(home, name))
        except Exception as exc:
            raise EvidenceError(f"The OS keyring cannot be read ({exc}).", "Unlock the keyring and try again.",
                                code="device_key") from exc
        if text is not None:
            return base64.b64decode(text)
    return _read_private(_secret_path(home, name))


# --- the device key ----------------------------------------------------------------------------


def _row_identity(row: sqlite3.Row) -> DeviceIdentity:
    raw = base64.urlsafe_b64decode(row["public_key"] + "=" * (-len(row["public_key"]) % 4))
    return DeviceIdentity(row["device_id"], raw, row["storage"], row["created_at"])


def device_identity(home: Home, store: Store) -> DeviceIdentity | None:
    """The device's identity if its key has been made, else None (makes nothing)."""
    del home  # the identity is in the database; home is taken for symmetry with ensure_device
    row = store.one(_SELECT_DEVICE)
    return _row_identity(row) if row is not None else None


def _pem(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _load_pem(data: bytes, where: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise EvidenceError(f"The device key in {where} is damaged or not a private key.",
                            "Restore the data folder's keys/ from a backup; without the key this laptop "
                            "cannot sign evidence.", code="device_key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise EvidenceError(f"The device key in {where} is not an Ed25519 key.", code="device_key")
    return key


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _read_key(home: Home, storage: Storage) -> Ed25519PrivateKey | None:
    if storage == "keyring":
        ring = _keyring()
        if ring is None:
            raise EvidenceError("The device key is kept in the OS keyring, which cannot be reached now.",
                                "Install or unlock the keyring (the `keyring` package and its backend), "
                                "then try again.", code="device_key")
        data = _load(home, DEVICE_KEY_NAME)
        where = "the OS keyring"
    else:
        data = _read_private(_secret_path(home, DEVICE_KEY_NAME))
        where = str(_secret_path(home, DEVICE_KEY_NAME))
    return _load_pem(data, where) if data is not None else None


_cache: dict[str, tuple[DeviceIdentity, Ed25519PrivateKey]] = {}  # by device id
_cache_lock = threading.RLock()
_SELECT_DEVICE = "SELECT device_id, public_key, storage, created_at FROM device WHERE id = 1"


def ensure_device(home: Home, store: Store) -> DeviceIdentity:
    """The device's identity, making the key pair first if there is none (once per installation)."""
    return device_key(home, store)[0]


def device_key(home: Home, store: Store) -> tuple[DeviceIdentity, Ed25519PrivateKey]:
    """The identity and private key, made at first need and then cached per data folder (the key is
    read from the keyring or file once per process, not per record)."""
    row = store.one(_SELECT_DEVICE)
    if row is not None:
        return _loaded(home, _row_identity(row))
    with store.transaction() as conn:
        return device_key_in(conn, home)


def home_of(conn: sqlite3.Connection) -> Home:
    """The data folder of the database ``conn`` is open on (mcdesk.db sits at its top)."""
    row = conn.execute("PRAGMA database_list").fetchone()
    if row is None or not row[2]:
        raise EvidenceError("Internal error: the device key belongs to a database file.", code="device_key")
    return Home(Path(row[2]).parent)


def device_key_in(conn: sqlite3.Connection, home: Home | None = None) -> tuple[DeviceIdentity, Ed25519PrivateKey]:
    """``device_key`` inside the caller's write transaction (the evidence recorder's): a key made here
    is recorded in that transaction and is set aside as an orphan if it rolls back. ``home`` defaults
    to the data folder of ``conn``'s database (found only when the key is not cached)."""
    row = conn.execute(_SELECT_DEVICE).fetchone()
    if row is not None:
        identity = _row_identity(row)
        cached = _cache.get(identity.device_id)
        if cached is not None and cached[0] == identity:
            return cached
        return _loaded(home or home_of(conn), identity)
    home = home or home_of(conn)
    if not conn.in_transaction:
        raise EvidenceError("Internal error: the device key is made only inside a write transaction.",
                            code="device_key")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with _cache_lock:
        _set_aside_orphan(home)
        key = Ed25519PrivateKey.generate()
        storage = _store(home, DEVICE_KEY_NAME, _pem(key))
        raw = _raw_public(key)
        identity = DeviceIdentity(hashlib.sha256(raw).hexdigest(), raw, storage, utcnow())
        conn.execute("INSERT INTO device (id, device_id, public_key, storage, created_at) VALUES (1, ?, ?, ?, ?)",
                     (identity.device_id, identity.public_b64url, identity.storage, identity.created_at))
        _cache[identity.device_id] = (identity, key)
    return identity, key


def _loaded(home: Home, identity: DeviceIdentity) -> tuple[DeviceIdentity, Ed25519PrivateKey]:
    cached = _cache.get(identity.device_id)
    if cached is not None and cached[0] == identity:
        return cached
    with _cache_lock:
        key = _read_key(home, identity.storage)
        if key is None:
            raise EvidenceError(
                f"This laptop's device key ({identity.short_id}) is missing from "
                + ("the OS keyring." if identity.storage == "keyring" else f"{home.keys}."),
                "Restore the keys folder from a backup of this data folder; new evidence cannot be "
                "signed without it.", code="device_key")
        if _raw_public(key) != identity.public_key:
            raise EvidenceError(f"The device key found does not belong to device {identity.short_id}.",
                                "Restore this data folder's own keys folder from a backup.", code="device_key")
        _cache[identity.device_id] = (identity, key)
        return identity, key


def stored_public_key(home: Home, identity: DeviceIdentity) -> bytes | None:
    """The raw public half of the private key actually kept for ``identity`` (None when it cannot be
    read): lets a check notice a device table that was swapped for another key's."""
    try:
        key = _read_key(home, identity.storage)
    except EvidenceError:
        return None
    return _raw_public(key) if key is not None else None


def _set_aside_orphan(home: Home) -> None:
    """A key with no device row (the database was replaced, or a first run died before committing) is
    never reused for a new chain: the hub may hold records it signed. It is kept aside, not deleted."""
    stamp = utcnow().replace(":", "").replace("-", "")
    path = _secret_path(home, DEVICE_KEY_NAME)
    if path.exists():
        try:
            os.replace(path, path.with_name(f"{path.name}.orphan-{stamp}"))
        except OSError as exc:
            raise EvidenceError(f"An old device key {path} is in the way and cannot be moved ({exc.strerror}).",
                                "Move it out of the keys folder by hand, then try again.", code="device_key") from exc
    ring = _keyring()
    if ring is not None:
        old = _load(home, DEVICE_KEY_NAME)
        if old is not None:
            _store(home, f"{DEVICE_KEY_NAME}-orphan-{stamp.lower()}", old)


def forget_cached_keys() -> None:
    """Drop the cached private keys (after a data folder was restored, and in tests)."""
    with _cache_lock:
        _cache.clear()
