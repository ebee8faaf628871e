"""The install flow: install, list, update, versions, remove, progress, cancel, recover."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from mcdesk.errors import Cancelled, McdeskError, PackError, StoreError
from mcdesk.home import Home
from mcdesk.learning.progress import add_learner, completed_lessons, mark_lesson_complete
from mcdesk.packs.install import InstalledPack, PackManager, scan_for_packs
from mcdesk.store.db import Store, open_store
from tests.conftest import db_dump
from tests.packs.state import assert_unchanged, capture, staging_is_clean

PACK = "org.example.test"
MakePack = Callable[..., Path]


def installed_files(pack: InstalledPack) -> dict[str, str]:
    return {
        p.relative_to(pack.folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in pack.folder.rglob("*")
        if p.is_file()
    }


def assert_complete(manager: PackManager, pack_id: str = PACK) -> InstalledPack:
    """The pack's folder holds exactly the files of the manifest stored in the database."""
    pack = manager.get(pack_id)
    assert pack is not None
    manifest = manager.manifest(pack_id)
    assert manifest.version == pack.version
    assert installed_files(pack) == {p: e.sha256 for p, e in manifest.files.items()}
    return pack


def items(store: Store, pack_id: str = PACK) -> list[tuple[str, str]]:
    rows = store.query(
        "SELECT item_id, kind FROM pack_items WHERE pack_id = ? ORDER BY position", (pack_id,)
    )
    return [(r["item_id"], r["kind"]) for r in rows]


def log(store: Store) -> list[tuple]:
    rows = store.query(
        "SELECT pack_id, action, from_version, to_version FROM install_log ORDER BY id"
    )
    return [tuple(r) for r in rows]


class Recorder:
    """A reporter that records stages and can run a callback when a stage begins."""

    def __init__(self, on_stage: Callable[[str], None] | None = None) -> None:
        self.stages: list[str] = []
        self.advanced = 0
        self.on_stage = on_stage

    def stage(self, text: str, total: int | None = None) -> None:
        self.stages.append(text)
        if self.on_stage:
            self.on_stage(text)

    def advance(self, amount: int) -> None:
        self.advanced += amount

    def cancelled(self) -> bool:
        return False


class CancelAfter(Recorder):
    """Asks to stop once ``chunks`` chunks of file data have been reported."""

    def __init__(self, chunks: int) -> None:
        super().__init__()
        self.chunks = chunks
        self.calls = 0

    def advance(self, amount: int) -> None:
        super().advance(amount)
        self.calls += 1

    def cancelled(self) -> bool:
        return self.calls >= self.chunks


# --- install and list --------------------------------------------------------------------


