"""Proof that an enrolling device holds its private key: it signs the code, its key and its name.

Without it, anyone who saw an unused code and a device's public key could enrol that key and take the
device's token. The message is fixed bytes, so the device and the hub agree by construction.
"""

from __future__ import annotations

from typing import Any

PURPOSE = b"mcdesk-enrol-v1"


def enrolment_message(code: str, public_key: str, device_name: str) -> bytes:
    """What the device signs: the purpose, then the code, public key and name exactly as sent."""
    return b"\n".join((PURPOSE, code.encode("utf-8"), public_key.encode("utf-8"), device_name.encode("utf-8")))


def sign_enrolment(private_key: Any, code: str, public_key: str, device_name: str) -> str:
    """base64url of the Ed25519 signature over :func:`enrolment_message`."""
    from mcdesk.keys import b64url

    return b64url(private_key.sign(enrolment_message(code, public_key, device_name)))


def enrolment_signed(public_raw: bytes, proof: str, code: str, public_key: str, device_name: str) -> bool:
    """Whether ``proof`` is the signature of the key ``public_raw`` over this enrolment."""
    from mcdesk.keys import b64url_decode, public_from_raw, verify

    try:
        signature = b64url_decode(proof)
    except (ValueError, TypeError):
        return False
    if len(signature) != 64:
        return False
    return verify(public_from_raw(public_raw), signature, enrolment_message(code, public_key, device_name))
