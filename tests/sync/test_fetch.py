"""Packs from the institution on the laptop, against the real hub: the signed catalog (pinned key,
rollback, expiry), resumable downloads through a proxy that cuts them off, and the same installer."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.cli import main
from mcdesk.errors import Cancelled, PackError, SyncError
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import parse_compact, sign_compact
from mcdesk.home import Home
from mcdesk.hub.packs import PublishedPack, publish
from mcdesk.hub.store import HubData, open_store
from mcdesk.keys import key_id
from mcdesk.packs.install import PackManager
from mcdesk.progress import NullReporter
from mcdesk.store.db import Store
from mcdesk.sync.catalog import fetch_catalog, fetch_pack, stored_catalog
from mcdesk.sync.client import enrol
from tests.hubproc import Hub, running_hub
from tests.sync.packproxy import MeddlingProxy, http_answer

BLOB = 700_000  # incompressible bytes in each pack, so a download has a middle to cut


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture
def proxy(hub: Hub) -> Iterator[MeddlingProxy]:
    with MeddlingProxy(hub.url) as running:
        yield running


@pytest.fixture
def laptop(hub: Hub, proxy: MeddlingProxy, home: Home, store: Store) -> MeddlingProxy:
    """This test's laptop, enrolled with the hub through the proxy (every later request passes it)."""
    enrol(home, store, proxy.url, hub.enrol_codes(1)[0], "lab laptop")
    return proxy


@pytest.fixture
def published(hub: Hub, make_pack: Callable[..., Path], request: pytest.FixtureRequest
              ) -> Callable[..., PublishedPack]:
    """Build a pack (trusted on this laptop unless another key is given) and publish it at the hub.
    Pack ids are unique per test, since the module shares one hub."""
    base = "org.example.t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]

    def make(suffix: str = "a", *, version: int = 1, key: Ed25519PrivateKey | None = None,
             force: bool = False, valid_days: int = 30, blob: bytes | None = None) -> PublishedPack:
        path = make_pack(key, pack_id=f"{base}.{suffix}", version=version,
                         extra_files={"media/blob.bin": blob if blob is not None else os.urandom(BLOB)})
        data = HubData.open(hub.data)
        with open_store(data) as hub_store:
            return publish(hub_store, data, path, force=force, valid_days=valid_days)

    return make


def downloads(home: Home) -> list[str]:
    folder = home.root / "downloads"
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def pack_log(hub: Hub) -> list[dict]:
    lines = (hub.data / "logs" / "hub.log").read_text(encoding="utf-8").splitlines()
    return [event for event in map(json.loads, lines) if event["event"] == "pack_download"]


# --- fetching ----------------------------------------------------------------------------------


