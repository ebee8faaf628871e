"""Ed25519 keys: making, saving, loading, key ids, signing and checking signatures."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mcdesk.errors import TrustError

# cryptography is imported inside the functions that use it: the desktop app's start never needs it.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MIN_PASSPHRASE = 8


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding; raises ValueError on anything else."""
    if not isinstance(text, str) or not text or any(c in text for c in "=+/ \n\r\t"):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """Lower-case hex SHA-256 of the 32 raw public-key bytes."""
    import hashlib  # loads OpenSSL: only when a key id is computed

    return hashlib.sha256(raw_public(key)).hexdigest()


def short_id(kid: str) -> str:
    return kid[:16]


def public_from_raw(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise TrustError(f"An Ed25519 public key is 32 bytes; this one is {len(raw)}.")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw)


@dataclass(frozen=True)
class KeyPairFiles:
    private: Path
    public: Path
    key_id: str


def new_key_pair(out_dir: Path, name: str, passphrase: str | None) -> KeyPairFiles:
    """Write NAME.key.pem (PKCS#8, encrypted when a passphrase is given) and NAME.pub.pem."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise TrustError(
            f"The passphrase is too short (at least {MIN_PASSPHRASE} characters).",
            "Choose a longer passphrase; it protects every pack you will sign.",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path = out_dir / f"{name}.key.pem"
    public_path = out_dir / f"{name}.pub.pem"
    for path in (private_path, public_path):
        if path.exists():
            raise TrustError(
                f"{path} already exists.", "Choose another --name or --out; keys are never overwritten."
            )
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase is not None
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    _write_new(private_path, pem, 0o600)
    _write_new(public_path, public_pem(key.public_key()), 0o644)
    return KeyPairFiles(private_path, public_path, key_id(key.public_key()))


def public_pem(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def load_private_key(path: Path, passphrase: str | None) -> Ed25519PrivateKey:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustError(f"The key file {path} cannot be read ({exc.strerror}).") from exc
    try:
        key = serialization.load_pem_private_key(
            data, password=passphrase.encode() if passphrase else None
        )
    except TypeError as exc:
        if passphrase:
            raise TrustError(f"The key file {path} is not encrypted, but a passphrase was given.") from exc
        raise TrustError(
            f"The key file {path} is encrypted.",
            "Give its passphrase at the prompt or in MCDESK_KEY_PASSPHRASE.",
        ) from exc
    except ValueError as exc:
        raise TrustError(
            f"The key file {path} cannot be opened: wrong passphrase, or not a PEM private key.",
            "Check the passphrase and that you gave the .key.pem file, not the .pub.pem.",
        ) from exc
    except UnsupportedAlgorithm as exc:
        raise TrustError(f"The key file {path} uses an unsupported algorithm.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise TrustError(f"The key in {path} is not an Ed25519 key.", "Make one with `mcdesk keys new`.")
    return key


def load_public_key(text_or_path: str) -> Ed25519PublicKey:
    """A public key from a PEM file, a PEM string, or base64url of the raw 32 bytes."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    data: bytes
    path = Path(text_or_path)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    if is_file:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TrustError(f"The public key file {path} cannot be read ({exc.strerror}).") from exc
    else:
        data = text_or_path.encode()
    if b"-----BEGIN" in data:
        if b"PRIVATE KEY" in data:
            raise TrustError(
                f"{text_or_path} holds a private key.",
                "Give the publisher's .pub.pem file; private keys never leave the author.",
            )
        try:
            key = serialization.load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise TrustError(f"{text_or_path} is not a readable PEM public key.") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise TrustError(f"The key in {text_or_path} is not an Ed25519 key.")
        return key
    try:
        raw = b64url_decode(data.decode("ascii").strip())
    except (ValueError, UnicodeDecodeError) as exc:
        raise TrustError(
            f"{text_or_path!r} is neither a public key file nor a base64url Ed25519 key.",
            "Give the path of the publisher's .pub.pem file.",
        ) from exc
    return public_from_raw(raw)


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
