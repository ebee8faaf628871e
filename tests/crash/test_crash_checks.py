"""The crash harness's checks catch what they are there to catch: a lost answer, a half-written pack,
an evidence record changed or an event without its record, a hub copy that differs from the laptop's.

A clean child run fills a laptop; each damage is then made on a copy of its data folder, and the
checks that pass on the original must fail on the copy with the matching message.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.crash.harness import Run, make_laptop
from tests.crash.invariants import Ledger, check_hub, check_laptop
from tests.crash.material import PACK
from tests.hubproc import Hub, running_hub


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Run, Hub]]:
    """A laptop after a clean run of every flow twice and a final sync, and its hub."""
    tmp = tmp_path_factory.mktemp("crash-checks")
    with running_hub(tmp / "hub") as hub:
        run = Run(make_laptop(tmp, hub), hub, random.Random(7))
        run.run_child("--calibrate=2")
        run.run_child("--final")
        run.check()
        yield run, hub


def damaged(run: Run, tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    copy = Path(shutil.copytree(run.laptop.root, tmp_path / "copy", symlinks=True))
    damage(copy)
    return copy


def sql(root: Path, statement: str) -> None:
    """Run ``statement`` on the copy's database, past the outbox's append-only triggers (as a damaged
    file or a bug could)."""
    conn = sqlite3.connect(root / "mcdesk.db")
    with conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'evidence%'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(statement)
    conn.close()


def check_copy(run: Run, root: Path) -> None:
    check_laptop(root, run.ledger, run.laptop.versions, run.ledger.possible_versions())


def test_the_checks_pass_on_the_laptop_as_the_child_left_it(filled: tuple[Run, Hub]) -> None:
    run, _hub = filled
    assert run.ledger.saved and run.ledger.finished and run.ledger.completed and run.records
    assert run.check() == len(run.records)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda root: sql(root, "DELETE FROM quiz_answers WHERE rowid = (SELECT max(rowid) FROM quiz_answers)"),
     "answers shown as saved are lost"),
    (lambda root: sql(root, "UPDATE quiz_attempts SET status = 'open' WHERE id = (SELECT max(id) FROM quiz_attempts)"),
     "shown as finished are open"),
    (lambda root: sql(root, "DELETE FROM lesson_progress WHERE rowid = (SELECT min(rowid) FROM lesson_progress)"),
     "lessons shown as completed are lost"),
    (lambda root: sql(root, "DELETE FROM evidence WHERE seq = (SELECT max(seq) FROM evidence)"),
     "does not match the events"),
    (lambda root: sql(root, "UPDATE evidence SET jws = jws || 'x' WHERE seq = 1"),
     "evidence chain"),
    (lambda root: next((root / "packs" / PACK).iterdir()).joinpath("media", "extra.txt").write_bytes(b"x"),
     "is not that version, whole"),
    (lambda root: sql(root, "UPDATE packs SET manifest_sha256 = 'x'"), "holds another version's manifest"),
    (lambda root: sql(root, "UPDATE packs SET version = 9"), "pack row names"),
])
def test_the_checks_fail_on_a_damaged_copy_of_the_laptop(filled: tuple[Run, Hub], tmp_path: Path,
                                                         damage: Callable[[Path], None], message: str) -> None:
    run, _hub = filled
    copy = damaged(run, tmp_path, damage)
    with pytest.raises(AssertionError, match=message):
        check_copy(run, copy)


def test_the_hub_check_fails_when_the_hub_copy_differs_or_a_synced_record_is_missing(
        filled: tuple[Run, Hub]) -> None:
    run, hub = filled
    records = list(run.records)
    records[0] = replace(records[0], jws=records[1].jws)  # another record's signed text
    with pytest.raises(AssertionError, match="differ from the laptop's"):
        check_hub(hub.data / "hub.db", run.laptop.device_id, records, run.ledger)
    ahead = Ledger(synced_top=len(run.records) + 1)
    with pytest.raises(AssertionError, match="the hub holds"):
        check_hub(hub.data / "hub.db", run.laptop.device_id, run.records, ahead)
