"""Compact JWS with EdDSA (RFC 7515 + RFC 8037) over canonical JSON: signing, strict parsing, checking."""

from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcdesk.errors import EvidenceError
from mcdesk.evidence.jcs import canonical, loads_canonical

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG = "EdDSA"
HEADER_KEYS = frozenset({"alg", "kid", "typ"})
MAX_COMPACT_CHARS = 65_536  # an evidence record is about 1.5 KB; a sync reply may be larger
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_KID = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Parsed:
    """A compact JWS taken apart (not yet trusted unless it came from ``verify_compact``)."""

    header: dict[str, Any]
    payload_bytes: bytes
    signing_input: bytes  # ASCII of b64url(protected) "." b64url(payload): what the signature covers
    signature: bytes


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode_strict(text: str, what: str) -> bytes:
    """base64url without padding, and only its one canonical spelling (so one JWS has one text and
    one record hash): stray characters, padding or non-zero spare bits are refused."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise EvidenceError(f"The {what} of the JWS is not base64url.", code="malformed")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise EvidenceError(f"The {what} of the JWS is not base64url.", code="malformed") from exc
    if b64url(data) != text:
        raise EvidenceError(f"The {what} of the JWS is not in canonical base64url.", code="malformed")
    return data


def sign_compact(private_key: Ed25519PrivateKey, kid: str, payload_bytes: bytes, typ: str) -> str:
    """``b64url(header) "." b64url(payload) "." b64url(Ed25519 signature)``; the header is the
    canonical JSON of {"alg": "EdDSA", "kid": kid, "typ": typ}."""
    signing_input = f"{_protected(kid, typ)}.{b64url(payload_bytes)}"
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


@functools.lru_cache(maxsize=32)
def _protected(kid: str, typ: str) -> str:
    """b64url of the canonical header; one device signs every record with the same one."""
    return b64url(canonical({"alg": ALG, "kid": kid, "typ": typ}))


def parse_compact(text: str, *, max_chars: int = MAX_COMPACT_CHARS) -> Parsed:
    """Take a compact JWS apart, refusing anything but our exact form: at most ``max_chars``
    characters, three canonical base64url parts, a canonical JSON header holding exactly alg EdDSA,
    a 64-hex kid and a typ, a 64-byte signature. Nothing is trusted yet."""
    if not isinstance(text, str):
        raise EvidenceError("The JWS is not text.", code="malformed")
    if len(text) > max_chars:
        raise EvidenceError(f"The JWS is {len(text)} characters long; at most {max_chars} are allowed.",
                            code="malformed")
    parts = text.split(".")
    if len(parts) != 3:
        raise EvidenceError(f"A compact JWS has three parts separated by dots; this has {len(parts)}.",
                            code="malformed")
    protected_b64, payload_b64, signature_b64 = parts
    protected = b64url_decode_strict(protected_b64, "header")
    payload = b64url_decode_strict(payload_b64, "payload")
    signature = b64url_decode_strict(signature_b64, "signature")
    header = loads_canonical(protected, "The JWS header")
    if not isinstance(header, dict) or set(header) != HEADER_KEYS:
        keys = sorted(header) if isinstance(header, dict) else type(header).__name__
        raise EvidenceError(f"The JWS header must hold exactly alg, kid and typ; it holds {keys}.",
                            code="bad_header")
    if header["alg"] != ALG:
        raise EvidenceError(f"The JWS algorithm is {header['alg']!r}; only {ALG!r} is accepted.", code="bad_header")
    if not isinstance(header["kid"], str) or not _KID.fullmatch(header["kid"]):
        raise EvidenceError("The JWS key id (kid) is not 64 lower-case hex characters.", code="bad_header")
    if not isinstance(header["typ"], str) or not header["typ"]:
        raise EvidenceError("The JWS type (typ) is missing.", code="bad_header")
    if len(signature) != 64:
        raise EvidenceError(f"An Ed25519 signature is 64 bytes; this one is {len(signature)}.", code="malformed")
    return Parsed(header, payload, f"{protected_b64}.{payload_b64}".encode("ascii"), signature)


def verify_compact(text: str, public_key: Ed25519PublicKey | bytes, *, typ: str | None = None,
                   kid: str | None = None, max_chars: int = MAX_COMPACT_CHARS) -> Parsed:
    """``parse_compact``, then check the Ed25519 signature with ``public_key`` (an Ed25519PublicKey
    or its 32 raw bytes); when given, the header's typ and kid must equal ``typ`` and ``kid``."""
    parsed = parse_compact(text, max_chars=max_chars)
    if typ is not None and parsed.header["typ"] != typ:
        raise EvidenceError(f"The JWS type is {parsed.header['typ']!r}, not {typ!r}.", code="bad_header")
    if kid is not None and parsed.header["kid"] != kid:
        raise EvidenceError(f"The JWS was signed by key {parsed.header['kid'][:16]}…, not {kid[:16]}….",
                            "It was made by another device or key.", code="bad_signature")
    from cryptography.exceptions import InvalidSignature

    if isinstance(public_key, bytes | bytearray):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if len(public_key) != 32:
            raise EvidenceError(f"An Ed25519 public key is 32 bytes; this one is {len(public_key)}.",
                                code="bad_signature")
        public_key = Ed25519PublicKey.from_public_bytes(bytes(public_key))
    try:
        public_key.verify(parsed.signature, parsed.signing_input)
    except InvalidSignature as exc:
        raise EvidenceError("The signature does not match: the JWS was altered or signed with another key.",
                            "Do not trust this record; it is not what the device signed.",
                            code="bad_signature") from exc
    return parsed
