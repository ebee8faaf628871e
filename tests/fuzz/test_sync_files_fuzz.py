"""Fuzzing the USB-stick sync files: the hub reading an uploaded outbox bundle (`mcdesk hub ingest`) and the
device reading the hub's signed reply (`mcdesk sync import`).

Bundles and replies arrive on sticks that may be damaged, cut short or crafted: truncated, bit-flipped,
re-gzipped garbage, JSON of the wrong shape, and (for replies) well-signed payloads of the wrong shape.
Only McdeskError subclasses may come out, and a refused file stores nothing.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mcdesk.errors import McdeskError, SyncError
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.home import Home
from mcdesk.hub.devices import enrol, new_codes
from mcdesk.hub.ingest import ingest_bundle
from mcdesk.hub.institution import load_institution
from mcdesk.hub.store import HubData, open_store
from mcdesk.keys import b64url
from mcdesk.store.db import Store
from mcdesk.sync.bundle import REPLY_TYP, bundle_bytes, make_reply, read_bundle
from mcdesk.sync.client import enrol as device_enrol
from mcdesk.sync.client import import_reply
from mcdesk.sync.proof import sign_enrolment
from tests.fuzz.budget import fuzz
from tests.fuzz.shapes import places as paths_in
from tests.hub.laptops import Laptop
from tests.hubproc import Hub
from tests.packs.test_pack_fuzz import mutate, mutations

pytestmark = pytest.mark.slow

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=10,
)


@st.composite
def bent(draw: st.DrawFn, doc: dict[str, Any]) -> Any:
    """``doc`` with 1-3 places replaced by any JSON value, deleted, or wrapped in deep lists."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 3))):
        places = paths_in(doc)
        path = places[draw(st.integers(0, len(places) - 1))]
        if not path:
            doc = draw(json_values)
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["value", "delete", "wrap"]))
        if action == "value":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        else:  # nested deeper than any JSON reader recurses: marked here, spelled out by _dumps
            parent[path[-1]] = DEEP
    return doc


DEEP = "\u0000deep\u0000"


def _dumps(value: Any) -> bytes:
    """JSON bytes of ``value``, with each DEEP marker written as a list nested 100,000 levels deep."""
    return json.dumps(value).replace(json.dumps(DEEP), "[" * 100_000 + "]" * 100_000).encode()


# --- the hub reading a bundle ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hub_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ingest-hub") / "data"


@pytest.fixture(scope="module")
def laptop(hub_data: Path) -> Laptop:
    """A laptop enrolled at the hub data folder (as the hub would enrol it over HTTP)."""
    laptop = Laptop(name="Lab 2 - PC 7")
    data = HubData.open(hub_data)
    with open_store(data) as store:
        load_institution(store, data)
        code = new_codes(store, 1)[0]
        public = b64url(laptop.raw)
        enrol(store, code, public, laptop.name, sign_enrolment(laptop.key, code, public, laptop.name))
    return laptop


@pytest.fixture(scope="module")
def good_bundle(laptop: Laptop) -> dict[str, Any]:
    records = laptop.chain(3)
    return json.loads(gzip.decompress(bundle_bytes(laptop.device_id, laptop.raw, laptop.name, records,
                                                   created="2026-11-29T10:00:00Z")))


def ingest_or_refuse(hub_data: Path, data: bytes, tmp_path: Path) -> bool:
    """Ingest ``data`` as a bundle file; True if taken in (a reply was written), False if refused cleanly."""
    bundle = tmp_path / "in.mcsync"
    bundle.write_bytes(data)
    reply = tmp_path / "out.mcreply"
    reply.unlink(missing_ok=True)
    try:
        report = ingest_bundle(hub_data, bundle, reply)
    except McdeskError as exc:
        assert exc.message
        assert not reply.exists()
        return False
    assert reply.exists() and len(report.results) == len(read_bundle(bundle).records)
    return True


@fuzz(150)
@given(ops=mutations)
def test_byte_damaged_bundles_are_ingested_or_refused_with_a_mcdesk_error(
        ops: list, good_bundle: dict[str, Any], hub_data: Path, tmp_path: Path) -> None:
    ingest_or_refuse(hub_data, mutate(gzip.compress(canonical(good_bundle), mtime=0), ops), tmp_path)


@fuzz(150)
@given(doc=st.data())
def test_bundles_of_any_json_shape_are_ingested_or_refused_with_a_mcdesk_error(
        doc: st.DataObject, good_bundle: dict[str, Any], hub_data: Path, tmp_path: Path) -> None:
    ingest_or_refuse(hub_data, gzip.compress(_dumps(doc.draw(bent(good_bundle)))), tmp_path)


record_damage = st.one_of(
    st.text(min_size=1, max_size=200), st.sampled_from([".", "..", "a.b.c", "e30.e30.", "=" * 50, "\x00", "é.é.é"]),
    st.tuples(st.integers(0, 2), st.integers(0, 2000), st.characters(codec="ascii")),
)


