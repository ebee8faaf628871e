"""VC-JWT (RS256) for Open Badges 3.0: the JWT payload is the credential itself plus iss, jti, nbf, sub, exp.

Signing and strict offline verification against a JWK Set. Any JOSE library verifies what this signs.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mcdesk.credentials import jwk as jwkmod
from mcdesk.credentials.ob3 import issuer_id, parse_timestamp, subject_id
from mcdesk.errors import CredentialError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

ALG = "RS256"
TYP = "JWT"
REGISTERED_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")
MAX_TOKEN_CHARS = 262_144  # a credential is a few KB; a status list credential about 1 KB
LEEWAY_SECONDS = 300  # clocks drift: a credential counts as expired five minutes after its exp
# Lab laptops' clocks are often hours off (no network time): a credential just issued by the hub is not
# refused as "not valid yet" unless its nbf is more than a day ahead of this computer's clock.
NBF_LEEWAY_SECONDS = 86_400


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def epoch(timestamp: str, what: str) -> int:
    """Whole seconds since 1970 of an XML Schema dateTime with a time zone."""
    return int(parse_timestamp(timestamp, what).timestamp())


def claims_for(credential: dict[str, Any]) -> dict[str, Any]:
    """The registered claims the VC-JWT carries beside the credential's own members."""
    iss = issuer_id(credential)
    if not iss or not isinstance(credential.get("id"), str):
        raise CredentialError("The credential has no issuer id or no id; it cannot be signed.", code="not_a_credential")
    claims: dict[str, Any] = {"iss": iss, "jti": credential["id"],
                              "nbf": epoch(credential.get("validFrom"), "validFrom")}
    sub = subject_id(credential)
    if sub:
        claims["sub"] = sub
    if credential.get("validUntil") is not None:
        claims["exp"] = epoch(credential["validUntil"], "validUntil")
    return claims


def sign_vc_jwt(private_key: RSAPrivateKey, kid: str, credential: dict[str, Any]) -> str:
    """The compact VC-JWT: header {"alg": "RS256", "typ": "JWT", "kid": kid}, payload = credential + claims,
    RSASSA-PKCS1-v1_5 with SHA-256 over ``b64url(header) "." b64url(payload)``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    clash = [claim for claim in REGISTERED_CLAIMS if claim in credential]
    if clash:
        raise CredentialError(f"The credential already holds JWT claim(s) {clash}; pass the credential alone.",
                              code="not_a_credential")
    payload = {**credential, **claims_for(credential)}
    header = {"alg": ALG, "typ": TYP, "kid": kid}
    signing_input = f"{jwkmod.b64url(_json_bytes(header))}.{jwkmod.b64url(_json_bytes(payload))}"
    signature = private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{jwkmod.b64url(signature)}"


def _split(token: Any) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    if not isinstance(token, str):
        raise CredentialError("The credential is not text (a compact JWT).", code="malformed")
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise CredentialError(f"The JWT is {len(token)} characters long; at most {MAX_TOKEN_CHARS} are accepted.",
                              code="malformed")
    parts = token.split(".")
    if len(parts) != 3:
        raise CredentialError(f"A compact JWT has three parts separated by dots; this has {len(parts)}.",
                              "Give the whole VC-JWT text (it starts with 'eyJ').", code="malformed")
    header = _json_part(parts[0], "header")
    payload = _json_part(parts[1], "payload")
    signature = jwkmod.b64url_decode(parts[2], "JWT signature") if parts[2] else b""
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def _json_part(text: str, what: str) -> dict[str, Any]:
    raw = jwkmod.b64url_decode(text, f"JWT {what}")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CredentialError(f"The JWT {what} is not JSON.", code="malformed") from exc
    if not isinstance(value, dict):
        raise CredentialError(f"The JWT {what} is not a JSON object.", code="malformed")
    return value


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a compact JWT, for display and key lookup only: nothing is checked or trusted."""
    header, payload, _, _ = _split(token)
    return header, payload


def credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential object of a VC-JWT payload: the payload without the registered JWT claims."""
    return {key: value for key, value in payload.items() if key not in REGISTERED_CLAIMS}


def verify_vc_jwt(token: str, jwks: list[dict[str, Any]] | dict[str, Any], now: float | datetime | None = None,
                  *, expected_issuer: str | None = None, leeway: int = LEEWAY_SECONDS,
                  nbf_leeway: int = NBF_LEEWAY_SECONDS) -> dict[str, Any]:
    """Check a VC-JWT offline and return its credential (the payload without the JWT claims).

    RS256 only (``none``, HS256 and every other alg are refused), the ``kid`` must name a key of ``jwks``
    (a list of JWKs or a JWK Set), the signature must match, ``nbf`` must have passed and ``exp`` (when
    present) not yet (within ``nbf_leeway`` / ``leeway`` seconds of clock error), and iss/jti/sub must
    equal issuer.id/id/credentialSubject.id (and iss must equal ``expected_issuer`` when given).
    Raises CredentialError with ``code`` saying which check failed.
    """
    header, payload, signing_input, signature = _split(token)
    key = _key_for(header, jwks)
    _check_signature(key, signing_input, signature)
    _check_times(payload, _now(now), leeway, nbf_leeway)
    _check_claims(payload)
    if expected_issuer is not None and payload["iss"] != expected_issuer:
        raise CredentialError(f"The credential was issued by {payload['iss']!r}, not by {expected_issuer!r}.",
                              "It comes from another issuer than the one expected.", code="wrong_issuer")
    return credential_of(payload)


def _key_for(header: dict[str, Any], jwks: list[dict[str, Any]] | dict[str, Any]) -> RSAPublicKey:
    alg = header.get("alg")
    if alg != ALG:
        raise CredentialError(f"The JWT algorithm is {alg!r}; only {ALG!r} is accepted.",
                              "Do not trust this credential: it was not signed the way the issuer signs.",
                              code="bad_alg")
    if "crit" in header:
        raise CredentialError("The JWT header has critical extensions this verifier does not know.", code="bad_alg")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise CredentialError("The JWT header names no key (kid).", code="unknown_kid")
    for candidate in jwkmod.keys_of(jwks):
        if candidate.get("kid") == kid:
            return jwkmod.rsa_public_from_jwk(candidate)
    raise CredentialError(f"The credential was signed with key {kid[:16]}…, which is not one of the issuer's keys.",
                          "Refresh the issuer's keys (sync, or fetch its JWK Set); if it is still unknown, do not "
                          "trust the credential.", code="unknown_kid")


def _check_signature(key: RSAPublicKey, signing_input: bytes, signature: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise CredentialError("The credential's signature does not match: it was altered after it was issued, or "
                              "signed by someone else.", "Do not trust this credential.", code="bad_signature") from exc


def _now(now: float | datetime | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


def _check_times(payload: dict[str, Any], now: float, leeway: int, nbf_leeway: int) -> None:
    nbf = payload.get("nbf")
    if isinstance(nbf, bool) or not isinstance(nbf, int | float):
        raise CredentialError("The JWT has no valid-from time (nbf).", code="malformed")
    if nbf > now + nbf_leeway:
        raise CredentialError(f"The credential is not valid yet (valid from {_date(nbf)}).",
                              "Check this computer's clock; otherwise wait until then.", code="not_yet_valid")
    exp = payload.get("exp")
    if exp is not None:
        if isinstance(exp, bool) or not isinstance(exp, int | float):
            raise CredentialError("The JWT expiry (exp) is not a number.", code="malformed")
        if exp <= now - leeway:
            raise CredentialError(f"The credential expired on {_date(exp)}.", code="expired")
    if "validFrom" in payload and epoch(payload["validFrom"], "validFrom") != int(nbf):
        raise CredentialError("The JWT nbf does not match the credential's validFrom.", code="claim_mismatch")
    if "validUntil" in payload and (exp is None or epoch(payload["validUntil"], "validUntil") != int(exp)):
        raise CredentialError("The JWT exp does not match the credential's validUntil.", code="claim_mismatch")


def _date(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))


def _check_claims(payload: dict[str, Any]) -> None:
    types = payload.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise CredentialError("The JWT payload is not a Verifiable Credential (its type lacks VerifiableCredential).",
                              code="not_a_credential")
    checks = (("iss", issuer_id(payload), "issuer id"), ("jti", payload.get("id"), "credential id"),
              ("sub", subject_id(payload), "subject id"))
    for claim, expected, what in checks:
        if claim == "sub" and expected is None and "sub" not in payload:
            continue
        if payload.get(claim) != expected or expected is None:
            raise CredentialError(f"The JWT claim {claim} ({payload.get(claim)!r}) does not match the credential's "
                                  f"{what} ({expected!r}).", "Do not trust this credential.", code="claim_mismatch")
