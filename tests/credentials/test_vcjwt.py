"""VC-JWT signing and strict offline verification: the round trip, another JOSE library agreeing, and
every refusal (altered, alg none/HS256, unknown kid, expired, not yet valid, mismatched claims)."""

from __future__ import annotations

import hashlib
import hmac
import json

import jwt as pyjwt
import pytest

from mcdesk.credentials import jwk, vcjwt
from mcdesk.errors import CredentialError
from tests.credentials.keys import ISSUER, b64, issuer_key, jwks, kid, raw_jwt, sample_credential

NOW = 1_750_000_000  # 2025-06-15: after the sample's validFrom


def signed(credential: dict | None = None, n: int = 0) -> str:
    return vcjwt.sign_vc_jwt(issuer_key(n), kid(n), credential or sample_credential())


def refused(token: str, code: str, keys: list | None = None, now: float = NOW) -> CredentialError:
    with pytest.raises(CredentialError) as info:
        vcjwt.verify_vc_jwt(token, keys if keys is not None else jwks(), now=now)
    assert info.value.code == code, info.value
    assert info.value.message
    return info.value


def test_signed_credential_verifies_and_returns_the_credential_without_jwt_claims() -> None:
    credential = sample_credential()
    assert vcjwt.verify_vc_jwt(signed(credential), jwks(), now=NOW) == credential


def test_header_and_payload_follow_the_ob3_vc_jwt_form() -> None:
    credential = sample_credential()
    header, payload = vcjwt.decode_unverified(signed(credential))
    assert header == {"alg": "RS256", "typ": "JWT", "kid": kid()}
    assert "vc" not in payload
    assert payload["iss"] == ISSUER == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == credential["credentialSubject"]["id"]
    assert payload["nbf"] == 1_740_823_200  # 2025-03-01T10:00:00Z
    assert "exp" not in payload
    assert vcjwt.credential_of(payload) == credential


def test_valid_until_becomes_exp() -> None:
    token = signed(sample_credential(valid_until="2026-03-01T10:00:00Z"))
    assert vcjwt.decode_unverified(token)[1]["exp"] == 1_772_359_200


def test_another_jose_library_verifies_what_we_sign() -> None:
    token = signed()
    key = pyjwt.PyJWK(jwks()[0]).key
    payload = pyjwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})
    assert payload["jti"] == sample_credential()["id"]


def test_we_verify_what_another_jose_library_signs() -> None:
    from cryptography.hazmat.primitives import serialization

    credential = sample_credential()
    payload = {**credential, **vcjwt.claims_for(credential)}
    pem = issuer_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    token = pyjwt.encode(payload, pem, algorithm="RS256", headers={"kid": kid()})
    assert vcjwt.verify_vc_jwt(token, {"keys": jwks()}, now=NOW) == credential


def test_any_key_of_the_set_verifies() -> None:
    assert vcjwt.verify_vc_jwt(signed(n=1), jwks(0, 1), now=NOW)["id"] == sample_credential()["id"]


def test_altered_payload_is_refused() -> None:
    header, payload, signature = signed().split(".")
    changed = json.loads(vcjwt.jwkmod.b64url_decode(payload, "payload"))
    changed["credentialSubject"]["achievement"]["name"] = "Advanced"
    refused(f"{header}.{b64(json.dumps(changed).encode())}.{signature}", "bad_signature")


def test_signature_of_another_key_under_a_known_kid_is_refused() -> None:
    header, payload, _ = signed().split(".")
    other = signed(n=1).split(".")[2]
    refused(f"{header}.{payload}.{other}", "bad_signature")


def test_alg_none_is_refused() -> None:
    credential = sample_credential()
    payload = {**credential, **vcjwt.claims_for(credential)}
    token = f"{b64(json.dumps({'alg': 'none', 'kid': kid()}).encode())}.{b64(json.dumps(payload).encode())}."
    refused(token, "bad_alg")


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    credential = sample_credential()
    payload = {**credential, **vcjwt.claims_for(credential)}
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'kid': kid()}).encode())}.{b64(json.dumps(payload).encode())}"
    secret = json.dumps(jwks()[0]).encode()
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    refused(f"{signing_input}.{b64(mac)}", "bad_alg")


def test_unknown_kid_is_refused() -> None:
    refused(signed(n=1), "unknown_kid", keys=jwks(0))


def test_missing_kid_is_refused() -> None:
    credential = sample_credential()
    refused(raw_jwt({"alg": "RS256"}, {**credential, **vcjwt.claims_for(credential)}), "unknown_kid")


def test_expired_credential_is_refused() -> None:
    token = signed(sample_credential(valid_until="2025-04-01T00:00:00Z"))
    error = refused(token, "expired")
    assert "2025-04-01" in error.message


def test_not_yet_valid_credential_is_refused() -> None:
    refused(signed(), "not_yet_valid", now=1_740_823_200 - 2 * 86_400)


def test_a_laptop_clock_hours_behind_still_accepts_a_fresh_credential() -> None:
    assert vcjwt.verify_vc_jwt(signed(), jwks(), now=1_740_823_200 - 6 * 3600)


def test_expiry_tolerates_five_minutes_of_clock_error_only() -> None:
    token = signed(sample_credential(valid_until="2025-04-01T00:00:00Z"))
    assert vcjwt.verify_vc_jwt(token, jwks(), now=1_743_465_600 + 60)
    refused(token, "expired", now=1_743_465_600 + 301)


@pytest.mark.parametrize("claim, value", [("iss", "https://evil.example/issuer"), ("jti", "urn:uuid:other"),
                                          ("sub", "urn:uuid:someone-else"), ("nbf", 1_740_000_000)])
def test_claim_that_disagrees_with_the_credential_is_refused(claim: str, value: object) -> None:
    credential = sample_credential()
    payload = {**credential, **vcjwt.claims_for(credential), claim: value}
    refused(raw_jwt({"alg": "RS256", "typ": "JWT", "kid": kid()}, payload), "claim_mismatch")


def test_expected_issuer_is_enforced() -> None:
    with pytest.raises(CredentialError) as info:
        vcjwt.verify_vc_jwt(signed(), jwks(), now=NOW, expected_issuer="https://other.example/issuer")
    assert info.value.code == "wrong_issuer"


def test_payload_that_is_not_a_verifiable_credential_is_refused() -> None:
    payload = {"iss": ISSUER, "jti": "x", "nbf": 1, "type": ["Something"], "id": "x", "issuer": ISSUER}
    refused(raw_jwt({"alg": "RS256", "kid": kid()}, payload), "not_a_credential")


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "!!.??.xx", 42,
                                   b64(b"[1]") + "." + b64(b"{}") + ".", b64(b"{}") + "." + b64(b"not json") + "."])
def test_malformed_token_is_refused(token: object) -> None:
    refused(token, "malformed")  # type: ignore[arg-type]


def test_credential_already_holding_jwt_claims_is_not_signed() -> None:
    with pytest.raises(CredentialError):
        vcjwt.sign_vc_jwt(issuer_key(), kid(), {**sample_credential(), "iss": ISSUER})


def test_jwk_set_with_a_private_key_member_is_refused() -> None:
    leaky = [{**jwks()[0], "d": "AQAB"}]
    refused(signed(), "bad_key", keys=leaky)


def test_kid_is_the_rfc7638_thumbprint() -> None:
    assert jwks()[0]["kid"] == jwk.thumbprint(jwks()[0]) == kid()