@fuzz(100)
@given(changes=st.lists(record_damage, min_size=1, max_size=5), order=st.permutations(range(3)))
def test_damaged_records_in_a_good_bundle_are_rejected_one_by_one(
        changes: list[Any], order: list[int], laptop: Laptop, good_bundle: dict[str, Any], hub_data: Path,
        tmp_path: Path) -> None:
    records = [good_bundle["records"][i] for i in order]
    for change in changes:
        if isinstance(change, tuple):
            index, at, char = change
            text = records[index]
            records[index] = text[:at % len(text)] + char + text[at % len(text) + 1:]
        else:
            records.append(change)
    data = bundle_bytes(laptop.device_id, laptop.raw, laptop.name, records, created="2026-11-29T10:00:00Z")
    # A good envelope of non-empty strings is always taken in, each record judged on its own.
    assert ingest_or_refuse(hub_data, data, tmp_path)


@fuzz(100)
@given(data=st.one_of(st.binary(max_size=600), st.binary(max_size=600).map(gzip.compress),
                      json_values.map(lambda v: gzip.compress(json.dumps(v).encode()))))
@example(data=gzip.compress(b"[" * 100_000))
@example(data=gzip.compress(b'{"type": "mcdesk.sync-bundle", "format": 1, "records": ' + b"[" * 100_000))
def test_random_files_are_refused_as_bundles_with_a_mcdesk_error(data: bytes, hub_data: Path, laptop: Laptop,
                                                                 tmp_path: Path) -> None:
    assert not ingest_or_refuse(hub_data, data, tmp_path)


# --- the device reading a reply ----------------------------------------------------------------------------


@pytest.fixture
def enrolled_device(fuzz_hub: Hub, home: Home, store: Store) -> Iterator[tuple[str, Any, str]]:
    """This test's laptop, enrolled with the real hub: (device id, institution key, institution kid)."""
    done = device_enrol(home, store, fuzz_hub.url, fuzz_hub.enrol_codes(1)[0], "Fuzz laptop")
    data = HubData.open(fuzz_hub.data)
    with open_store(data) as hub_store:
        institution = load_institution(hub_store, data)
    yield done.device_id, institution.private_key, institution.kid


def _good_reply(device_id: str) -> dict[str, Any]:
    result = {"evidence_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "seq": 1, "status": "accepted", "reason": None}
    return {"type": "mcdesk.sync-reply", "format": 1, "device_id": device_id, "institution_id": "urn:x",
            "created": "2026-11-29T10:00:00Z", "bundle_sha256": "0" * 64, "results": [result],
            "items": [{"cursor": 1, "kind": "ack", "body": result},
                      {"cursor": 2, "kind": "credential", "body": {"jwt": "a.b.c"}},
                      {"cursor": 3, "kind": "revocation", "body": {"credential_id": "urn:uuid:x"}},
                      {"cursor": 4, "kind": "issuer_keys", "body": {"jws": "a.b.c"}}]}


def import_or_refuse(home: Home, store: Store, text: bytes, tmp_path: Path) -> None:
    path = tmp_path / "in.mcreply"
    path.write_bytes(text)
    try:
        import_reply(home, store, path)
    except McdeskError as exc:
        assert exc.message


@fuzz(150)
@given(doc=st.data())
def test_signed_replies_of_any_shape_are_imported_or_refused_with_a_mcdesk_error(
        doc: st.DataObject, enrolled_device: tuple[str, Any, str], home: Home, store: Store,
        tmp_path: Path) -> None:
    device_id, key, kid = enrolled_device
    payload = _dumps(doc.draw(bent(_good_reply(device_id))))
    import_or_refuse(home, store, sign_compact(key, kid, payload, REPLY_TYP).encode("ascii"), tmp_path)


@fuzz(100)
@given(ops=mutations)
def test_byte_damaged_replies_are_refused_with_a_sync_error(
        ops: list, enrolled_device: tuple[str, Any, str], home: Home, store: Store, tmp_path: Path) -> None:
    device_id, key, kid = enrolled_device
    good = make_reply(key, kid, device_id=device_id, institution_id="urn:x", bundle_sha256="0" * 64,
                      results=[], items=[]).encode("ascii")
    damaged = mutate(good, ops)
    path = tmp_path / "in.mcreply"
    path.write_bytes(damaged)
    if damaged.strip() == good.strip():
        import_reply(home, store, path)
        return
    with pytest.raises(SyncError):
        import_reply(home, store, path)


# --- regressions: what the fuzz found ---------------------------------------------------------------------


def test_a_bundle_nested_thousands_deep_is_refused_with_a_sync_error(tmp_path: Path) -> None:
    """Found by the fuzz: json.loads recursed until RecursionError, which escaped `mcdesk hub ingest`."""
    path = tmp_path / "deep.mcsync"
    path.write_bytes(gzip.compress(b'{"type": "mcdesk.sync-bundle", "records": ' + b"[" * 100_000 + b"]" * 100_000
                                   + b"}"))
    with pytest.raises(SyncError, match="nested too deeply"):
        read_bundle(path)


def test_a_signed_reply_whose_result_ids_are_not_text_is_refused(
        enrolled_device: tuple[str, Any, str], home: Home, store: Store, tmp_path: Path) -> None:
    """Found by the fuzz: an evidence_id that is a list reached a dict lookup on the device (TypeError)."""
    device_id, key, kid = enrolled_device
    reply = _good_reply(device_id)
    reply["results"][0]["evidence_id"] = ["not", "an", "id"]
    path = tmp_path / "odd.mcreply"
    path.write_text(sign_compact(key, kid, canonical(reply), REPLY_TYP), encoding="ascii")
    with pytest.raises(SyncError, match="results are malformed"):
        import_reply(home, store, path)
