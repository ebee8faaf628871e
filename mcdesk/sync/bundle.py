"""USB-stick sync files: the device's outbox bundle and the hub's signed reply (format 1).

Both sides use this module, so they agree by construction. A bundle is gzip'd RFC 8785 JSON; a reply
is a compact JWS signed with the institution's Ed25519 key. Reading either never trusts its size,
its shape or its signature until checked; every refusal says what is wrong and what to do.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcdesk.errors import SyncError

BUNDLE_TYPE = "mcdesk.sync-bundle"
REPLY_TYPE = "mcdesk.sync-reply"
REPLY_TYP = "mcdesk-sync-reply+jws"
FORMAT = 1
BUNDLE_SUFFIX = ".mcsync"
REPLY_SUFFIX = ".mcreply"

# A bundle of 100,000 records is about 100 MB of JSON; anything bigger is not one of ours.
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_BUNDLE_INFLATED = 256 * 1024 * 1024
MAX_REPLY_BYTES = 64 * 1024 * 1024

_HEX64 = re.compile(r"[0-9a-f]{64}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_RESULT_STATUSES = ("accepted", "duplicate", "rejected")


@dataclass(frozen=True)
class Bundle:
    """An outbox bundle as read from a file: who sent it and its records (compact JWS, seq order)."""

    device_id: str
    public_key: bytes
    device_name: str
    created: str
    records: tuple[str, ...]
    sha256: str  # of the file's bytes, echoed in the reply


@dataclass(frozen=True)
class Reply:
    """A verified reply: the per-record results and the device's change-feed items."""

    device_id: str
    institution_id: str
    created: str
    bundle_sha256: str
    results: tuple[dict[str, Any], ...]
    items: tuple[dict[str, Any], ...]