def test_install_writes_the_files_rows_and_log_and_list_shows_the_pack(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    recorder = Recorder()
    result = manager.install(make_pack(), recorder)

    assert (result.action, result.previous_version, result.version) == ("install", None, 1)
    assert result.folder == home.packs / PACK / "1"
    assert result.file_count == 4
    pack = assert_complete(manager)
    assert [p.id for p in manager.list()] == [PACK]
    assert pack.title == "Test pack" and pack.display_version == "1.1.0"
    assert pack.publisher == "Test publisher" and pack.size_bytes == result.size_bytes
    assert items(store) == [
        ("main", "module"),
        ("lesson-1", "lesson"),
        ("lesson-2", "lesson"),
        ("check", "quiz"),
    ]
    cred = store.one("SELECT * FROM credentials")
    assert cred["ref"] == f"{PACK}/test-cred" and cred["pack_id"] == PACK
    assert log(store) == [(PACK, "install", None, 1)]
    assert recorder.advanced == result.size_bytes
    assert recorder.stages[-1] == "Saving"
    assert staging_is_clean(home)


def test_list_is_sorted_by_title_and_get_returns_none_for_unknown_ids(
    manager: PackManager, make_pack: MakePack
) -> None:
    manager.install(make_pack(pack_id="org.example.zeta"))
    manager.install(make_pack(pack_id="org.example.alpha"))
    assert [p.id for p in manager.list()] == ["org.example.alpha", "org.example.zeta"]
    assert manager.get("org.example.nothing") is None
    with pytest.raises(PackError, match="No pack 'org.example.nothing' is installed"):
        manager.manifest("org.example.nothing")
    assert manager.get("org.example.alpha").as_json()["folder"].endswith("org.example.alpha/1")


def test_verify_of_a_good_pack_reports_every_check_ok_and_writes_nothing(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    path = make_pack()
    before = capture(home, store)
    report = manager.verify(path)
    assert report.ok, report.checks
    assert [c.name for c in report.checks] == [
        "archive",
        "manifest",
        "signature",
        "compatibility",
        "version",
        "disk",
        "files",
    ]
    assert (report.pack_id, report.version, report.action) == (PACK, 1, "install")
    assert report.trusted_as == "Test publisher" and report.file_count == 4
    assert report.as_json()["ok"] is True
    assert_unchanged(home, store, before)


def test_verify_of_an_installed_version_says_reinstall_needs_force(
    manager: PackManager, make_pack: MakePack
) -> None:
    path = make_pack()
    manager.install(path)
    report = manager.verify(path)
    assert not report.ok
    version = next(c for c in report.checks if c.name == "version")
    assert not version.ok and "--force-downgrade" in version.detail
    assert report.installed_version == 1 and report.action == "reinstall"


# --- update, reinstall, downgrade ----------------------------------------------------------


def test_update_to_a_higher_version_swaps_rows_and_removes_the_old_folder_only_after_commit(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    v1 = manager.install(make_pack(version=1))
    v2_path = make_pack(version=2, lessons=3)
    seen: dict[str, object] = {}

    def at_stage(text: str) -> None:
        if text == "Saving":  # every file is staged; nothing is committed yet
            row = store.one("SELECT version FROM packs WHERE id = ?", (PACK,))
            seen["db_version"] = row["version"]
            seen["old_folder_complete"] = installed_files(manager.get(PACK)) == {
                p: e.sha256 for p, e in manager.manifest(PACK).files.items()
            }

    result = manager.install(v2_path, Recorder(at_stage))

    assert seen == {"db_version": 1, "old_folder_complete": True}
    assert (result.action, result.previous_version, result.version) == ("update", 1, 2)
    pack = assert_complete(manager)
    assert pack.folder == home.packs / PACK / "2" and pack.display_version == "1.2.0"
    assert not v1.folder.exists()
    assert ("lesson-3", "lesson") in items(store)
    assert store.one("SELECT count(*) FROM packs")[0] == 1
    assert log(store)[-1] == (PACK, "update", 1, 2)
    assert sorted(p.name for p in (home.packs / PACK).iterdir()) == ["2"]


def test_update_whose_commit_fails_keeps_the_previous_version_and_removes_the_new_folder(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    v1 = manager.install(make_pack(version=1))
    v2_path = make_pack(version=2, lessons=3)
    store.conn.execute("PRAGMA busy_timeout = 0")  # fail at once instead of waiting 10 s
    blocker = sqlite3.connect(home.db_path, isolation_level=None)
    before = capture(home, store)

    def hold_the_write_lock(text: str) -> None:
        if text == "Saving":
            blocker.execute("BEGIN IMMEDIATE")

    try:
        with pytest.raises(StoreError, match="cannot be written now"):
            manager.install(v2_path, Recorder(hold_the_write_lock))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert_unchanged(home, store, before)
    pack = assert_complete(manager)
    assert pack.version == 1 and pack.folder == v1.folder
    assert not (home.packs / PACK / "2").exists()


def test_equal_version_is_refused_unless_forced_and_then_reinstalled_into_a_fresh_folder(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    path = make_pack()
    first = manager.install(path)
    before = capture(home, store)

    with pytest.raises(PackError, match="Test pack version 1 is already installed") as caught:
        manager.install(path)
    assert "--force-downgrade" in caught.value.hint
    assert_unchanged(home, store, before)

    again = manager.install(path, force_downgrade=True)
    assert (again.action, again.previous_version) == ("reinstall", 1)
    assert again.folder != first.folder and not first.folder.exists()
    assert assert_complete(manager).folder == again.folder
    assert log(store)[-1] == (PACK, "reinstall", 1, 1)
    third = manager.install(path, force_downgrade=True)  # and back to the plain folder name
    assert third.folder == first.folder and not again.folder.exists()
    assert_complete(manager)


def test_lower_version_is_refused_unless_forced_and_then_rolls_back(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    v1_path = make_pack(version=1)
    manager.install(make_pack(version=2, lessons=3))
    before = capture(home, store)

    with pytest.raises(PackError, match="older than the installed version 2"):
        manager.install(v1_path)
    assert_unchanged(home, store, before)

    result = manager.install(v1_path, force_downgrade=True)
    assert (result.action, result.previous_version, result.version) == ("downgrade", 2, 1)
    pack = assert_complete(manager)
    assert pack.version == 1 and pack.folder == home.packs / PACK / "1"
    assert ("lesson-3", "lesson") not in items(store)
    assert not (home.packs / PACK / "2").exists()
    assert log(store)[-1] == (PACK, "downgrade", 2, 1)


def test_an_update_leaves_other_packs_alone(manager: PackManager, make_pack: MakePack) -> None:
    other = manager.install(make_pack(pack_id="org.example.other"))
    files = installed_files(manager.get("org.example.other"))
    manager.install(make_pack(version=1))
    manager.install(make_pack(version=2))
    manager.remove(PACK)
    assert installed_files(manager.get("org.example.other")) == files
    assert manager.get("org.example.other").folder == other.folder


# --- remove ------------------------------------------------------------------------------


def test_remove_deletes_rows_and_folder_and_logs_it(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    manager.install(make_pack())
    removed = manager.remove(PACK)

    assert removed.id == PACK and removed.version == 1
    assert manager.list() == [] and manager.get(PACK) is None
    for table in ("packs", "pack_items", "credentials"):
        assert store.one(f"SELECT count(*) FROM {table}")[0] == 0, table
    assert not (home.packs / PACK).exists()
    assert log(store)[-1] == (PACK, "remove", 1, None)
    with pytest.raises(PackError, match="No pack 'org.example.test' is installed"):
        manager.remove(PACK)


# --- learner progress --------------------------------------------------------------------


def test_learner_progress_is_kept_after_remove_and_visible_again_after_reinstall(
    manager: PackManager, store: Store, make_pack: MakePack
) -> None:
    path = make_pack()
    manager.install(path)
    amina = add_learner(store, "Amina")
    mark_lesson_complete(store, amina, PACK, "lesson-1")
    assert completed_lessons(store, amina, PACK) == {"lesson-1"}

    manager.remove(PACK)
    assert completed_lessons(store, amina, PACK) == set()  # nothing to show without the pack
    kept = store.query("SELECT lesson_id FROM lesson_progress WHERE learner_id = ?", (amina,))
    assert [r["lesson_id"] for r in kept] == ["lesson-1"]
    with pytest.raises(McdeskError, match="no lesson 'lesson-2'"):
        mark_lesson_complete(store, amina, PACK, "lesson-2")

    manager.install(path)
    assert completed_lessons(store, amina, PACK) == {"lesson-1"}


def test_progress_stays_attached_across_an_update_where_ids_are_stable(
    manager: PackManager, store: Store, make_pack: MakePack, tmp_path: Path
) -> None:
    manager.install(make_pack(version=1, lessons=2))
    kofi = add_learner(store, "Kofi")
    mark_lesson_complete(store, kofi, PACK, "lesson-1")
    mark_lesson_complete(store, kofi, PACK, "lesson-2")

    manager.install(make_pack(version=2, lessons=3))
    assert completed_lessons(store, kofi, PACK) == {"lesson-1", "lesson-2"}

    # Version 3 drops lesson-2: its progress stops counting, and returns with a rollback.
    manager.install(make_pack(version=3, lessons=1))
    assert completed_lessons(store, kofi, PACK) == {"lesson-1"}
    manager.install(make_pack(version=2, lessons=3), force_downgrade=True)
    assert completed_lessons(store, kofi, PACK) == {"lesson-1", "lesson-2"}


# --- cancel ------------------------------------------------------------------------------


@pytest.mark.parametrize("chunks", [1, 2, 4], ids=["first-file", "second-file", "last-file"])
def test_cancel_mid_install_raises_cancelled_keeps_the_previous_version_and_cleans_staging(
    chunks: int, manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    v1 = manager.install(make_pack(version=1))
    v2_path = make_pack(version=2)  # 4 small files: one chunk each
    before = capture(home, store)
    reporter = CancelAfter(chunks)

    with pytest.raises(Cancelled, match="nothing was changed"):
        manager.install(v2_path, reporter)

    assert reporter.calls == chunks  # it really stopped where it was asked to
    assert_unchanged(home, store, before)
    pack = assert_complete(manager)
    assert pack.version == 1 and pack.folder == v1.folder
    assert manager.install(v2_path).version == 2  # and a later, uncancelled install works


def test_cancel_of_a_first_install_leaves_no_trace(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    manager.install(make_pack(pack_id="org.example.other"))  # the lock file exists from now on
    before = capture(home, store)
    with pytest.raises(Cancelled):
        manager.install(make_pack(), CancelAfter(1))
    assert_unchanged(home, store, before)
    assert not (home.packs / PACK).exists()


# --- recovery ----------------------------------------------------------------------------


def test_recover_removes_staging_leftovers_and_orphan_version_folders(
    manager: PackManager, store: Store, home: Home, make_pack: MakePack
) -> None:
    installed = manager.install(make_pack())
    files = installed_files(manager.get(PACK))
    leftovers = [
        home.staging / "3f2a9c1d00aa11bb",
        home.staging / "half-written.part",
        home.packs / PACK / "2",
        home.packs / "org.example.gone" / "1",
    ]
    leftovers[0].mkdir(parents=True)
    (leftovers[0] / "lessons").mkdir()
    (leftovers[0] / "lessons" / "01.md").write_text("half")
    leftovers[1].write_bytes(b"x")
    leftovers[2].mkdir()
    (leftovers[2] / "manifest-less.md").write_text("orphan")
    leftovers[3].mkdir(parents=True)
    rows = db_dump(store)

    removed = manager.recover()

    assert sorted(removed) == sorted(leftovers)
    assert list(home.staging.iterdir()) == []
    assert sorted(p.name for p in home.packs.iterdir() if not p.name.startswith(".")) == [PACK]
    assert [p.name for p in (home.packs / PACK).iterdir()] == ["1"]
    assert installed_files(manager.get(PACK)) == files and installed.folder.is_dir()
    assert db_dump(store) == rows
    assert manager.recover() == []  # nothing left to do


def test_install_sweeps_leftovers_of_an_interrupted_install_first(
    manager: PackManager, home: Home, make_pack: MakePack
) -> None:
    (home.staging / "dead").mkdir(parents=True)
    (home.packs / PACK / "1").mkdir(parents=True)  # an orphan where the install wants to go
    (home.packs / PACK / "1" / "junk.md").write_text("from a crash")
    manager.install(make_pack())
    assert list(home.staging.iterdir()) == []
    assert_complete(manager)


# --- concurrency and scanning ------------------------------------------------------------


def test_two_concurrent_installs_of_one_pack_never_interleave(
    home: Home, manager: PackManager, make_pack: MakePack
) -> None:
    path = make_pack()
    outcomes: list[object] = []

    def run() -> None:
        store = open_store(home)
        try:
            outcomes.append(PackManager(home, store).install(path).action)
        except McdeskError as exc:
            outcomes.append(exc.message)
        finally:
            store.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert "install" in outcomes and len(outcomes) == 2
    assert any("is already installed" in str(o) for o in outcomes), outcomes
    assert_complete(manager)
    assert [p.name for p in (home.packs / PACK).iterdir()] == ["1"]


def test_scan_for_packs_finds_mcpack_files_in_folders_but_not_hidden_or_too_deep(
    tmp_path: Path,
) -> None:
    usb = tmp_path / "usb"
    wanted = [
        usb / "a.mcpack",
        usb / "courses" / "b.MCPACK",
        usb / "1" / "2" / "3" / "4" / "c.mcpack",
    ]
    ignored = [
        usb / "notes.txt",
        usb / ".Trash" / "d.mcpack",
        usb / "1" / "2" / "3" / "4" / "5" / "e.mcpack",
    ]
    for path in wanted + ignored:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    single = tmp_path / "single.bin"
    single.write_bytes(b"")

    assert scan_for_packs([usb, single]) == sorted(wanted, key=lambda p: p.parts) + [single]
    with pytest.raises(PackError, match="does not exist"):
        scan_for_packs([tmp_path / "no-such-stick"])


def test_install_indexes_lessons_for_search_and_remove_drops_them(manager, make_pack) -> None:
    manager.install(make_pack())
    rows = manager.store.query("SELECT lesson_id, body FROM lesson_search WHERE lesson_search MATCH 'lesson'")
    assert {r["lesson_id"] for r in rows} == {"lesson-1", "lesson-2"}
    assert all("|" not in r["body"] and "![" not in r["body"] for r in rows)
    manager.remove("org.example.test")
    assert manager.store.query("SELECT * FROM lesson_search") == []


def test_ensure_search_index_fills_in_packs_installed_before_the_index_existed(manager, make_pack) -> None:
    manager.install(make_pack())
    with manager.store.transaction() as conn:
        conn.execute("DELETE FROM lesson_search")
    assert manager.ensure_search_index() == 1
    assert len(manager.store.query("SELECT * FROM lesson_search")) == 2
    assert manager.ensure_search_index() == 0
