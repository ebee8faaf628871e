"""RSA public JWKs: RFC 7638 thumbprints, the round trip, and refusal of keys that are not usable."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mcdesk.credentials import jwk
from mcdesk.errors import CredentialError
from tests.credentials.keys import issuer_key

RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjh"
    "Mstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL"
    "5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)


def test_thumbprint_matches_the_rfc7638_example() -> None:
    example = {"kty": "RSA", "n": RFC7638_N, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"}
    assert jwk.thumbprint(example) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_public_jwk_round_trips_to_the_same_key() -> None:
    public = issuer_key().public_key()
    made = jwk.rsa_public_jwk(public)
    assert made["kty"] == "RSA" and made["alg"] == "RS256" and made["use"] == "sig"
    assert made["e"] == "AQAB"
    assert jwk.rsa_public_from_jwk(made).public_numbers() == public.public_numbers()
    assert set(made) == {"kty", "n", "e", "kid", "alg", "use"}


@pytest.mark.parametrize("change", [
    {"kty": "EC"}, {"d": "AQAB"}, {"alg": "HS256"}, {"use": "enc"}, {"n": "not base64!"}, {"e": "AAAA"},
])
def test_unusable_jwk_is_refused(change: dict) -> None:
    good = jwk.rsa_public_jwk(issuer_key().public_key())
    with pytest.raises(CredentialError) as info:
        jwk.rsa_public_from_jwk({**good, **change})
    assert info.value.code in {"bad_key", "malformed"}


def test_short_rsa_key_is_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    with pytest.raises(CredentialError, match="1024 bits"):
        jwk.rsa_public_from_jwk(jwk.rsa_public_jwk(small))


def test_jwk_set_must_be_a_list_of_keys() -> None:
    assert jwk.keys_of({"keys": []}) == []
    for bad in ({"keys": "x"}, {"nokeys": []}, [1, 2]):
        with pytest.raises(CredentialError):
            jwk.keys_of(bad)  # type: ignore[arg-type]

