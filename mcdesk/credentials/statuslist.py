"""W3C Bitstring Status List v1.0: the compressed bitstring, the credentialStatus entry and the list credential."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

from mcdesk.credentials import jwk as jwkmod
from mcdesk.errors import CredentialError

MIN_BITS = 131_072  # the spec's minimum length (16 KB): a list that small would single out its few holders
MAX_BITS = 8 * 16 * 1024 * 1024  # 16 MB of bits decoded at most: refuses gzip bombs
PURPOSE = "revocation"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusList"
LIST_CREDENTIAL_TYPE = ["VerifiableCredential", "BitstringStatusListCredential"]


def new_bits(length: int = MIN_BITS) -> bytearray:
    """An all-zero bitstring of ``length`` bits (at least MIN_BITS, a whole number of bytes)."""
    if length < MIN_BITS or length % 8:
        raise CredentialError(f"A status list holds at least {MIN_BITS} bits, in whole bytes.", code="bad_status_list")
    return bytearray(length // 8)


def encode(bits: bytes) -> str:
    """The encodedList: multibase "u" + base64url (no padding) of the GZIP-compressed bitstring."""
    if len(bits) * 8 < MIN_BITS:
        raise CredentialError(f"A status list holds at least {MIN_BITS} bits; this has {len(bits) * 8}.",
                              code="bad_status_list")
    return "u" + jwkmod.b64url(gzip.compress(bytes(bits), compresslevel=9, mtime=0))


def decode(encoded: str) -> bytes:
    """The bitstring of an encodedList; refuses another multibase prefix, broken GZIP, a list shorter than
    MIN_BITS and anything that inflates beyond MAX_BITS."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise CredentialError("The status list is not multibase base64url (it must start with 'u').",
                              code="bad_status_list")
    compressed = jwkmod.b64url_decode(encoded[1:], "status list")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing
    try:
        bits = inflater.decompress(compressed, MAX_BITS // 8 + 1)
    except zlib.error as exc:
        raise CredentialError("The status list is not valid GZIP data.", code="bad_status_list") from exc
    if len(bits) > MAX_BITS // 8:
        raise CredentialError("The status list is larger than any list this verifier accepts.", code="bad_status_list")
    if not inflater.eof:
        raise CredentialError("The status list is cut short.", code="bad_status_list")
    if len(bits) * 8 < MIN_BITS:
        raise CredentialError(f"The status list holds {len(bits) * 8} bits; at least {MIN_BITS} are required.",
                              code="bad_status_list")
    return bits


def bit(bits: bytes, index: int) -> bool:
    """Bit ``index`` (0 is the left-most, most significant bit of the first byte, as the spec orders them)."""
    if not 0 <= index < len(bits) * 8:
        raise CredentialError(f"Status list index {index} is outside the list ({len(bits) * 8} bits).",
                              code="bad_status_list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    if not 0 <= index < len(bits) * 8:
        raise CredentialError(f"Status list index {index} is outside the list ({len(bits) * 8} bits).",
                              code="bad_status_list")
    if value:
        bits[index // 8] |= 0x80 >> (index % 8)
    else:
        bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF


def entry(list_url: str, index: int, purpose: str = PURPOSE) -> dict[str, Any]:
    """The credentialStatus of a credential at ``index`` of the list credential at ``list_url``."""
    return {"id": f"{list_url}#{index}", "type": ENTRY_TYPE, "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_url}


def list_credential(list_url: str, issuer: dict[str, Any] | str, valid_from: str, bits: bytes,
                    purpose: str = PURPOSE, valid_until: str | None = None) -> dict[str, Any]:
    """The BitstringStatusListCredential (unsigned) publishing ``bits`` at ``list_url``."""
    from mcdesk.credentials.ob3 import CONTEXT

    credential: dict[str, Any] = {
        "@context": [CONTEXT[0]], "id": list_url, "type": list(LIST_CREDENTIAL_TYPE), "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {"id": f"{list_url}#list", "type": LIST_TYPE, "statusPurpose": purpose,
                              "encodedList": encode(bits)},
    }
    if valid_until:
        credential["validUntil"] = valid_until
    return credential


def status_of(credential: dict[str, Any], list_cred: dict[str, Any]) -> bool:
    """True when ``credential``'s status bit is set in ``list_cred`` (a verified list credential): for the
    revocation purpose, True means revoked. Refuses a list that is not the one the credential names."""
    status = credential.get("credentialStatus")
    if not isinstance(status, dict) or status.get("type") != ENTRY_TYPE:
        raise CredentialError("The credential has no Bitstring Status List entry.", code="bad_status_list")
    if status.get("statusListCredential") != list_cred.get("id"):
        raise CredentialError("The status list is not the one the credential names.", code="bad_status_list")
    subject = list_cred.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != LIST_TYPE:
        raise CredentialError("The status list credential has no BitstringStatusList subject.", code="bad_status_list")
    if subject.get("statusPurpose") != status.get("statusPurpose"):
        raise CredentialError("The status list serves another purpose than the credential's entry.",
                              code="bad_status_list")
    try:
        index = int(status.get("statusListIndex"))
    except (TypeError, ValueError) as exc:
        raise CredentialError("The credential's status list index is not a number.", code="bad_status_list") from exc
    return bit(decode(subject.get("encodedList")), index)
