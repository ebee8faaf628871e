"""The hub's data folder, database and building blocks, in-process: migrations, codes, gzip limits."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from mcdesk.errors import StoreError
from mcdesk.hub.bodies import gunzip_capped
from mcdesk.hub.devices import code_hash, normalise_code
from mcdesk.hub.errors import HubError
from mcdesk.hub.institution import load_institution
from mcdesk.hub.store import MIGRATIONS, HubData, open_store


def test_the_database_is_wal_with_full_sync_at_the_newest_schema(tmp_path: Path) -> None:
    data = HubData.open(tmp_path / "hub")
    with open_store(data) as store:
        assert store.schema_version() == max(MIGRATIONS)
        assert store.one("PRAGMA journal_mode")[0] == "wal"
        assert store.one("PRAGMA synchronous")[0] == 2  # FULL
    with open_store(data) as store:  # opening again migrates nothing
        assert store.schema_version() == max(MIGRATIONS)
    assert list(data.backups.iterdir()) == []


def test_a_database_from_a_newer_hub_is_refused_untouched(tmp_path: Path) -> None:
    data = HubData.open(tmp_path / "hub")
    open_store(data).close()
    conn = sqlite3.connect(data.db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer mcdesk"):
        open_store(data)
    conn = sqlite3.connect(data.db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_a_data_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hub").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot be created"):
        HubData.open(tmp_path / "hub")


def test_the_institution_key_is_made_once_and_kept(tmp_path: Path) -> None:
    data = HubData.open(tmp_path / "hub")
    with open_store(data) as store:
        first = load_institution(store, data)
        again = load_institution(store, data)
    assert first.kid == again.kid and first.id == again.id and first.id.startswith("urn:uuid:")
    assert [p.name for p in data.keys.iterdir()] == ["institution.key.pem"]


def test_a_damaged_institution_key_is_refused(tmp_path: Path) -> None:
    data = HubData.open(tmp_path / "hub")
    data.key_path.write_text("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    with open_store(data) as store, pytest.raises(HubError, match="institution key"):
        load_institution(store, data)


@pytest.mark.parametrize(("text", "normal"), [
    ("K7QM-3XWD-9FRT", "K7QM3XWD9FRT"), ("k7qm 3xwd 9frt", "K7QM3XWD9FRT"), ("k7qm3xwd9frt", "K7QM3XWD9FRT"),
    ("K7QM-3XWD-9FR", None), ("K7QM-3XWD-9FRO", None), ("K7QM-3XWD-9FR1", None), ("", None),
])
def test_codes_are_read_case_and_dash_insensitively_from_an_unambiguous_alphabet(text: str, normal: str | None) -> None:
    assert normalise_code(text) == normal


def test_a_code_that_cannot_be_one_is_unknown() -> None:
    with pytest.raises(HubError) as caught:
        code_hash("hello")
    assert caught.value.code == "code_unknown" and caught.value.status == 403


def test_gzip_of_several_members_is_inflated_whole() -> None:
    assert gunzip_capped(gzip.compress(b"abc") + gzip.compress(b"def"), 100) == b"abcdef"


def test_gzip_inflating_exactly_to_the_cap_passes_and_one_byte_more_is_refused() -> None:
    assert gunzip_capped(gzip.compress(b"x" * 1000), 1000) == b"x" * 1000
    with pytest.raises(HubError) as caught:
        gunzip_capped(gzip.compress(b"x" * 1001), 1000)
    assert caught.value.status == 413


@pytest.mark.parametrize("data", [gzip.compress(b"abc")[:-3], gzip.compress(b"abc") + b"junk", b"plain"])
def test_damaged_gzip_is_refused_as_bad_gzip(data: bytes) -> None:
    with pytest.raises(HubError) as caught:
        gunzip_capped(data, 100)
    assert caught.value.code == "bad_gzip" and caught.value.status == 400
