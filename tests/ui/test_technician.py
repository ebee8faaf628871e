"""The technician panel driven through its real widgets: installing packs from a folder after the verify
report, cancelling an install, removing packs, trusting and distrusting publishers, disk use."""

from __future__ import annotations

import os
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from mcdesk.keys import key_id, new_key_pair, public_pem
from mcdesk.learning.progress import add_learner, completed_lessons, mark_lesson_complete
from mcdesk.packs.disk import disk_use
from mcdesk.packs.install import PackManager
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.progress_dialog import OperationProgressDialog, run_with_progress
from mcdesk.ui.technician import PublisherNameDialog, TechnicianPanel, VerifyReportDialog, format_size
from tests.conftest import snapshot

MakePack = Callable[..., Path]
SIZES = ((1024, 600), (1366, 768))


# --- helpers -----------------------------------------------------------------------------------------


@pytest.fixture
def ctx(home, store, manager: PackManager) -> Iterator[Context]:
    context = Context(home=home, store=store, manager=manager, worker=Worker(), technician=True)
    yield context
    context.worker.wait()


@pytest.fixture
def panel(qtbot, ctx: Context) -> TechnicianPanel:
    widget = TechnicianPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitUntil(lambda: not _busy(ctx))
    return widget


def _busy(ctx: Context) -> bool:
    return not ctx.worker.wait(0)  # a job queued or running


def tamper(path: Path, target: Path) -> Path:
    """The same pack with one byte of a lesson changed: the signed manifest's sha256 no longer matches."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "lessons/01.md":
                data = data.replace(b"Some text", b"Some test", 1)
            out.writestr(info.filename, data)
    return target


def table_rows(panel_table) -> list[list[str]]:
    rows = []
    for i in range(panel_table.topLevelItemCount()):
        item = panel_table.topLevelItem(i)
        rows.append([item.text(c) for c in range(panel_table.columnCount())])
    return rows


def select_row(table, key: str) -> None:
    for i in range(table.topLevelItemCount()):
        item = table.topLevelItem(i)
        if item.data(0, Qt.ItemDataRole.UserRole) == key:
            table.setCurrentItem(item)
            return
    raise AssertionError(f"no row for {key}")


def report_of(qtbot, panel: TechnicianPanel) -> VerifyReportDialog:
    qtbot.waitUntil(lambda: panel.packs.report_dialog is not None and panel.packs.report_dialog.isVisible())
    dialog = panel.packs.report_dialog
    assert dialog is not None
    return dialog


def statuses(dialog: VerifyReportDialog) -> dict[str, str]:
    """Each check's shown name and its ok/FAIL label."""
    return {name.text(): status.text() for name, status, _detail in dialog.check_rows}


class BlockedWorker:
    """Holds the single database worker busy until released, so a test can act on a progress dialog
    before the operation behind it starts: the order of events is then certain, not a race."""

    def __init__(self, ctx: Context) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()

        def hold(_rep: object) -> None:
            self.started.set()
            self.gate.wait(60)

        ctx.worker.run(hold)
        assert self.started.wait(10)

    def release(self) -> None:
        self.gate.set()


