"""Publishing packs at the hub and serving them: the checks of `mcdesk hub publish`, the signed catalog
and pack files with HTTP Range, against the real hub process."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import McdeskError
from mcdesk.evidence.jws import verify_compact
from mcdesk.hub.packs import PublishedPack, latest_catalog, manifests, publish
from mcdesk.hub.store import HubData, open_store
from mcdesk.keys import b64url_decode
from tests.hubproc import Hub, running_hub

STAMP = "%Y-%m-%dT%H:%M:%SZ"


@pytest.fixture
def device(hub: Hub) -> dict[str, Any]:
    """A freshly enrolled device: the hub's enrolment answer (token and institution keys)."""
    return hub.enrol(Ed25519PrivateKey.generate(), "Catalog laptop")


@pytest.fixture
def auth(device: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {device['device_token']}"}


@pytest.fixture
def pack_file(make_pack: Callable[..., Path], request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Build a signed pack whose id is unique to the test (the module shares one hub)."""
    base = "org.example.t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]

    def make(version: int = 1, **kwargs: Any) -> Path:
        return make_pack(pack_id=base, version=version, **kwargs)

    return make


def publish_here(hub: Hub, path: Path, **kwargs: Any) -> PublishedPack:
    data = HubData.open(hub.data)
    with open_store(data) as store:
        return publish(store, data, path, **kwargs)


def catalog_version(hub: Hub) -> int:
    with open_store(HubData.open(hub.data)) as store:
        catalog = latest_catalog(store)
        return catalog.version if catalog else 0


def tampered(source: Path, target: Path) -> Path:
    """The pack with one byte of a lesson changed (same length), manifest and signature untouched."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "lessons/01.md":
                data = data.replace(b"Some text", b"Sore text")
            zout.writestr(info, data)
    return target


def pack_url(hub: Hub, pack: PublishedPack) -> str:
    return f"{hub.url}{pack.path}"


# --- publishing --------------------------------------------------------------------------------


def test_publishing_keeps_the_pack_and_signs_a_catalog_the_enrolled_device_can_verify(
        hub: Hub, device: dict[str, Any], auth: dict[str, str], pack_file: Callable[..., Path]) -> None:
    path = pack_file()
    before = catalog_version(hub)
    pack = publish_here(hub, path, valid_days=7)
    assert pack.file.read_bytes() == path.read_bytes() and pack.file.parent == hub.data / "packs"
    assert (pack.length, pack.sha256) == (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
    assert pack.catalog_version == before + 1 and pack.path == f"/api/v1/packs/{pack.id}/1"

    answer = httpx.get(f"{hub.api}/catalog", headers=auth, timeout=30)
    assert answer.status_code == 200
    jwk = device["institution_keys"][0]
    parsed = verify_compact(answer.json()["catalog"], b64url_decode(jwk["x"]), typ="mcdesk-catalog+jws",
                            kid=jwk["kid"])
    catalog = json.loads(parsed.payload_bytes)
    assert (catalog["type"], catalog["format"], catalog["version"]) == ("mcdesk.catalog", 1, pack.catalog_version)
    assert catalog["institution_id"] == device["institution"]["id"]
    issued, expires = (datetime.strptime(catalog[k], STAMP) for k in ("issued", "expires"))
    assert expires - issued == timedelta(days=7)
    entry = next(p for p in catalog["packs"] if p["id"] == pack.id)
    assert entry == pack.catalog_entry()
    assert entry["manifest_sha256"] and entry["key_id"] and entry["title"] == "Test pack"


def test_every_publish_raises_the_catalog_version_and_lists_the_newest_pack_version(
        hub: Hub, pack_file: Callable[..., Path]) -> None:
    first = publish_here(hub, pack_file(1))
    second = publish_here(hub, pack_file(2))
    assert second.catalog_version == first.catalog_version + 1 == catalog_version(hub)
    with open_store(HubData.open(hub.data)) as store:
        assert manifests(store)[second.id]["version"] == 2
    assert (hub.data / "packs" / f"{first.id}-1.mcpack").is_file()  # older versions stay downloadable


def test_a_tampered_pack_is_refused_with_the_installers_message_and_nothing_is_published(
        hub: Hub, pack_file: Callable[..., Path], tmp_path: Path) -> None:
    good = pack_file()
    bad = tampered(good, tmp_path / "tampered.mcpack")
    before, files = catalog_version(hub), sorted((hub.data / "packs").glob("*"))
    with pytest.raises(McdeskError, match="lessons/01.md: its content does not match the sha256 in the signed "
                                          "manifest") as refused:
        publish_here(hub, bad)
    assert "do not use it" in refused.value.hint
    assert catalog_version(hub) == before and sorted((hub.data / "packs").glob("*")) == files
    with open_store(HubData.open(hub.data)) as store:
        assert json.loads(zipfile.ZipFile(good).read("manifest.json"))["id"] not in manifests(store)


def test_a_file_that_is_not_a_pack_is_refused(hub: Hub, tmp_path: Path) -> None:
    junk = tmp_path / "junk.mcpack"
    junk.write_bytes(b"not a zip at all" * 100)
    with pytest.raises(McdeskError, match="junk.mcpack is not a readable pack archive"):
        publish_here(hub, junk)
    with pytest.raises(McdeskError, match="cannot be read"):
        publish_here(hub, tmp_path / "missing.mcpack")


def test_the_same_or_an_older_version_is_refused_unless_forced_on_the_command_line(
        hub: Hub, pack_file: Callable[..., Path]) -> None:
    done = hub.cli("publish", str(pack_file(2)), "--json")
    published = json.loads(done.stdout)
    assert published["version"] == 2 and published["catalog_version"] == catalog_version(hub)
    again = hub.cli("publish", str(pack_file(2)), check=False)
    assert again.returncode == 1 and "version 2 is already published" in again.stderr and "--force" in again.stderr
    older = hub.cli("publish", str(pack_file(1)), check=False)
    assert older.returncode == 1 and "older than the published version 2" in older.stderr
    before = catalog_version(hub)
    forced = hub.cli("publish", str(pack_file(1)), "--force")
    assert "Published Test pack" in forced.stdout and catalog_version(hub) == before + 1
    with open_store(HubData.open(hub.data)) as store:
        assert manifests(store)[published["id"]]["version"] == 1  # the rollback is what the catalog lists now
    events = [json.loads(line) for line in (hub.data / "logs" / "hub.log").read_text().splitlines()]
    assert [e["version"] for e in events if e["event"] == "publish" and e["pack_id"] == published["id"]] == [2, 1]


def test_valid_days_outside_one_to_ten_years_is_refused(hub: Hub, pack_file: Callable[..., Path]) -> None:
    done = hub.cli("publish", str(pack_file()), "--valid-days", "0", check=False)
    assert done.returncode == 1 and "valid for 1 to 3660 days" in done.stderr


def test_a_hub_with_nothing_published_answers_no_catalog(tmp_path: Path) -> None:
    with running_hub(tmp_path / "empty-hub") as empty:
        token = empty.enrol(Ed25519PrivateKey.generate())["device_token"]
        answer = httpx.get(f"{empty.api}/catalog", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 404 and answer.json()["detail"]["code"] == "no_catalog"
    assert "mcdesk hub publish" in answer.json()["detail"]["hint"]


# --- serving pack files ----------------------------------------------------------------------


@pytest.fixture
def served(hub: Hub, pack_file: Callable[..., Path]) -> Iterator[tuple[PublishedPack, bytes]]:
    pack = publish_here(hub, pack_file())
    yield pack, pack.file.read_bytes()


def test_a_pack_is_served_whole_with_its_etag_and_range_support(
        hub: Hub, auth: dict[str, str], served: tuple[PublishedPack, bytes]) -> None:
    pack, data = served
    answer = httpx.get(pack_url(hub, pack), headers=auth, timeout=30)
    assert answer.status_code == 200 and answer.content == data
    assert answer.headers["etag"] == f'"{pack.sha256}"' and answer.headers["accept-ranges"] == "bytes"
    assert int(answer.headers["content-length"]) == pack.length and "content-range" not in answer.headers


@pytest.mark.parametrize(("asked", "start", "end"), [
    ("bytes=1000-", 1000, None), ("bytes=10-19", 10, 19), ("bytes=-100", None, None), ("bytes=0-999999999", 0, None),
])
def test_a_byte_range_is_answered_206_with_its_content_range(
        hub: Hub, auth: dict[str, str], served: tuple[PublishedPack, bytes], asked: str, start: int | None,
        end: int | None) -> None:
    pack, data = served
    first = start if start is not None else pack.length - 100
    last = end if end is not None else pack.length - 1
    answer = httpx.get(pack_url(hub, pack), headers={**auth, "Range": asked}, timeout=30)
    assert answer.status_code == 206 and answer.content == data[first:last + 1]
    assert answer.headers["content-range"] == f"bytes {first}-{last}/{pack.length}"
    assert answer.headers["etag"] == f'"{pack.sha256}"'


@pytest.mark.parametrize("asked", ["bytes=999999999-", "bytes=abc", "bytes=20-10", "bytes=0-1,5-9", "bytes=-0"])
def test_a_range_the_hub_cannot_serve_is_answered_416(
        hub: Hub, auth: dict[str, str], served: tuple[PublishedPack, bytes], asked: str) -> None:
    pack, _ = served
    answer = httpx.get(pack_url(hub, pack), headers={**auth, "Range": asked}, timeout=30)
    assert answer.status_code == 416 and answer.headers["content-range"] == f"bytes */{pack.length}"
    assert answer.json()["detail"]["code"] == "range_not_satisfiable"


def test_if_range_with_another_etag_gets_the_whole_file_and_a_unit_other_than_bytes_is_ignored(
        hub: Hub, auth: dict[str, str], served: tuple[PublishedPack, bytes]) -> None:
    pack, data = served
    stale = httpx.get(pack_url(hub, pack), headers={**auth, "Range": "bytes=500-", "If-Range": '"' + "0" * 64 + '"'},
                      timeout=30)
    assert stale.status_code == 200 and stale.content == data
    same = httpx.get(pack_url(hub, pack), headers={**auth, "Range": "bytes=500-", "If-Range": f'"{pack.sha256}"'},
                     timeout=30)
    assert same.status_code == 206 and same.content == data[500:]
    other_unit = httpx.get(pack_url(hub, pack), headers={**auth, "Range": "items=0-1"}, timeout=30)
    assert other_unit.status_code == 200 and other_unit.content == data


def test_unknown_packs_are_404_and_only_enrolled_devices_get_the_catalog_or_packs(
        hub: Hub, auth: dict[str, str], served: tuple[PublishedPack, bytes]) -> None:
    pack, _ = served
    missing = httpx.get(f"{hub.api}/packs/{pack.id}/99", headers=auth, timeout=30)
    assert missing.status_code == 404 and missing.json()["detail"]["code"] == "unknown_pack"
    for url in (pack_url(hub, pack), f"{hub.api}/catalog"):
        assert httpx.get(url, timeout=30).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=30).status_code in (401, 403)


def test_publish_samples_builds_them_with_the_hubs_own_key_once(hub: Hub) -> None:
    first = json.loads(hub.cli("publish", "--samples", "--json").stdout)
    ids = sorted(p["id"] for p in first["published"])
    assert len(ids) == 3 and first["skipped"] == [] and (hub.data / "keys" / "sample-publisher.key.pem").is_file()
    assert len({p["key_id"] for p in first["published"]}) == 1
    with open_store(HubData.open(hub.data)) as store:
        assert set(ids) <= set(manifests(store))
    again = json.loads(hub.cli("publish", "--samples", "--json").stdout)
    assert again["published"] == [] and sorted(again["skipped"]) == ids
    neither = hub.cli("publish", check=False)
    assert neither.returncode == 1 and "Give either a .mcpack file or --samples" in neither.stderr
