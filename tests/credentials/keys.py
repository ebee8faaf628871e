"""Test helpers: one RSA issuer key per test session (2048-bit generation is slow), a sample credential,
and a raw RS256 signer that can sign whatever payload a refusal test needs."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from mcdesk.credentials import jwk, ob3, statuslist

ISSUER = "https://hub.example.org/ob/v3p0/issuer"
LIST_URL = "https://hub.example.org/ob/v3p0/status/1"


_KEYS: dict[int, rsa.RSAPrivateKey] = {}


def issuer_key(n: int = 0) -> rsa.RSAPrivateKey:
    """The n-th session-wide RSA-2048 key."""
    if n not in _KEYS:
        _KEYS[n] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[n]


def kid(n: int = 0) -> str:
    return jwk.key_id(issuer_key(n).public_key())


def jwks(*ns: int) -> list[dict[str, Any]]:
    return [jwk.rsa_public_jwk(issuer_key(n).public_key()) for n in (ns or (0,))]


def sample_credential(**changes: Any) -> dict[str, Any]:
    achievement_id = "https://hub.example.org/ob/v3p0/achievements/org.example.test/basics"
    achievement = ob3.build_achievement(
        achievement_id, name="Basics", description="Knows the basics.", narrative="Pass the check.",
        skills=[{"name": "Technological literacy", "framework": "WEF", "url": "https://example.org/skills/tl"},
                {"name": "Reading"}],
        hours=6, result_descriptions=[ob3.pass_result_description(achievement_id, "Passed")])
    values: dict[str, Any] = {
        "credential_id": "urn:uuid:2f1c6a0e-9d7b-4a51-8d2f-1b2c3d4e5f60",
        "issuer": ob3.issuer_profile(ISSUER, "Example College", url="https://example.org"),
        "subject_id": "urn:uuid:8b6d0d8e-0f0e-4c55-9a31-6f4d2c1b0a99",
        "achievement": achievement, "valid_from": "2025-03-01T10:00:00Z",
        "identifier": [ob3.identity_object("S-1234", "pepper")],
        "result": [ob3.status_result(achievement_id + "#result")],
        "credential_status": statuslist.entry(LIST_URL, 7),
    }
    values.update(changes)
    return ob3.build_credential(**values)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_jwt(header: dict[str, Any], payload: dict[str, Any], key: rsa.RSAPrivateKey | None = None) -> str:
    """A JWT with exactly this header and payload, RS256-signed by ``key`` (issuer key 0 by default)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = (key or issuer_key()).sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}"


def tampered(jwt: str) -> str:
    """The same token with the credential's name changed in its payload (the signature left as it was)."""
    head, payload, sig = jwt.split(".")
    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    doc["name"] = "Master of Everything"
    return ".".join([head, jwk.b64url(json.dumps(doc).encode()), sig])
