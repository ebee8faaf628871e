"""USB-stick files: the outbox bundle and the institution's signed reply, and every refusal."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import SyncError
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.keys import b64url, raw_public
from mcdesk.sync.bundle import (
    REPLY_TYP,
    bundle_bytes,
    make_reply,
    open_reply,
    read_bundle,
    write_atomic,
)

DEVICE_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
DEVICE_RAW = raw_public(DEVICE_KEY.public_key())
DEVICE_ID = hashlib.sha256(DEVICE_RAW).hexdigest()
INSTITUTION_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
INSTITUTION_KID = hashlib.sha256(raw_public(INSTITUTION_KEY.public_key())).hexdigest()
INSTITUTION_JWK = {"kid": INSTITUTION_KID, "kty": "OKP", "crv": "Ed25519",
                   "x": b64url(raw_public(INSTITUTION_KEY.public_key())), "use": "sig", "alg": "EdDSA"}
RESULTS = [{"evidence_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "seq": 1, "status": "accepted", "reason": None}]


def _bundle(tmp_path: Path, **changes: object) -> Path:
    doc = {"type": "mcdesk.sync-bundle", "format": 1, "device_id": DEVICE_ID, "public_key": b64url(DEVICE_RAW),
           "device_name": "lab-3", "created": "2026-11-29T10:00:00Z", "records": ["a.b.c"]}
    doc.update(changes)
    path = tmp_path / "x.mcsync"
    path.write_bytes(gzip.compress(canonical({k: v for k, v in doc.items() if v is not None})))
    return path


def _reply(tmp_path: Path, key: Ed25519PrivateKey = INSTITUTION_KEY, kid: str = INSTITUTION_KID,
           device_id: str = DEVICE_ID) -> Path:
    text = make_reply(key, kid, device_id=device_id, institution_id="https://hub.example", bundle_sha256="0" * 64,
                      results=RESULTS, items=[{"cursor": 1, "kind": "ack", "body": RESULTS[0]}])
    path = tmp_path / "reply.mcreply"
    path.write_text(text, encoding="ascii")
    return path


def test_a_bundle_written_atomically_reads_back_with_its_hash(tmp_path: Path) -> None:
    data = bundle_bytes(DEVICE_ID, DEVICE_RAW, "lab-3", ["r1.x.y", "r2.x.y"], created="2026-11-29T10:00:00Z")
    path = write_atomic(tmp_path / "b.mcsync", data)
    bundle = read_bundle(path)
    assert bundle.device_id == DEVICE_ID and bundle.public_key == DEVICE_RAW and bundle.device_name == "lab-3"
    assert bundle.records == ("r1.x.y", "r2.x.y")
    assert bundle.sha256 == hashlib.sha256(data).hexdigest()
    assert [p.name for p in tmp_path.iterdir()] == ["b.mcsync"]  # no temporary file left behind


def test_the_same_records_make_the_same_bundle_bytes() -> None:
    args = (DEVICE_ID, DEVICE_RAW, "lab-3", ["r1.x.y"])
    assert bundle_bytes(*args, created="2026-11-29T10:00:00Z") == bundle_bytes(*args, created="2026-11-29T10:00:00Z")


@pytest.mark.parametrize(("content", "words"), [
    (b"PK\x03\x04 not gzip", "not gzip"),
    (gzip.compress(b'{"type": "mcdesk.sync-bundle"}')[:-12], "cut short"),
    (gzip.compress(b"not json"), "not JSON"),
    (gzip.compress(b"[1, 2]"), "not a JSON object"),
    (gzip.compress(b'{"type": "something-else", "format": 1}'), "its type is 'something-else'"),
])
def test_a_file_that_is_not_a_bundle_is_refused_with_what_is_wrong(tmp_path: Path, content: bytes,
                                                                    words: str) -> None:
    path = tmp_path / "odd.mcsync"
    path.write_bytes(content)
    with pytest.raises(SyncError, match=words):
        read_bundle(path)


@pytest.mark.parametrize(("changes", "words"), [
    ({"format": 2}, "format 2"),
    ({"device_id": "not-hex"}, "not a device key id"),
    ({"public_key": b64url(b"\x01" * 32)}, "does not match its device_id"),
    ({"public_key": "***"}, "not base64url"),
    ({"public_key": b64url(b"short")}, "not an Ed25519 key"),
    ({"records": "a.b.c"}, "'records' must be a list"),
    ({"records": ["a.b.c", 7]}, "'records' must be a list"),
    ({"device_name": 5}, "'device_name' is missing or not text"),
])
def test_a_bundle_with_a_bad_field_is_refused_naming_it(tmp_path: Path, changes: dict, words: str) -> None:
    with pytest.raises(SyncError, match=words):
        read_bundle(_bundle(tmp_path, **changes))


def test_a_gzip_bomb_stops_inflating_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.mcsync"
    path.write_bytes(gzip.compress(b" " * 5_000_000))
    with pytest.raises(SyncError, match="inflates to more than 1000000 bytes"):
        read_bundle(path, max_inflated=1_000_000)


def test_a_file_larger_than_any_bundle_is_refused_before_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.mcsync"
    path.write_bytes(b"\0" * 2048)
    with pytest.raises(SyncError, match="larger than any bundle mcdesk writes"):
        read_bundle(path, max_bytes=1024)


def test_a_missing_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="cannot be read"):
        read_bundle(tmp_path / "absent.mcsync")
    with pytest.raises(SyncError, match="is a folder"):
        read_bundle(tmp_path)


def test_writing_into_a_missing_folder_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="cannot be written"):
        write_atomic(tmp_path / "gone" / "b.mcsync", b"data")
    assert list(tmp_path.iterdir()) == []


def test_a_reply_signed_by_the_institution_for_this_device_opens(tmp_path: Path) -> None:
    reply = open_reply(_reply(tmp_path), [INSTITUTION_JWK], DEVICE_ID)
    assert reply.results == tuple(RESULTS)
    assert reply.items[0]["kind"] == "ack" and reply.institution_id == "https://hub.example"


def test_a_reply_for_another_laptop_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="reply for another laptop"):
        open_reply(_reply(tmp_path, device_id="f" * 64), [INSTITUTION_JWK], DEVICE_ID)


def test_a_reply_signed_by_another_key_under_the_institutions_kid_is_refused(tmp_path: Path) -> None:
    forger = Ed25519PrivateKey.generate()
    with pytest.raises(SyncError, match="altered after the institution signed it"):
        open_reply(_reply(tmp_path, key=forger), [INSTITUTION_JWK], DEVICE_ID)


def test_a_reply_signed_by_an_unknown_key_is_refused(tmp_path: Path) -> None:
    forger = Ed25519PrivateKey.generate()
    kid = hashlib.sha256(raw_public(forger.public_key())).hexdigest()
    with pytest.raises(SyncError, match="not signed by this laptop's institution"):
        open_reply(_reply(tmp_path, key=forger, kid=kid), [INSTITUTION_JWK], DEVICE_ID)


def test_a_reply_whose_payload_was_edited_is_refused(tmp_path: Path) -> None:
    path = _reply(tmp_path)
    head, payload, sig = path.read_text().split(".")
    doc = json.loads(_b64d(payload))
    doc["results"][0]["status"] = "duplicate"
    path.write_text(".".join([head, b64url(canonical(doc)), sig]))
    with pytest.raises(SyncError, match="altered"):
        open_reply(path, [INSTITUTION_JWK], DEVICE_ID)


def test_a_signed_file_of_another_type_is_not_taken_for_a_reply(tmp_path: Path) -> None:
    path = tmp_path / "record.mcreply"
    path.write_text(sign_compact(INSTITUTION_KEY, INSTITUTION_KID, canonical({"a": 1}), "mcdesk-evidence+jws"))
    with pytest.raises(SyncError, match="not an mcdesk reply"):
        open_reply(path, [INSTITUTION_JWK], DEVICE_ID)


def test_a_bundle_given_instead_of_a_reply_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="not an mcdesk reply file"):
        open_reply(_bundle(tmp_path), [INSTITUTION_JWK], DEVICE_ID)


def test_a_reply_with_malformed_results_is_refused(tmp_path: Path) -> None:
    payload = canonical({"type": "mcdesk.sync-reply", "format": 1, "device_id": DEVICE_ID,
                         "institution_id": "x", "created": "2026-11-29T10:00:00Z", "bundle_sha256": "0" * 64,
                         "results": [{"status": "maybe"}], "items": []})
    path = tmp_path / "r.mcreply"
    path.write_text(sign_compact(INSTITUTION_KEY, INSTITUTION_KID, payload, REPLY_TYP))
    with pytest.raises(SyncError, match="results are malformed"):
        open_reply(path, [INSTITUTION_JWK], DEVICE_ID)


def _b64d(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
