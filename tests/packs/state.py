"""The data folder and database as they are now, to prove that a refused operation changed nothing."""

from __future__ import annotations

from dataclasses import dataclass

from mcdesk.home import Home
from mcdesk.store.db import Store
from tests.conftest import db_dump, snapshot


def tree(home: Home) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder of the data folder, except the staging folder itself
    and SQLite's -wal/-shm files."""
    state: dict[str, bytes | None] = dict(snapshot(home.root))
    for path in home.root.rglob("*"):
        if path.is_dir() and path != home.staging:
            state[path.relative_to(home.root).as_posix() + "/"] = None
    return state


def staging_is_clean(home: Home) -> bool:
    return not home.staging.exists() or not any(home.staging.iterdir())


@dataclass(frozen=True)
class Before:
    files: dict[str, bytes | None]
    rows: list[str]


def capture(home: Home, store: Store) -> Before:
    return Before(tree(home), db_dump(store))


def assert_unchanged(home: Home, store: Store, before: Before) -> None:
    assert staging_is_clean(home), list(home.staging.iterdir())
    after = tree(home)
    assert sorted(after) == sorted(before.files), "files or folders were added or removed"
    assert after == before.files, "a file changed"
    assert db_dump(store) == before.rows
