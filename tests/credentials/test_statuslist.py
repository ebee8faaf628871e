"""Bitstring Status List: the encoded list, bit order, the entry, and refusal of lists that are not usable."""

from __future__ import annotations

import base64
import gzip

import pytest

from mcdesk.credentials import statuslist
from mcdesk.errors import CredentialError
from tests.credentials.keys import ISSUER, LIST_URL, sample_credential


def _u(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_encoded_list_round_trips_and_starts_with_the_multibase_u() -> None:
    bits = statuslist.new_bits()
    statuslist.set_bit(bits, 0)
    statuslist.set_bit(bits, 131_071)
    encoded = statuslist.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert statuslist.decode(encoded) == bits


def test_index_zero_is_the_left_most_bit_of_the_first_byte() -> None:
    bits = statuslist.new_bits()
    statuslist.set_bit(bits, 0)
    statuslist.set_bit(bits, 9)
    assert bits[0] == 0x80 and bits[1] == 0x40
    assert statuslist.bit(bits, 0) and statuslist.bit(bits, 9) and not statuslist.bit(bits, 1)
    statuslist.set_bit(bits, 0, False)
    assert bits[0] == 0


def test_an_empty_minimum_list_is_small_on_the_wire() -> None:
    assert len(statuslist.encode(statuslist.new_bits())) < 200


def test_list_shorter_than_the_minimum_is_refused() -> None:
    with pytest.raises(CredentialError):
        statuslist.new_bits(1024)
    with pytest.raises(CredentialError):
        statuslist.encode(bytes(100))
    short = _u(gzip.compress(bytes(100)))
    with pytest.raises(CredentialError, match="at least"):
        statuslist.decode(short)


@pytest.mark.parametrize("encoded", ["z" + "A" * 10, "u!!!", _u(b"not gzip"), _u(gzip.compress(bytes(16384))[:-12])])
def test_unreadable_list_is_refused(encoded: str) -> None:
    with pytest.raises(CredentialError):
        statuslist.decode(encoded)


def test_list_that_inflates_beyond_the_cap_is_refused() -> None:
    bomb = _u(gzip.compress(bytes(statuslist.MAX_BITS // 8 + 1024)))
    with pytest.raises(CredentialError, match="larger"):
        statuslist.decode(bomb)


def test_index_outside_the_list_is_refused() -> None:
    with pytest.raises(CredentialError):
        statuslist.bit(statuslist.new_bits(), 131_072)


def test_status_of_reads_the_credentials_bit_from_its_list() -> None:
    credential = sample_credential()  # index 7 of LIST_URL
    bits = statuslist.new_bits()
    published = statuslist.list_credential(LIST_URL, ISSUER, "2025-03-01T10:00:00Z", bits)
    assert statuslist.status_of(credential, published) is False
    statuslist.set_bit(bits, 7)
    published = statuslist.list_credential(LIST_URL, ISSUER, "2025-03-02T10:00:00Z", bits)
    assert statuslist.status_of(credential, published) is True
    assert published["credentialSubject"]["statusPurpose"] == "revocation"
    assert published["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]


def test_status_list_other_than_the_one_named_is_refused() -> None:
    other = statuslist.list_credential(LIST_URL + "x", ISSUER, "2025-03-01T10:00:00Z", statuslist.new_bits())
    with pytest.raises(CredentialError, match="not the one"):
        statuslist.status_of(sample_credential(), other)


def test_entry_names_list_index_and_purpose() -> None:
    assert statuslist.entry(LIST_URL, 12) == {
        "id": f"{LIST_URL}#12", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": "12", "statusListCredential": LIST_URL}
