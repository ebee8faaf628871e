"""RSA public keys as JSON Web Keys (RFC 7517/7518) with RFC 7638 thumbprints as key ids; JWK Sets."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from mcdesk.errors import CredentialError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

MIN_RSA_BITS = 2048
MAX_RSA_BITS = 8192
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_PUBLIC_KEYS: dict[tuple[str, str], RSAPublicKey] = {}  # (n, e) -> key: a wallet checks many credentials


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, what: str) -> bytes:
    """base64url without padding; anything else is a ``malformed`` CredentialError naming ``what``.
    (Checked in C: a credential's payload is several KB and the wallet verifies many.)"""
    if not isinstance(text, str) or not text or len(text) % 4 == 1 or "+" in text or "/" in text or "=" in text:
        raise CredentialError(f"The {what} is not base64url.", code="malformed")
    try:
        data = (text + "=" * (-len(text) % 4)).encode("ascii").translate(_TO_STANDARD)
        return binascii.a2b_base64(data, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise CredentialError(f"The {what} is not base64url.", code="malformed") from exc


def _uint(value: int) -> str:
    return b64url(value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint of an RSA JWK: base64url SHA-256 of {"e","kty","n"} as compact sorted JSON."""
    import hashlib  # loads OpenSSL: only when a hash is computed, never on the app's start path

    members = {"e": jwk["e"], "kty": jwk["kty"], "n": jwk["n"]}
    text = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(text.encode("utf-8")).digest())


def rsa_public_jwk(public_key: RSAPublicKey, kid: str | None = None) -> dict[str, Any]:
    """The public JWK {"kty": "RSA", "n", "e", "kid", "alg": "RS256", "use": "sig"}; ``kid`` defaults to
    (and should be) the key's RFC 7638 thumbprint."""
    numbers = public_key.public_numbers()
    jwk: dict[str, Any] = {"kty": "RSA", "n": _uint(numbers.n), "e": _uint(numbers.e)}
    jwk["kid"] = kid if kid is not None else thumbprint(jwk)
    jwk["alg"] = "RS256"
    jwk["use"] = "sig"
    return jwk


def key_id(public_key: RSAPublicKey) -> str:
    """The RFC 7638 thumbprint of ``public_key``: the kid the hub gives its issuer keys."""
    return rsa_public_jwk(public_key)["kid"]


def rsa_public_from_jwk(jwk: dict[str, Any]) -> RSAPublicKey:
    """The RSA public key a JWK describes; refuses other key types, private members, keys marked for
    another algorithm or use, and moduli outside 2048..8192 bits."""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

    if not isinstance(jwk, dict):
        raise CredentialError("The issuer key is not a JSON object.", code="bad_key")
    if jwk.get("kty") != "RSA":
        raise CredentialError(f"The issuer key type is {jwk.get('kty')!r}; only 'RSA' is accepted.", code="bad_key")
    if any(member in jwk for member in ("d", "p", "q", "dp", "dq", "qi")):
        raise CredentialError("The issuer key holds private members; a JWK Set publishes public keys only.",
                              "Publish the public key alone and treat the private key as exposed.", code="bad_key")
    if jwk.get("alg", "RS256") != "RS256" or jwk.get("use", "sig") != "sig":
        raise CredentialError("The issuer key is marked for another algorithm or use than RS256 signatures.",
                              code="bad_key")
    cached = _PUBLIC_KEYS.get((jwk.get("n"), jwk.get("e")))  # type: ignore[arg-type]
    if cached is not None:
        return cached
    n = int.from_bytes(b64url_decode(jwk.get("n"), "key modulus (n)"), "big")
    e = int.from_bytes(b64url_decode(jwk.get("e"), "key exponent (e)"), "big")
    if not MIN_RSA_BITS <= n.bit_length() <= MAX_RSA_BITS:
        raise CredentialError(f"The issuer key is {n.bit_length()} bits; {MIN_RSA_BITS} to {MAX_RSA_BITS} bits "
                              "are accepted.", code="bad_key")
    if e < 3 or e % 2 == 0:
        raise CredentialError("The issuer key's public exponent is not usable.", code="bad_key")
    try:
        key = RSAPublicNumbers(e, n).public_key()
    except ValueError as exc:
        raise CredentialError("The issuer key is not a usable RSA public key.", code="bad_key") from exc
    if len(_PUBLIC_KEYS) < 256:
        _PUBLIC_KEYS[(jwk["n"], jwk["e"])] = key
    return key


def jwk_set(jwks: list[dict[str, Any]]) -> dict[str, Any]:
    """The JWK Set document {"keys": [...]} served at /.well-known/jwks.json."""
    return {"keys": list(jwks)}


def keys_of(jwk_set_or_list: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The list of keys of a JWK Set document, or the list itself; anything else is refused."""
    keys = jwk_set_or_list.get("keys") if isinstance(jwk_set_or_list, dict) else jwk_set_or_list
    if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
        raise CredentialError("The JWK Set is not a list of keys.", "Give the JWK Set the hub publishes at "
                              "/.well-known/jwks.json.", code="bad_key")
    return keys
