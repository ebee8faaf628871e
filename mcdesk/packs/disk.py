"""Disk use of one data folder: installed packs, the database, backups and logs, and the free space left."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from mcdesk.errors import StoreError
from mcdesk.home import Home

# The database is its main file plus SQLite's write-ahead log and shared-memory index beside it.
DATABASE_SUFFIXES = ("", "-wal", "-shm")


@dataclass(frozen=True)
class DiskUse:
    """Bytes used by each part of the data folder, and bytes free on the disk that holds it."""

    root: Path
    packs: int
    database: int
    backups: int
    logs: int
    free: int

    @property
    def total(self) -> int:
        """Everything mcdesk itself uses (packs, database, backups, logs)."""
        return self.packs + self.database + self.backups + self.logs


def disk_use(home: Home) -> DiskUse:
    """Measure the data folder now. Reads sizes only; never follows links out of the folder."""
    database = sum(_file_size(Path(f"{home.db_path}{suffix}")) for suffix in DATABASE_SUFFIXES)
    return DiskUse(
        root=home.root,
        packs=folder_size(home.packs),
        database=database,
        backups=folder_size(home.backups),
        logs=folder_size(home.logs),
        free=shutil.disk_usage(home.root).free,
    )


def folder_size(folder: Path) -> int:
    """Bytes in the regular files under ``folder`` (links are not followed; a missing folder is 0)."""
    total = 0
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed while we looked: an install or removal in another process
        except OSError as exc:
            raise StoreError(f"The folder {current} cannot be read ({exc.strerror}).",
                             "Check the permissions of the data folder.") from exc
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
            except FileNotFoundError:
                continue
    return total


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except FileNotFoundError:
        return 0