def utc_stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def bundle_name(device_id: str, moment: datetime | None = None) -> str:
    stamp = (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"mcdesk-outbox-{device_id[:12]}-{stamp}{BUNDLE_SUFFIX}"


def bundle_bytes(device_id: str, public_key: bytes, device_name: str, records: list[str],
                 created: str | None = None) -> bytes:
    """The bytes of a bundle file (deterministic gzip: no name, no time in its header)."""
    from mcdesk.evidence.jcs import canonical
    from mcdesk.keys import b64url

    body = canonical({
        "type": BUNDLE_TYPE, "format": FORMAT, "device_id": device_id, "public_key": b64url(public_key),
        "device_name": device_name, "created": created or utc_stamp(), "records": list(records),
    })
    return gzip.compress(body, compresslevel=6, mtime=0)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write a bundle or reply file whole or not at all (see mcdesk.files.write_atomic)."""
    from mcdesk.files import write_atomic as write_whole

    try:
        return write_whole(Path(path), data)
    except OSError as exc:
        raise SyncError(f"{path} cannot be written ({exc.strerror or exc}).",
                        "Check that the stick or folder is writable and has free space, then try again.") from exc


def read_bundle(path: Path, *, max_bytes: int = MAX_BUNDLE_BYTES, max_inflated: int = MAX_BUNDLE_INFLATED) -> Bundle:
    """Read and check an outbox bundle; the records' own signatures are checked by the hub's intake."""
    data = _read_capped(Path(path), max_bytes, "bundle")
    what = f"{Path(path).name} is not an mcdesk outbox bundle"
    body = _gunzip_capped(data, max_inflated, what)
    doc = _json_object(body, what)
    if doc.get("type") != BUNDLE_TYPE:
        raise SyncError(f"{what} (its type is {doc.get('type')!r}).",
                        "Give the .mcsync file that `mcdesk sync export` wrote on the device.")
    _check_format(doc, Path(path).name)
    device_id = _text(doc, "device_id", what)
    if not _HEX64.fullmatch(device_id):
        raise SyncError(f"{what}: its device_id is not a device key id.")
    public_key = _public_key(doc.get("public_key"), what)
    if hashlib.sha256(public_key).hexdigest() != device_id:
        raise SyncError(f"{what}: its public key does not match its device_id.",
                        "The file was altered; export a new bundle on the device.")
    records = doc.get("records")
    if not isinstance(records, list) or not all(isinstance(r, str) and r for r in records):
        raise SyncError(f"{what}: 'records' must be a list of signed records.")
    return Bundle(device_id=device_id, public_key=public_key, device_name=_text(doc, "device_name", what),
                  created=_text(doc, "created", what), records=tuple(records),
                  sha256=hashlib.sha256(data).hexdigest())


def make_reply(private_key: Any, kid: str, *, device_id: str, institution_id: str, bundle_sha256: str,
               results: list[dict[str, Any]], items: list[dict[str, Any]], created: str | None = None) -> str:
    """The reply to a bundle, signed by the institution (compact JWS over canonical JSON)."""
    from mcdesk.evidence.jcs import canonical
    from mcdesk.evidence.jws import sign_compact

    payload = canonical({
        "type": REPLY_TYPE, "format": FORMAT, "device_id": device_id, "institution_id": institution_id,
        "created": created or utc_stamp(), "bundle_sha256": bundle_sha256,
        "results": list(results), "items": list(items),
    })
    return sign_compact(private_key, kid, payload, REPLY_TYP)


def reply_name(device_id: str, moment: datetime | None = None) -> str:
    stamp = (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"mcdesk-reply-{device_id[:12]}-{stamp}{REPLY_SUFFIX}"


def open_reply(path: Path, institution_keys: list[dict[str, Any]], device_id: str) -> Reply:
    """Read a reply file, check it is signed by one of the pinned institution keys and meant for
    ``device_id``; raise SyncError saying why otherwise."""
    from mcdesk.errors import EvidenceError, TrustError
    from mcdesk.evidence.jws import parse_compact, verify_compact

    name = Path(path).name
    raw = _read_capped(Path(path), MAX_REPLY_BYTES, "reply")
    try:
        text = raw.decode("ascii").strip()
        header = parse_compact(text, max_chars=MAX_REPLY_BYTES).header
    except (UnicodeDecodeError, EvidenceError, TrustError) as exc:
        raise SyncError(f"{name} is not an mcdesk reply file.",
                        "Give the reply file that `mcdesk hub ingest` wrote for this laptop.") from exc
    if header.get("typ") != REPLY_TYP:
        raise SyncError(f"{name} is a signed file, but not an mcdesk reply (typ {header.get('typ')!r}).",
                        "Give the reply file that `mcdesk hub ingest` wrote for this laptop.")
    key = _institution_key(institution_keys, header.get("kid"))
    if key is None:
        raise SyncError(f"{name} is not signed by this laptop's institution.",
                        "Only replies from the hub this laptop is enrolled with are accepted; "
                        "ask the institution for a reply made by its hub.")
    try:
        parsed = verify_compact(text, key, max_chars=MAX_REPLY_BYTES)
    except (EvidenceError, TrustError) as exc:
        raise SyncError(f"{name} was altered after the institution signed it ({exc.message}).",
                        "Do not use this file; ask for a new reply.") from exc
    what = f"{name} is not a readable reply"
    doc = _json_object(parsed.payload_bytes, what)
    if doc.get("type") != REPLY_TYPE:
        raise SyncError(f"{what} (its type is {doc.get('type')!r}).")
    _check_format(doc, name)
    if doc.get("device_id") != device_id:
        raise SyncError(f"{name} is a reply for another laptop (device {str(doc.get('device_id'))[:12]}…, "
                        f"this one is {device_id[:12]}…).",
                        "Import each reply on the laptop that exported the bundle.")
    results, items = doc.get("results"), doc.get("items")
    if not isinstance(results, list) or not all(_good_result(r) for r in results):
        raise SyncError(f"{what}: its results are malformed.")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SyncError(f"{what}: its items are malformed.")
    return Reply(device_id=device_id, institution_id=_text(doc, "institution_id", what),
                 created=_text(doc, "created", what), bundle_sha256=_text(doc, "bundle_sha256", what),
                 results=tuple(results), items=tuple(items))


def _good_result(result: Any) -> bool:
    return (isinstance(result, dict) and result.get("status") in _RESULT_STATUSES
            and isinstance(result.get("evidence_id"), str | None))


def _institution_key(keys: list[dict[str, Any]], kid: Any) -> Any:
    from mcdesk.keys import b64url_decode, public_from_raw

    for jwk in keys:
        if jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            try:
                return public_from_raw(b64url_decode(jwk["x"]))
            except (KeyError, ValueError):
                return None
    return None


def _read_capped(path: Path, cap: int, what: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)
    except IsADirectoryError as exc:
        raise SyncError(f"{path} is a folder, not a {what} file.", f"Give the path of the {what} file.") from exc
    except OSError as exc:
        raise SyncError(f"The {what} file {path} cannot be read ({exc.strerror or exc}).",
                        "Check the path and that the stick is plugged in.") from exc
    if len(data) > cap:
        raise SyncError(f"{path.name} is larger than any {what} mcdesk writes ({_size(cap)}).",
                        "Check that you gave the right file.")
    return data


def _gunzip_capped(data: bytes, cap: int, what: str) -> bytes:
    """Inflate a gzip stream, stopping as soon as it would exceed ``cap`` (a zip bomb stops early)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise SyncError(f"{what} (not gzip data, or damaged).",
                        "Copy the file from the device again; the copy may be incomplete.") from exc
    if len(body) > cap:
        raise SyncError(f"{what}: it inflates to more than {_size(cap)}.")
    if not inflater.eof:
        raise SyncError(f"{what} (the file is cut short).",
                        "Copy the file from the device again; the copy may be incomplete.")
    return body


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _json_object(body: bytes, what: str) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SyncError(f"{what} (its content is not JSON).") from exc
    except RecursionError as exc:  # lists in lists, thousands deep: no file mcdesk writes
        raise SyncError(f"{what} (its JSON is nested too deeply).") from exc
    if not isinstance(doc, dict):
        raise SyncError(f"{what} (its content is not a JSON object).")
    return doc


def _check_format(doc: dict[str, Any], name: str) -> None:
    if doc.get("format") != FORMAT:
        raise SyncError(f"{name} uses format {doc.get('format')!r}; this mcdesk reads format {FORMAT}.",
                        "Update mcdesk on the side that is older.")


def _text(doc: dict[str, Any], field: str, what: str) -> str:
    value = doc.get(field)
    if not isinstance(value, str):
        raise SyncError(f"{what}: '{field}' is missing or not text.")
    return value


def _public_key(value: Any, what: str) -> bytes:
    from mcdesk.keys import b64url_decode

    try:
        if not isinstance(value, str) or not _B64URL.fullmatch(value):
            raise ValueError(value)
        raw = b64url_decode(value)
    except (ValueError, TypeError) as exc:
        raise SyncError(f"{what}: its public key is not base64url.") from exc
    if len(raw) != 32:
        raise SyncError(f"{what}: its public key is not an Ed25519 key.")
    return raw
