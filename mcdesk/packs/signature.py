"""manifest.sig: the Ed25519 signature over the exact manifest bytes, and its check against trust."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcdesk.errors import PackError
from mcdesk.keys import b64url, b64url_decode, key_id, short_id, verify
from mcdesk.packs.manifest import SHA256_RE, SIGNATURE_NAME, load_json

if TYPE_CHECKING:  # cryptography loads when a key is used, not when this module is imported
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mcdesk.packs.trust import TrustedKey, TrustStore


@dataclass(frozen=True)
class Signature:
    key_id: str
    value: bytes


def make_signature(manifest_bytes: bytes, key: Ed25519PrivateKey) -> bytes:
    body = {
        "alg": "Ed25519",
        "format": 1,
        "key_id": key_id(key.public_key()),
        "signature": b64url(key.sign(manifest_bytes)),
    }
    return (json.dumps(body, sort_keys=True) + "\n").encode()


def parse_signature(data: bytes) -> Signature:
    raw = load_json(data, SIGNATURE_NAME)
    if not isinstance(raw, dict) or set(raw) != {"alg", "format", "key_id", "signature"}:
        raise PackError(f"{SIGNATURE_NAME}: expected exactly the keys alg, format, key_id, signature.",
                        "Rebuild the pack with `mcdesk pack build`.")
    if raw["format"] != 1 or raw["alg"] != "Ed25519":
        raise PackError(f"{SIGNATURE_NAME}: only format 1 with alg Ed25519 is supported.")
    kid = raw["key_id"]
    if not isinstance(kid, str) or not SHA256_RE.match(kid):
        raise PackError(f"{SIGNATURE_NAME}: key_id is not 64 lowercase hex digits.")
    try:
        value = b64url_decode(raw["signature"])
    except ValueError as exc:
        raise PackError(f"{SIGNATURE_NAME}: the signature is not base64url.") from exc
    if len(value) != 64:
        raise PackError(f"{SIGNATURE_NAME}: an Ed25519 signature is 64 bytes, this one is {len(value)}.")
    return Signature(kid, value)


def check_signature(manifest_bytes: bytes, sig: Signature, trust: TrustStore) -> TrustedKey:
    """The trusted key that made ``sig`` over ``manifest_bytes``; PackError otherwise."""
    trusted = trust.get(sig.key_id)
    if trusted is None:
        raise PackError(
            f"The pack is signed by a key that is not trusted here ({short_id(sig.key_id)}).",
            "If you trust this publisher, add their public key with `mcdesk trust add`; "
            "otherwise do not install the pack.",
        )
    if not verify(trusted.public_key, sig.value, manifest_bytes):
        raise PackError(
            f"The signature does not match the manifest (key {trusted.name!r}): the pack was changed "
            "after it was signed.",
            "Do not install it; get a fresh copy from the publisher.",
        )
    return trusted
