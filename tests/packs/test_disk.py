"""Disk use of the data folder: what each part holds, measured from the real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mcdesk.errors import StoreError
from mcdesk.home import Home
from mcdesk.packs.disk import disk_use, folder_size
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store


def test_each_part_counts_the_bytes_of_its_own_files(home: Home, store: Store, manager: PackManager,
                                                     make_pack) -> None:
    result = manager.install(make_pack(extra_files={"media/blob.bin": os.urandom(50_000)}))
    (home.backups / "a.db").write_bytes(b"x" * 1_000)
    (home.backups / "older").mkdir()
    (home.backups / "older" / "b.db").write_bytes(b"x" * 500)
    (home.logs / "mcdesk.log").write_bytes(b"y" * 321)

    use = disk_use(home)

    files = [p for p in result.folder.rglob("*") if p.is_file()]
    assert use.packs == sum(p.stat().st_size for p in files) + (home.packs / ".lock").stat().st_size
    assert use.packs >= 50_000
    assert use.backups == 1_500
    assert use.logs == 321
    assert use.root == home.root
    assert use.total == use.packs + use.database + use.backups + use.logs
    assert 0 < use.free <= shutil.disk_usage(home.root).total


def test_the_database_counts_its_write_ahead_log_and_shared_memory_files(home: Home, store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('filler', ?)", ("z" * 200_000,))
    wal = Path(f"{home.db_path}-wal")
    shm = Path(f"{home.db_path}-shm")
    assert wal.stat().st_size > 0  # WAL mode: the change is still in the log
    expected = home.db_path.stat().st_size + wal.stat().st_size + shm.stat().st_size
    assert disk_use(home).database == expected
    assert disk_use(home).database > home.db_path.stat().st_size


def test_a_missing_folder_or_database_counts_as_nothing(tmp_path: Path) -> None:
    home = Home(tmp_path / "never-created")
    (tmp_path / "never-created").mkdir()
    use = disk_use(home)
    assert (use.packs, use.database, use.backups, use.logs) == (0, 0, 0, 0)
    assert folder_size(tmp_path / "nothing-here") == 0


def test_links_are_not_followed_out_of_the_data_folder(home: Home, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "huge.bin").write_bytes(b"h" * 100_000)
    (home.logs / "elsewhere").symlink_to(outside, target_is_directory=True)
    (home.logs / "file-link").symlink_to(outside / "huge.bin")
    (home.logs / "real.log").write_bytes(b"r" * 10)
    assert disk_use(home).logs == 10


def test_a_folder_that_cannot_be_read_is_reported_with_what_to_do(home: Home) -> None:
    # A folder nested deeper than the system's path length limit cannot be listed by its path
    # (ENAMETOOLONG), whoever runs the test; it is made one level at a time through folder handles.
    fd = os.open(home.logs, os.O_RDONLY)
    try:
        for _level in range(24):
            os.mkdir("d" * 200, dir_fd=fd)
            deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
    finally:
        os.close(fd)
    try:
        with pytest.raises(StoreError, match="cannot be read") as info:
            disk_use(home)
        assert "permissions" in info.value.hint
    finally:
        shutil.rmtree(home.logs / ("d" * 200))
