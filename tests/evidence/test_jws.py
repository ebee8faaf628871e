"""Compact JWS (EdDSA): round trip, strict parsing, and a check made with cryptography alone."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import EvidenceError
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import MAX_COMPACT_CHARS, b64url, parse_compact, sign_compact, verify_compact
from tests.evidence.helpers import DEVICE_ID, KEY

TYP = "mcdesk-evidence+jws"
PAYLOAD = canonical({"hello": "wörld", "n": 1})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _forge(header: object, payload: bytes = PAYLOAD, key: Ed25519PrivateKey = KEY, raw_header: bytes | None = None
           ) -> str:
    protected = raw_header if raw_header is not None else canonical(header)
    signing_input = f"{_b64(protected)}.{_b64(payload)}"
    return f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"


def test_a_signed_jws_verifies_and_gives_back_header_and_payload() -> None:
    jws = sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP)
    parsed = verify_compact(jws, KEY.public_key(), typ=TYP, kid=DEVICE_ID)
    assert parsed.header == {"alg": "EdDSA", "kid": DEVICE_ID, "typ": TYP}
    assert parsed.payload_bytes == PAYLOAD
    assert parsed.signing_input == jws.rsplit(".", 1)[0].encode()
    assert verify_compact(jws, KEY.public_key().public_bytes_raw()).payload_bytes == PAYLOAD


def test_the_jws_checks_out_with_cryptography_alone() -> None:
    jws = sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP)
    head, body, sig = jws.split(".")
    assert "=" not in jws
    assert _unb64(head) == ('{"alg":"EdDSA","kid":"' + DEVICE_ID + '","typ":"mcdesk-evidence+jws"}').encode()
    assert _unb64(body) == '{"hello":"wörld","n":1}'.encode()
    KEY.public_key().verify(_unb64(sig), f"{head}.{body}".encode("ascii"))  # raises if wrong


def test_an_altered_payload_fails_the_signature() -> None:
    head, _, sig = sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP).split(".")
    altered = f"{head}.{b64url(canonical({'hello': 'world', 'n': 2}))}.{sig}"
    with pytest.raises(EvidenceError) as info:
        verify_compact(altered, KEY.public_key())
    assert info.value.code == "bad_signature"


def test_another_key_fails_the_signature() -> None:
    jws = sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP)
    with pytest.raises(EvidenceError, match="signature does not match"):
        verify_compact(jws, Ed25519PrivateKey.generate().public_key())


def test_a_wrong_type_or_key_id_is_refused() -> None:
    jws = sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP)
    with pytest.raises(EvidenceError, match="type"):
        verify_compact(jws, KEY.public_key(), typ="mcdesk-sync-reply+jws")
    with pytest.raises(EvidenceError, match="another device or key"):
        verify_compact(jws, KEY.public_key(), kid="0" * 64)


def test_a_public_key_of_the_wrong_length_is_refused() -> None:
    jws = sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP)
    with pytest.raises(EvidenceError, match="32 bytes"):
        verify_compact(jws, b"\x00" * 31)


@pytest.mark.parametrize(("header", "match"), [
    ({"alg": "none", "kid": DEVICE_ID, "typ": TYP}, "only 'EdDSA'"),
    ({"alg": "HS256", "kid": DEVICE_ID, "typ": TYP}, "only 'EdDSA'"),
    ({"alg": "EdDSA", "kid": DEVICE_ID}, "exactly alg, kid and typ"),
    ({"alg": "EdDSA", "kid": DEVICE_ID, "typ": TYP, "crit": ["b64"]}, "exactly alg, kid and typ"),
    ({"alg": "EdDSA", "kid": DEVICE_ID.upper(), "typ": TYP}, "kid"),
    ({"alg": "EdDSA", "kid": 7, "typ": TYP}, "kid"),
    ({"alg": "EdDSA", "kid": DEVICE_ID, "typ": ""}, "typ"),
    (["alg", "EdDSA"], "exactly alg, kid and typ"),
])
def test_a_header_other_than_exactly_eddsa_kid_typ_is_refused(header: object, match: str) -> None:
    with pytest.raises(EvidenceError, match=match) as info:
        parse_compact(_forge(header))
    assert info.value.code == "bad_header"


def test_a_header_that_is_not_canonical_json_is_refused() -> None:
    raw = ('{"typ":"' + TYP + '","kid":"' + DEVICE_ID + '","alg":"EdDSA"}').encode()
    with pytest.raises(EvidenceError, match="canonical") as info:
        parse_compact(_forge(None, raw_header=raw))
    assert info.value.code == "not_canonical"


def _good() -> str:
    return sign_compact(KEY, DEVICE_ID, PAYLOAD, TYP)


@pytest.mark.parametrize(("make", "match"), [
    (lambda: _good() + ".x", "three parts"),
    (lambda: _good().rsplit(".", 1)[0], "three parts"),
    (lambda: _good() + "==", "signature of the JWS is not base64url"),
    (lambda: _good().replace(".", "+.", 1), "header of the JWS is not base64url"),
    (lambda: _good()[:-1] + {"A": "B"}.get(_good()[-1], "A"), "canonical base64url|signature does not match"),
    (lambda: _good().rsplit(".", 1)[0] + "." + _b64(b"\x01" * 63), "64 bytes"),
    (lambda: _good().split(".")[0] + ".@@." + _good().split(".")[2], "payload of the JWS is not base64url"),
    (lambda: "a" * (MAX_COMPACT_CHARS + 1), "characters long"),
])
def test_malformed_compact_text_is_refused(make, match: str) -> None:  # noqa: ANN001
    with pytest.raises(EvidenceError, match=match):
        verify_compact(make(), KEY.public_key())


def test_base64url_with_non_zero_spare_bits_is_refused_so_one_jws_has_one_spelling() -> None:
    head, body, sig = _good().split(".")
    # 64 signature bytes -> 86 characters; the last one carries 4 spare bits that must be zero.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(sig[-1])
    twin = sig[:-1] + alphabet[last | 1]
    assert _unb64(twin) == _unb64(sig)
    with pytest.raises(EvidenceError, match="canonical base64url"):
        parse_compact(f"{head}.{body}.{twin}")


def test_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(EvidenceError, match="not text"):
        parse_compact(b"abc")  # type: ignore[arg-type]


def test_a_larger_limit_can_be_given_for_large_signed_documents() -> None:
    big = canonical({"items": ["x" * 100] * 1000})
    jws = sign_compact(KEY, DEVICE_ID, big, "mcdesk-sync-reply+jws")
    with pytest.raises(EvidenceError, match="characters long"):
        parse_compact(jws)
    assert verify_compact(jws, KEY.public_key(), max_chars=10 * MAX_COMPACT_CHARS).payload_bytes == big