class MessageBoxCloser:
    """Closes the blocking message boxes ``show_error`` opens (with exec()), remembering their text."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._check)
        self.timer.start(20)

    def _check(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.texts.append(box.text() + " " + box.informativeText())
            box.done(0)

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def message_boxes() -> Iterator[MessageBoxCloser]:
    closer = MessageBoxCloser()
    yield closer
    closer.stop()


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- installing from a folder --------------------------------------------------------------------------


def test_installing_from_a_folder_shows_each_verify_report_installs_the_good_packs_and_skips_the_bad(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack,
        tmp_path: Path) -> None:
    manager.install(make_pack(pack_id="org.example.alpha", version=1))
    usb = tmp_path / "usb"
    (usb / "more").mkdir(parents=True)
    make_pack(pack_id="org.example.alpha", version=2).rename(usb / "1-alpha-v2.mcpack")
    make_pack(pack_id="org.example.beta", version=1).rename(usb / "2-beta.mcpack")
    tamper(make_pack(pack_id="org.example.delta", version=1), usb / "3-tampered.mcpack")
    make_pack(Ed25519PrivateKey.generate(), pack_id="org.example.echo").rename(usb / "4-untrusted.mcpack")
    make_pack(pack_id="org.example.gamma", version=3).rename(usb / "more" / "5-gamma.mcpack")
    (usb / "notes.txt").write_text("not a pack")
    panel.packs.choose_folder = lambda: usb
    ctx.bus.notify("packs")
    qtbot.waitUntil(lambda: len(panel.packs.packs) == 1)

    click(qtbot, panel.packs.install_folder_button)

    # 1: an update of an installed pack, every check ok; it goes through the progress dialog.
    dialog = report_of(qtbot, panel)
    assert set(statuses(dialog).values()) == {"ok"}
    assert "updates version 1 to 2" in dialog.verdict.text()
    assert dialog.counter.text() == "Pack 1 of 5"
    assert not dialog.force.isVisibleTo(dialog)
    blocked = BlockedWorker(ctx)
    try:
        click(qtbot, dialog.install_button)
        progress = next(d for d in panel.findChildren(OperationProgressDialog) if d.isVisible())
        assert progress.windowTitle() == "Installing Test pack"
        assert progress.isModal()
    finally:
        blocked.release()

    # 2: a new pack.
    dialog = report_of(qtbot, panel)
    assert dialog.report.pack_id == "org.example.beta"
    assert set(statuses(dialog).values()) == {"ok"}
    assert dialog.verdict.text() == "Every check passed. This pack can be installed."
    click(qtbot, dialog.install_button)

    # 3: tampered: the files check fails, and it cannot be installed.
    dialog = report_of(qtbot, panel)
    assert dialog.report.pack_id == "org.example.delta"
    assert statuses(dialog)["Files"] == "FAIL"
    assert statuses(dialog)["Signature"] == "ok"
    detail = next(d.text() for n, _s, d in dialog.check_rows if n.text() == "Files")
    assert "lessons/01.md: its content does not match the sha256 in the signed manifest" in detail
    assert dialog.verdict.text().startswith("Do not install this pack: 1 check(s) failed.")
    assert not dialog.install_button.isEnabled()
    assert dialog.skip_button.isDefault()
    click(qtbot, dialog.skip_button)

    # 4: signed by a key nobody trusts here.
    dialog = report_of(qtbot, panel)
    assert dialog.report.pack_id == "org.example.echo"
    assert statuses(dialog)["Signature"] == "FAIL"
    assert "add their key under Trusted publishers" in dialog.verdict.text()
    assert not dialog.install_button.isEnabled()
    click(qtbot, dialog.skip_button)

    # 5: found one folder down.
    dialog = report_of(qtbot, panel)
    assert dialog.report.pack_id == "org.example.gamma"
    assert not dialog.stop_button.isVisibleTo(dialog)  # nothing after the last one
    click(qtbot, dialog.install_button)

    qtbot.waitUntil(lambda: panel.packs.session is None and len(panel.packs.packs) == 3)
    assert {p.id: p.version for p in manager.list()} == {
        "org.example.alpha": 2, "org.example.beta": 1, "org.example.gamma": 3}
    shown = {row[1]: row for row in table_rows(panel.packs.table)}
    assert set(shown) == {"org.example.alpha", "org.example.beta", "org.example.gamma"}
    assert shown["org.example.alpha"][2] == "1.2.0 (2)"
    assert shown["org.example.gamma"][0] == "Test pack"
    assert panel.packs.status.text() == "Installed 3 pack(s): Test pack, Test pack, Test pack. Skipped 2."
    assert not (ctx.home.packs / "org.example.delta").exists()
    assert not (ctx.home.packs / "org.example.echo").exists()


def test_a_rollback_needs_the_explicit_checkbox_in_the_report(
        qtbot, panel: TechnicianPanel, manager: PackManager, make_pack: MakePack) -> None:
    old = make_pack(version=1)
    manager.install(make_pack(version=2))
    panel.packs.choose_files = lambda: [old]
    click(qtbot, panel.packs.install_files_button)
    dialog = report_of(qtbot, panel)
    assert statuses(dialog)["Version"] == "FAIL"
    assert "older than the installed version 2" in dialog.verdict.text()
    assert dialog.force.isVisibleTo(dialog)
    assert not dialog.install_button.isEnabled()
    dialog.force.click()
    assert dialog.install_button.isEnabled()
    click(qtbot, dialog.install_button)
    qtbot.waitUntil(lambda: panel.packs.session is None)
    assert manager.get("org.example.test").version == 1
    assert panel.packs.status.text().startswith("Installed 1 pack(s)")


def test_a_reinstall_left_unticked_is_skipped_and_changes_nothing(
        qtbot, panel: TechnicianPanel, manager: PackManager, make_pack: MakePack, home) -> None:
    pack = make_pack(version=1)
    manager.install(pack)
    before = snapshot(home.packs)
    panel.packs.choose_files = lambda: [pack]
    click(qtbot, panel.packs.install_files_button)
    dialog = report_of(qtbot, panel)
    assert "version 1 is already installed" in dialog.verdict.text()
    assert not dialog.install_button.isEnabled()
    dialog.accept()  # Enter on the dialog: still not installable, so it counts as skipped
    qtbot.waitUntil(lambda: panel.packs.session is None)
    assert panel.packs.status.text() == "Skipped 1."
    assert snapshot(home.packs) == before


def test_skip_the_rest_stops_after_the_current_pack(
        qtbot, panel: TechnicianPanel, manager: PackManager, make_pack: MakePack, tmp_path: Path) -> None:
    usb = tmp_path / "stick"
    usb.mkdir()
    for n in range(3):
        make_pack(pack_id=f"org.example.p{n}").rename(usb / f"{n}.mcpack")
    panel.packs.choose_folder = lambda: usb
    click(qtbot, panel.packs.install_folder_button)
    dialog = report_of(qtbot, panel)
    assert dialog.stop_button.isVisibleTo(dialog)
    click(qtbot, dialog.stop_button)
    qtbot.waitUntil(lambda: panel.packs.session is None)
    assert panel.packs.status.text() == "Skipped 3."
    assert manager.list() == []


def test_a_folder_without_packs_says_so_and_installs_nothing(
        qtbot, panel: TechnicianPanel, manager: PackManager, tmp_path: Path) -> None:
    empty = tmp_path / "empty-stick"
    empty.mkdir()
    (empty / "readme.txt").write_text("hello")
    panel.packs.choose_folder = lambda: empty
    click(qtbot, panel.packs.install_folder_button)
    qtbot.waitUntil(lambda: panel.packs.message is not None and panel.packs.message.isVisible())
    assert panel.packs.message.text() == f"No .mcpack files were found in {empty}."
    panel.packs.message.done(0)
    qtbot.waitUntil(lambda: panel.packs.message is None)
    assert panel.packs.install_folder_button.isEnabled()
    assert manager.list() == []


def test_choosing_no_folder_or_no_files_does_nothing(qtbot, panel: TechnicianPanel, ctx: Context) -> None:
    panel.packs.choose_folder = lambda: None
    panel.packs.choose_files = lambda: []
    click(qtbot, panel.packs.install_folder_button)
    click(qtbot, panel.packs.install_files_button)
    assert panel.packs.session is None and panel.packs.report_dialog is None
    assert panel.packs.status.text() == ""


def test_cancelling_an_update_of_a_large_pack_keeps_the_previous_version(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack, home) -> None:
    manager.install(make_pack(version=1))
    files = {f"media/part-{n:03d}.bin": bytes([n % 251]) * 40_000 for n in range(300)}
    big = make_pack(version=2, extra_files=files)
    before_files, before_rows = snapshot(home.packs), ctx.store.query("SELECT * FROM packs")
    panel.packs.choose_files = lambda: [big]
    click(qtbot, panel.packs.install_files_button)
    dialog = report_of(qtbot, panel)
    assert dialog.report.file_count == 304
    blocked = BlockedWorker(ctx)
    try:
        click(qtbot, dialog.install_button)
        progress = next(d for d in panel.findChildren(OperationProgressDialog) if d.isVisible())
        click(qtbot, progress.cancel_button)
        assert progress.labelText() == "Cancelling…"
        assert not progress.cancel_button.isEnabled()
        assert progress.isVisible()  # stays until the install has really stopped
    finally:
        blocked.release()
    run = panel.packs.progress
    qtbot.waitUntil(lambda: run.notice is not None and run.notice.isVisible())
    assert run.notice.text() == "Cancelled; nothing was changed."
    assert not any(d.isVisible() for d in panel.findChildren(OperationProgressDialog))
    run.notice.done(0)
    qtbot.waitUntil(lambda: panel.packs.session is None)
    assert manager.get("org.example.test").version == 1
    assert [tuple(r) for r in ctx.store.query("SELECT * FROM packs")] == [tuple(r) for r in before_rows]
    assert snapshot(home.packs) == before_files
    assert not any(home.staging.iterdir()) if home.staging.exists() else True
    assert panel.packs.status.text() == "The last step was cancelled; it changed nothing."


def test_the_cancel_notice_says_nothing_was_changed_and_is_not_an_error(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack) -> None:
    pack = make_pack()
    finished: list[BaseException] = []
    blocked = BlockedWorker(ctx)
    try:
        run = run_with_progress(panel, ctx, "Installing", lambda rep: manager.install(pack, rep),
                                on_done=lambda _r: None, on_failed=finished.append)
        qtbot.keyClick(run.dialog, Qt.Key.Key_Escape)
        assert run.cancel_requested
    finally:
        blocked.release()
    qtbot.waitUntil(lambda: run.notice is not None and run.notice.isVisible())
    assert run.notice.text() == "Cancelled; nothing was changed."
    assert run.notice.icon() == QMessageBox.Icon.Information
    assert finished == []  # the sequence carries on only once the person has read it
    run.notice.done(0)
    qtbot.waitUntil(lambda: len(finished) == 1)
    assert type(finished[0]).__name__ == "Cancelled"
    assert manager.list() == []


def test_an_install_that_fails_after_the_report_shows_the_error_and_carries_on(
        qtbot, panel: TechnicianPanel, manager: PackManager, make_pack: MakePack, tmp_path: Path,
        message_boxes: MessageBoxCloser) -> None:
    pack = make_pack()
    panel.packs.choose_files = lambda: [pack]
    click(qtbot, panel.packs.install_files_button)
    dialog = report_of(qtbot, panel)
    pack.write_bytes(b"not a zip any more")  # the file changes on the stick after the check
    click(qtbot, dialog.install_button)
    qtbot.waitUntil(lambda: panel.packs.session is None)
    assert len(message_boxes.texts) == 1
    assert panel.packs.status.text() == "1 could not be installed."
    assert manager.list() == []


# --- remove ------------------------------------------------------------------------------------------------


def test_remove_asks_first_names_the_pack_and_keeps_learner_progress(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack) -> None:
    pack = make_pack()
    manager.install(pack)
    manager.install(make_pack(pack_id="org.example.other"))
    learner = add_learner(ctx.store, "Amina")
    mark_lesson_complete(ctx.store, learner, "org.example.test", "lesson-1")
    ctx.bus.notify("packs")
    qtbot.waitUntil(lambda: len(panel.packs.packs) == 2)
    assert not panel.packs.remove_button.isEnabled()
    select_row(panel.packs.table, "org.example.test")

    click(qtbot, panel.packs.remove_button)  # first time: keep it
    qtbot.waitUntil(lambda: panel.packs.message is not None and panel.packs.message.isVisible())
    box = panel.packs.message
    assert box.text() == "Remove Test pack (org.example.test) from this laptop?"
    assert "progress in it is kept" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: panel.packs.message is None)
    assert manager.get("org.example.test") is not None

    click(qtbot, panel.packs.remove_button)  # second time: remove it
    qtbot.waitUntil(lambda: panel.packs.message is not None and panel.packs.message.isVisible())
    remove = next(b for b in panel.packs.message.buttons() if b.text() == "&Remove")
    remove.click()
    qtbot.waitUntil(lambda: len(panel.packs.packs) == 1)
    assert [row[1] for row in table_rows(panel.packs.table)] == ["org.example.other"]
    assert manager.get("org.example.test") is None
    assert panel.packs.status.text() == "Removed Test pack. Learners' progress in it is kept."
    ctx.worker.wait()
    manager.install(pack)  # the progress comes back with the pack
    assert completed_lessons(ctx.store, learner, "org.example.test") == {"lesson-1"}


# --- trusted publishers ---------------------------------------------------------------------------------


def test_trusting_a_key_from_a_file_shows_its_id_asks_the_name_and_lists_it(
        qtbot, panel: TechnicianPanel, manager: PackManager, tmp_path: Path) -> None:
    files = new_key_pair(tmp_path / "keys", "acme", passphrase=None)
    panel.tabs.setCurrentWidget(panel.trust)
    panel.trust.choose_key_file = lambda: files.public
    click(qtbot, panel.trust.add_button)
    qtbot.waitUntil(lambda: panel.trust.name_dialog is not None and panel.trust.name_dialog.isVisible())
    dialog: PublisherNameDialog = panel.trust.name_dialog
    assert dialog.key.text().replace(" ", "") == files.key_id
    assert dialog.name.text() == "acme"
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.name.clear()
    assert not ok.isEnabled()  # a key needs a name
    qtbot.keyClicks(dialog.name, "Acme Learning")
    click(qtbot, ok)
    qtbot.waitUntil(lambda: any(k.key_id == files.key_id for k in panel.trust.keys))
    row = next(r for r in table_rows(panel.trust.table) if r[0] == "Acme Learning")
    assert row[1] == files.key_id[:16]
    assert row[2] == "added by a technician"
    assert manager.trust.get(files.key_id).name == "Acme Learning"
    assert panel.trust.status.text() == "Packs signed by Acme Learning can now be installed."


def test_cancelling_the_name_question_trusts_nothing(
        qtbot, panel: TechnicianPanel, manager: PackManager, tmp_path: Path) -> None:
    files = new_key_pair(tmp_path / "keys", "acme", passphrase=None)
    panel.trust.choose_key_file = lambda: files.public
    click(qtbot, panel.trust.add_button)
    qtbot.waitUntil(lambda: panel.trust.name_dialog is not None and panel.trust.name_dialog.isVisible())
    panel.trust.name_dialog.reject()
    qtbot.waitUntil(lambda: panel.trust.name_dialog is None)
    assert manager.trust.list() == []


def test_a_private_key_file_is_refused_with_a_message(
        qtbot, panel: TechnicianPanel, manager: PackManager, tmp_path: Path,
        message_boxes: MessageBoxCloser) -> None:
    files = new_key_pair(tmp_path / "keys", "acme", passphrase=None)
    panel.trust.choose_key_file = lambda: files.private
    click(qtbot, panel.trust.add_button)
    qtbot.waitUntil(lambda: len(message_boxes.texts) == 1)
    assert "holds a private key" in message_boxes.texts[0]
    assert panel.trust.name_dialog is None
    assert manager.trust.list() == []


def test_a_key_already_trusted_is_refused_with_a_message(
        qtbot, panel: TechnicianPanel, manager: PackManager, trusted_key: Ed25519PrivateKey, tmp_path: Path,
        message_boxes: MessageBoxCloser) -> None:
    pem = tmp_path / "again.pub.pem"
    pem.write_bytes(public_pem(trusted_key.public_key()))
    panel.trust.choose_key_file = lambda: pem
    click(qtbot, panel.trust.add_button)
    qtbot.waitUntil(lambda: panel.trust.name_dialog is not None and panel.trust.name_dialog.isVisible())
    click(qtbot, panel.trust.name_dialog.buttons.button(panel.trust.name_dialog.buttons.StandardButton.Ok))
    qtbot.waitUntil(lambda: len(message_boxes.texts) == 1)
    assert "already trusted as 'Test publisher'" in message_boxes.texts[0]
    assert [k.name for k in manager.trust.list()] == ["Test publisher"]


def test_removing_a_trusted_key_asks_first_and_then_the_list_drops_it(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager,
        trusted_key: Ed25519PrivateKey) -> None:
    kid = key_id(trusted_key.public_key())
    ctx.bus.notify("trust")
    qtbot.waitUntil(lambda: len(panel.trust.keys) == 1)
    assert not panel.trust.remove_button.isEnabled()
    select_row(panel.trust.table, kid)

    click(qtbot, panel.trust.remove_button)
    qtbot.waitUntil(lambda: panel.trust.message is not None and panel.trust.message.isVisible())
    assert panel.trust.message.text() == f"Stop trusting Test publisher (key {kid[:16]})?"
    assert "will be refused" in panel.trust.message.informativeText()
    panel.trust.message.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: panel.trust.message is None)
    assert manager.trust.get(kid) is not None

    click(qtbot, panel.trust.remove_button)
    qtbot.waitUntil(lambda: panel.trust.message is not None and panel.trust.message.isVisible())
    next(b for b in panel.trust.message.buttons() if b.text() == "Stop &trusting").click()
    qtbot.waitUntil(lambda: panel.trust.keys == [])
    assert manager.trust.list() == []
    assert table_rows(panel.trust.table) == []
    assert panel.trust.empty.isVisibleTo(panel.trust)
    assert panel.trust.status.text() == "Test publisher is no longer trusted."


# --- disk --------------------------------------------------------------------------------------------------


def test_disk_tab_shows_the_numbers_disk_use_measures(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack, home) -> None:
    manager.install(make_pack())
    (home.backups / "old.db").write_bytes(b"b" * 12_345)
    (home.logs / "mcdesk.log").write_bytes(b"l" * 2_048)
    assert panel.disk.use is None  # not measured until it is shown
    panel.tabs.setCurrentWidget(panel.disk)
    qtbot.waitUntil(lambda: panel.disk.use is not None)
    ctx.worker.wait()
    shown = panel.disk.use
    now = disk_use(home)
    assert (shown.packs, shown.database, shown.backups, shown.logs) == (now.packs, now.database, 12_345, 2_048)
    assert shown.root == home.root
    assert panel.disk.folder.text() == str(home.root)
    for name in ("packs", "database", "backups", "logs", "total", "free"):
        assert panel.disk.values[name].text() == format_size(getattr(shown, name))
    assert panel.disk.values["backups"].text() == format_size(12_345)


def test_disk_tab_measures_again_after_an_install(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack, home) -> None:
    panel.tabs.setCurrentWidget(panel.disk)
    qtbot.waitUntil(lambda: panel.disk.use is not None)
    assert panel.disk.use.packs == 0
    pack = make_pack(extra_files={"media/big.bin": os.urandom(300_000)})
    ctx.run(lambda rep: ctx.manager.install(pack, rep), changes=("packs",))
    qtbot.waitUntil(lambda: panel.disk.use.packs > 300_000)
    assert panel.disk.values["packs"].text() == format_size(panel.disk.use.packs)


# --- the panel ----------------------------------------------------------------------------------------


def test_add_tab_puts_another_widget_in_the_panel_and_follows_its_title(qtbot, panel: TechnicianPanel) -> None:
    learners = QWidget()
    index = panel.add_tab(learners, "Learners")
    assert panel.tabs.tabText(index) == "Learners"
    assert panel.tabs.widget(index) is learners
    learners.setWindowTitle("Apprenants")
    assert panel.tabs.tabText(index) == "Apprenants"


def test_every_button_and_list_has_an_accessible_name(qtbot, panel: TechnicianPanel) -> None:
    for widget in panel.findChildren(QPushButton):
        assert widget.accessibleName(), widget.text()
    for table in (panel.packs.table, panel.trust.table):
        assert table.accessibleName()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_screenshots_of_the_tabs_and_the_verify_report(
        qtbot, panel: TechnicianPanel, ctx: Context, manager: PackManager, make_pack: MakePack,
        tmp_path: Path, size: tuple[int, int]) -> None:
    manager.install(make_pack(pack_id="org.example.digital-literacy-essentials-for-lab-laptops"))
    manager.install(make_pack(pack_id="org.example.b", version=2))
    ctx.bus.notify("packs", "trust")
    panel.resize(*size)
    qtbot.waitUntil(lambda: len(panel.packs.packs) == 2 and len(panel.trust.keys) == 1)
    out = Path(os.environ.get("MCDESK_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: not _busy(ctx))
        if panel.tabs.currentWidget() is panel.disk:
            qtbot.waitUntil(lambda: panel.disk.use is not None)
        image = panel.grab()
        assert (image.width(), image.height()) == size
        image.save(str(out / f"technician-{index}-{size[0]}x{size[1]}.png"))
    # Nothing is cut off: every column of the packs list fits or the list scrolls sideways.
    header = panel.packs.table.header()
    assert header.length() <= panel.packs.table.viewport().width() or \
        panel.packs.table.horizontalScrollBar().maximum() > 0

    blocked = BlockedWorker(ctx)
    try:
        run = run_with_progress(panel, ctx, "Installing Digital Literacy Essentials 1.2.0",
                                lambda rep: None, on_done=lambda _r: None)
        qtbot.waitUntil(run.dialog.isVisible)
        run.dialog.grab().save(str(out / f"progress-{size[0]}x{size[1]}.png"))
        assert run.dialog.width() <= size[0]
    finally:
        blocked.release()
    qtbot.waitUntil(lambda: run.finished)

    panel.packs.choose_files = lambda: [tamper(make_pack(pack_id="org.example.b", version=3),
                                               tmp_path / "bad.mcpack")]
    panel.tabs.setCurrentWidget(panel.packs)
    click(qtbot, panel.packs.install_files_button)
    dialog = report_of(qtbot, panel)
    assert dialog.width() <= size[0] and dialog.height() <= size[1]
    dialog.grab().save(str(out / f"verify-report-{size[0]}x{size[1]}.png"))
    click(qtbot, dialog.skip_button)
    qtbot.waitUntil(lambda: panel.packs.session is None)


def test_results_arriving_after_the_panel_was_closed_are_dropped(
        qtbot, ctx: Context, manager: PackManager, make_pack: MakePack) -> None:
    from shiboken6 import delete

    panel = TechnicianPanel(ctx)
    panel.show()
    qtbot.waitUntil(lambda: not _busy(ctx))
    manager.install(make_pack())
    blocked = BlockedWorker(ctx)
    try:
        ctx.bus.notify("packs", "trust")  # the lists ask for fresh data, queued behind the blocker
        panel.disk.refresh()
        delete(panel)
    finally:
        blocked.release()
    ctx.worker.wait()
    QApplication.processEvents()  # deliver the queued results: nothing may touch the deleted widgets


def test_a_file_that_is_not_a_pack_gets_a_report_with_the_archive_failure(
        qtbot, panel: TechnicianPanel, manager: PackManager, tmp_path: Path) -> None:
    junk = tmp_path / "holiday-photos.mcpack"
    junk.write_bytes(b"\x89PNG not a zip at all")
    panel.packs.choose_files = lambda: [junk]
    click(qtbot, panel.packs.install_files_button)
    dialog = report_of(qtbot, panel)
    assert statuses(dialog) == {"Archive": "FAIL"}
    assert dialog.heading.text() == "holiday-photos.mcpack"
    assert [caption.text() for caption, _value in dialog.fact_labels] == ["File:"]
    assert not dialog.install_button.isEnabled()
    assert dialog.verdict.text() == "Do not install this pack: 1 check(s) failed."
    click(qtbot, dialog.skip_button)
    qtbot.waitUntil(lambda: panel.packs.session is None)
    assert manager.list() == []