def test_a_published_pack_is_downloaded_checked_and_installed(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    pack = published()
    result = fetch_pack(home, store, manager, pack.id)
    assert result.install is not None and result.install.action == "install"
    assert (result.downloaded, result.resumed_from, result.restarted) == (pack.length, 0, False)
    installed = manager.get(pack.id)
    assert installed is not None and installed.version == 1 and (installed.folder / "media" / "blob.bin").is_file()
    assert downloads(home) == []
    assert "range" not in laptop.pack_requests()[0].headers
    again = fetch_pack(home, store, manager, pack.id)  # up to date: nothing is downloaded
    assert again.up_to_date and len(laptop.pack_requests()) == 1


def test_an_interrupted_download_resumes_from_the_length_of_the_part_file(
        hub: Hub, laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    pack = published()
    laptop.plan.cuts = [300_000]
    with pytest.raises(SyncError, match="interrupted at 300,000 of") as refused:
        fetch_pack(home, store, manager, pack.id, retries=1)
    assert "resumes where it stopped" in refused.value.hint
    part = home.root / "downloads" / f"{pack.id}-1.mcpack.part"
    assert part.stat().st_size == 300_000 and manager.get(pack.id) is None

    result = fetch_pack(home, store, manager, pack.id)
    first, second = laptop.pack_requests()
    assert "range" not in first.headers and first.relayed_body == 300_000
    assert second.headers["range"] == "bytes=300000-" and second.headers["if-range"] == f'"{pack.sha256}"'
    assert second.relayed_body == pack.length - 300_000
    assert (result.resumed_from, result.downloaded, result.restarted) == (300_000, pack.length - 300_000, False)
    assert [e["start"] for e in pack_log(hub) if e["pack_id"] == pack.id] == [0, 300_000]
    assert manager.get(pack.id) is not None and downloads(home) == []


def test_a_connection_dropped_twice_is_resumed_within_one_fetch(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    pack = published()
    laptop.plan.cuts = [100_000, 250_000]
    result = fetch_pack(home, store, manager, pack.id)
    ranges = [seen.headers.get("range") for seen in laptop.pack_requests()]
    assert ranges == [None, "bytes=100000-", "bytes=350000-"]
    assert result.downloaded == pack.length and manager.get(pack.id) is not None


def test_a_pack_replaced_at_the_hub_restarts_the_partial_download(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    old = published()
    laptop.plan.cuts = [200_000]
    with pytest.raises(SyncError, match="interrupted"):
        fetch_pack(home, store, manager, old.id, retries=1)
    new = published(force=True)  # the same version rebuilt: other bytes, another ETag
    assert new.version == old.version and new.sha256 != old.sha256
    result = fetch_pack(home, store, manager, new.id)
    assert result.restarted and result.resumed_from == 0 and result.downloaded == new.length
    assert "range" not in laptop.pack_requests()[-1].headers
    installed = manager.get(new.id)
    assert installed is not None and (installed.folder / "media" / "blob.bin").stat().st_size == BLOB
    assert manager.store.one("SELECT manifest_sha256 FROM packs WHERE id = ?", (new.id,))[0] == new.manifest_sha256


def test_a_download_altered_on_the_way_is_refused_deleted_and_not_installed(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    pack = published()
    laptop.plan.flip_pack_byte = True
    with pytest.raises(SyncError, match="does not match the catalog"):
        fetch_pack(home, store, manager, pack.id)
    assert manager.get(pack.id) is None and downloads(home) == []
    laptop.plan.flip_pack_byte = False
    assert fetch_pack(home, store, manager, pack.id).install is not None


def test_cancelling_keeps_the_part_and_the_next_fetch_resumes_it(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    pack = published()

    class CancelMidway(NullReporter):
        def advance(self, amount: int) -> None:
            if amount:  # as soon as the first bytes are in
                self.cancel()

    with pytest.raises(Cancelled):
        fetch_pack(home, store, manager, pack.id, CancelMidway())
    kept = (home.root / "downloads" / f"{pack.id}-1.mcpack.part").stat().st_size
    assert 0 < kept < pack.length and manager.get(pack.id) is None
    result = fetch_pack(home, store, manager, pack.id)
    assert result.resumed_from == kept and laptop.pack_requests()[-1].headers["range"] == f"bytes={kept}-"


def test_a_pack_from_an_untrusted_publisher_is_refused_by_the_installer_and_kept_for_later(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    stranger = Ed25519PrivateKey.generate()
    pack = published(key=stranger)
    with pytest.raises(PackError, match="signed by a key that is not trusted here") as refused:
        fetch_pack(home, store, manager, pack.id)
    assert "mcdesk trust add" in refused.value.hint
    assert manager.get(pack.id) is None and downloads(home) == [f"{pack.id}-1.mcpack"]
    manager.trust.add(stranger.public_key(), "A publisher the technician now trusts")
    result = fetch_pack(home, store, manager, pack.id)
    assert result.downloaded == 0 and result.install is not None and downloads(home) == []
    assert len(laptop.pack_requests()) == 1


def test_an_unknown_pack_id_is_refused_with_what_the_catalog_offers(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    published()
    with pytest.raises(SyncError, match="has no pack 'org.example.nothing' \\(it offers: org.example.") as refused:
        fetch_pack(home, store, manager, "org.example.nothing")
    assert "mcdesk catalog list" in refused.value.hint
    assert laptop.pack_requests() == [] and downloads(home) == []


def test_a_laptop_that_is_not_enrolled_has_no_catalog(home: Home, store: Store, manager: PackManager) -> None:
    with pytest.raises(SyncError, match="not enrolled"):
        fetch_pack(home, store, manager, "org.example.any")


# --- the catalog ---------------------------------------------------------------------------------


def test_the_catalog_is_verified_remembered_and_lists_the_published_versions(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store) -> None:
    first = published()
    newer = published(version=2)
    catalog = fetch_catalog(home, store)
    assert catalog.get(first.id).version == 2 and catalog.get(first.id).sha256 == newer.sha256  # type: ignore[union-attr]
    assert newer.catalog_version == catalog.version and not catalog.expired()
    remembered = stored_catalog(store)
    assert remembered is not None and remembered.version == catalog.version


def test_an_older_catalog_after_a_newer_one_is_refused(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    published("a")
    old = fetch_catalog(home, store)
    old_answer = laptop.answers["/api/v1/catalog"]
    pack_b = published("b")
    assert fetch_catalog(home, store).version > old.version
    laptop.plan.canned["/api/v1/catalog"] = old_answer  # a replayed (or restored) older catalog
    with pytest.raises(SyncError, match=f"older catalog \\(version {old.version}\\) than the one this laptop"):
        fetch_catalog(home, store)
    with pytest.raises(SyncError, match="older catalog"):
        fetch_pack(home, store, manager, pack_b.id)
    assert stored_catalog(store).version == old.version + 1  # type: ignore[union-attr]
    assert laptop.pack_requests() == []


def test_a_catalog_signed_by_another_key_is_refused(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    pack = published()
    genuine = fetch_catalog(home, store)
    payload = json.loads(parse_compact(json.loads(laptop.answers["/api/v1/catalog"].split(b"\r\n\r\n", 1)[1])
                                       ["catalog"]).payload_bytes)
    payload["version"] += 100
    impostor = Ed25519PrivateKey.generate()
    forged = sign_compact(impostor, key_id(impostor.public_key()), canonical(payload), "mcdesk-catalog+jws")
    laptop.plan.canned["/api/v1/catalog"] = http_answer(200, json.dumps({"catalog": forged}).encode())
    with pytest.raises(SyncError, match="not signed by this laptop's institution"):
        fetch_pack(home, store, manager, pack.id)
    pinned_kid = parse_compact(forged).header["kid"]
    assert pinned_kid != json.loads(store.one("SELECT institution_keys FROM enrolment")[0])[0]["kid"]
    assert stored_catalog(store).version == genuine.version  # type: ignore[union-attr]
    assert laptop.pack_requests() == [] and manager.get(pack.id) is None


def test_a_catalog_altered_after_signing_is_refused(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store) -> None:
    published()
    fetch_catalog(home, store)
    text = json.loads(laptop.answers["/api/v1/catalog"].split(b"\r\n\r\n", 1)[1])["catalog"]
    header, body, signature = text.split(".")
    payload = json.loads(parse_compact(text).payload_bytes)
    payload["packs"][0]["sha256"] = "0" * 64  # point the laptop at other bytes
    from mcdesk.evidence.jws import b64url

    altered = f"{header}.{b64url(canonical(payload))}.{signature}"
    laptop.plan.canned["/api/v1/catalog"] = http_answer(200, json.dumps({"catalog": altered}).encode())
    with pytest.raises(SyncError, match="altered after the institution signed it"):
        fetch_catalog(home, store)


def test_an_expired_catalog_blocks_new_downloads_but_installed_packs_stay_usable(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home, store: Store,
        manager: PackManager) -> None:
    installed = published("a", valid_days=1)
    fetch_pack(home, store, manager, installed.id)
    other = published("b", valid_days=1)
    after_expiry = datetime.now(UTC) + timedelta(days=1, minutes=1)
    with pytest.raises(SyncError, match="catalog expired on .*Installed packs keep working") as refused:
        fetch_pack(home, store, manager, other.id, now=after_expiry)
    assert "renew" in refused.value.hint
    assert manager.get(other.id) is None and laptop.pack_requests()[-1].path.endswith(f"/{installed.id}/1")
    kept = manager.get(installed.id)
    assert kept is not None and (kept.folder / "lessons" / "01.md").read_text().startswith("# Lesson 1")
    assert fetch_pack(home, store, manager, installed.id, now=after_expiry).up_to_date
    assert fetch_catalog(home, store).expired(after_expiry) and downloads(home) == []


# --- the CLI -------------------------------------------------------------------------------------


def test_catalog_list_and_pack_fetch_on_the_command_line(
        laptop: MeddlingProxy, published: Callable[..., PublishedPack], home: Home,
        capsys: pytest.CaptureFixture[str], trusted_key: Ed25519PrivateKey) -> None:
    pack = published()
    assert main(["catalog", "list", "--json", "--home", str(home.root)]) == 0
    listed = json.loads(capsys.readouterr().out)
    row = next(p for p in listed["packs"] if p["id"] == pack.id)
    assert row["state"] == "available" and row["installed_version"] is None and listed["expired"] is False
    assert main(["pack", "fetch", pack.id, "--home", str(home.root)]) == 0
    assert "Installed Test pack 1.1.0 (version 1)" in capsys.readouterr().out
    assert main(["pack", "fetch", pack.id, "--json", "--home", str(home.root)]) == 0
    assert json.loads(capsys.readouterr().out)["up_to_date"] is True
    assert main(["pack", "fetch", "org.example.nothing", "--home", str(home.root)]) == 1
    assert "has no pack 'org.example.nothing'" in capsys.readouterr().err
    assert main(["catalog", "list", "--home", str(home.root)]) == 0
    assert f"{pack.id}" in capsys.readouterr().out
