"""Learners on a shared laptop, through the real widgets: the picker, creating a profile, PINs and
their lock-out, the technician gate, the technician's learner list and the idle auto-lock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from mcdesk.home import Home
from mcdesk.learning import learners as L
from mcdesk.learning.progress import mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.ui.context import LEARNERS, SETTINGS, Context
from mcdesk.ui.idle import IdleWatcher
from mcdesk.ui.learner_dialogs import (
    CreateLearnerDialog,
    LearnersAdmin,
    PinDialog,
    TechnicianDialog,
    ask_technician,
)
from mcdesk.ui.ops import Worker
from mcdesk.ui.profiles import ProfilePicker

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def ctx(qtbot, home: Home, store: Store, manager: PackManager) -> Iterator[Context]:
    context = Context(home=home, store=store, manager=manager, worker=Worker())
    yield context
    context.worker.wait()
    QCoreApplication.processEvents()


def _picker(qtbot, ctx: Context, size: tuple[int, int] = (1024, 600), count: int | None = None) -> ProfilePicker:
    picker = ProfilePicker(ctx)
    qtbot.addWidget(picker)
    picker.resize(*size)
    picker.show()
    if count is not None:
        qtbot.waitUntil(lambda: len(picker.buttons) == count)
    return picker


def _chosen(picker: ProfilePicker) -> list[int]:
    seen: list[int] = []
    picker.learner_chosen.connect(seen.append)
    return seen


def _type_pin(qtbot, dialog: PinDialog, pin: str) -> None:
    dialog.message.setText("")
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() != "")


def _answer_modal(button_text: str, seen: list[str]) -> QTimer:
    """Click ``button_text`` in the next QMessageBox that opens (its own modal loop), noting its text."""
    timer = QTimer()
    timer.setInterval(20)

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(f"{box.text()} {box.informativeText()}")
            for button in box.buttons():
                if button.text() == button_text:
                    timer.stop()
                    button.click()
                    return

    timer.timeout.connect(poll)
    timer.start()
    return timer


# --- creating a profile --------------------------------------------------------------------------


def test_create_learner_with_pin_through_the_dialog_chooses_them(qtbot, ctx: Context, tmp_path: Path) -> None:
    picker = _picker(qtbot, ctx, count=0)
    qtbot.waitUntil(picker.empty.isVisible)
    chosen = _chosen(picker)
    qtbot.mouseClick(picker.new_button, LEFT)
    dialog = picker.create_dialog
    assert isinstance(dialog, CreateLearnerDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Amani Njeri")
    qtbot.mouseClick(dialog.colours.button(3), LEFT)
    star = next(b for b in dialog.pictures.buttons() if b.property("picture") == "star")
    qtbot.mouseClick(star, LEFT)
    qtbot.keyClicks(dialog.pin, "2468")
    qtbot.keyClicks(dialog.pin_again, "2468")
    qtbot.keyClicks(dialog.institution, "S-042")
    dialog.grab().save(str(tmp_path / "create-learner.png"))
    with qtbot.waitSignal(picker.learner_chosen, timeout=10_000) as chosen_signal:
        qtbot.mouseClick(dialog.create_button, LEFT)
    ctx.worker.wait()
    [learner] = L.list_learners(ctx.store)
    assert chosen_signal.args == [learner.id] and chosen == [learner.id]
    assert (learner.name, learner.colour, learner.picture, learner.institution_id, learner.has_pin) == (
        "Amani Njeri", "#c62828", "star", "S-042", True)
    L.check_pin(ctx.store, learner.id, "2468")
    qtbot.waitUntil(lambda: list(picker.buttons) == [learner.id])
    assert not picker.empty.isVisible()


def test_create_dialog_explains_refusals_inline_and_stays_open(qtbot, ctx: Context) -> None:
    L.create_learner(ctx.store, "Wanjiru", "#2e7d32")
    dialog = CreateLearnerDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.create_button, LEFT)
    assert "Type a name" in dialog.message.text() and dialog.message.isVisible()
    qtbot.keyClicks(dialog.name, "wanjiru")
    qtbot.keyClicks(dialog.pin, "123")
    qtbot.mouseClick(dialog.create_button, LEFT)
    assert "4 to 8 digits" in dialog.message.text()
    qtbot.keyClicks(dialog.pin, "4")
    qtbot.keyClicks(dialog.pin_again, "9999")
    qtbot.mouseClick(dialog.create_button, LEFT)
    assert "not the same" in dialog.message.text() and dialog.pin_again.text() == ""
    qtbot.keyClicks(dialog.pin_again, "1234")
    qtbot.mouseClick(dialog.create_button, LEFT)
    qtbot.waitUntil(lambda: "already a learner called Wanjiru" in dialog.message.text())
    assert dialog.isVisible() and dialog.create_button.isEnabled()
    ctx.worker.wait()
    assert [x.name for x in L.list_learners(ctx.store)] == ["Wanjiru"]


def test_pin_field_takes_digits_only(qtbot, ctx: Context) -> None:
    dialog = CreateLearnerDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.pin, "12ab34567890")
    assert dialog.pin.text() == "12345678"
    assert dialog.pin.echoMode() == QLineEdit.EchoMode.Password


def test_a_long_name_is_cut_with_an_ellipsis_between_whole_characters(qtbot) -> None:
    from PySide6.QtGui import QFont, QFontMetricsF

    from mcdesk.ui.profiles import _elided, _utf16_slice

    name = "Dương 🦊 Lan Wanjiru"
    assert _utf16_slice(name, 6, 8) == "🦊"  # Qt counts the fox as two UTF-16 units
    assert _utf16_slice(name, 9) == "Lan Wanjiru"
    metrics = QFontMetricsF(QFont())
    assert _elided(metrics, name, 10_000) == name
    cut = _elided(metrics, name, metrics.horizontalAdvance("Dương 🦊 La"))
    assert cut.endswith("…") and name.startswith(cut[:-1]) and len(cut) < len(name)
    assert metrics.horizontalAdvance(cut) <= metrics.horizontalAdvance("Dương 🦊 La")
    assert "\ud83e" not in cut  # never half of the fox


def test_a_name_takes_at_most_two_lines_broken_after_a_space_or_a_hyphen(qtbot) -> None:
    from PySide6.QtGui import QFont, QFontMetricsF

    from mcdesk.ui.profiles import name_lines

    metrics = QFontMetricsF(QFont())
    width = metrics.horizontalAdvance("Christopherson-")
    assert name_lines(metrics, "  Bo  ", width) == ["Bo"]
    assert name_lines(metrics, "Christopherson-Abernathy", width) == ["Christopherson-", "Abernathy"]
    assert name_lines(metrics, "Amina Wanjiru Achieng", metrics.horizontalAdvance("Amina Wanjiru")) == [
        "Amina Wanjiru", "Achieng"]
    three = name_lines(metrics, "Zawadi Njeri Mwangi Achieng Otieno", metrics.horizontalAdvance("Zawadi Njeri"))
    assert three[0] == "Zawadi Njeri" and three[1].endswith("…") and len(three) == 2
    assert all(metrics.horizontalAdvance(line) <= metrics.horizontalAdvance("Zawadi Njeri") for line in three)
    [one] = name_lines(metrics, "Christopherson", metrics.horizontalAdvance("Chris"))  # one word, no room for it
    assert one.endswith("…") and metrics.horizontalAdvance(one) <= metrics.horizontalAdvance("Chris")


def test_a_tile_shows_the_circle_and_the_name_and_a_click_anywhere_on_it_chooses(qtbot, ctx: Context) -> None:
    learner = L.create_learner(ctx.store, "Christopherson-Abernathy", "#00695c", picture="star", pin="4321")
    other = L.create_learner(ctx.store, "Bo", "#c62828")
    picker = _picker(qtbot, ctx, count=2)
    tile = picker.buttons[learner.id]
    assert tile.caption.text() == "Christopherson-\nAbernathy"
    assert tile.accessibleName() == "Christopherson-Abernathy" and tile.accessibleDescription() == "Protected by a PIN"
    assert not tile.avatar.pixmap().isNull() and tile.avatar.pixmap().width() >= 76
    assert picker.buttons[other.id].accessibleDescription() == "No PIN"
    for part in (picker.buttons[other.id].avatar, picker.buttons[other.id].caption):
        with qtbot.waitSignal(picker.learner_chosen) as signal:
            qtbot.mouseClick(part, LEFT)  # the labels pass the click to their tile
        assert signal.args == [other.id]
    qtbot.mouseClick(tile.caption, LEFT)
    qtbot.waitUntil(lambda: picker.pin_dialog is not None)
    assert picker.pin_dialog.learner.id == learner.id


def test_every_built_in_picture_draws_its_own_shape(qtbot) -> None:
    from mcdesk.ui.profiles import avatar_pixmap

    images = {name: avatar_pixmap("Amani", "#2e7d32", name, 48).toImage() for name in (*L.AVATARS, None)}
    assert len({bytes(image.constBits()) for image in images.values()}) == len(images)


# --- choosing a profile --------------------------------------------------------------------------


def test_learner_without_pin_is_chosen_with_one_click(qtbot, ctx: Context) -> None:
    learner = L.create_learner(ctx.store, "Bo", "#1565c0")
    picker = _picker(qtbot, ctx, count=1)
    with qtbot.waitSignal(picker.learner_chosen) as signal:
        qtbot.mouseClick(picker.buttons[learner.id], LEFT)
    assert signal.args == [learner.id]
    assert picker.pin_dialog is None
    ctx.worker.wait()
    assert L.get_learner(ctx.store, learner.id).last_active_at is not None


def test_learner_with_pin_is_chosen_only_after_the_right_pin(qtbot, ctx: Context) -> None:
    learner = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    picker = _picker(qtbot, ctx, count=1)
    chosen = _chosen(picker)
    qtbot.mouseClick(picker.buttons[learner.id], LEFT)
    dialog = picker.pin_dialog
    assert isinstance(dialog, PinDialog) and dialog.isVisible()
    assert not dialog.open_button.isEnabled()  # fewer than 4 digits
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and chosen == []
    qtbot.mouseClick(picker.buttons[learner.id], LEFT)
    dialog = picker.pin_dialog
    with qtbot.waitSignal(picker.learner_chosen, timeout=10_000) as signal:
        qtbot.keyClicks(dialog.pin, "2468")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert signal.args == [learner.id] and chosen == [learner.id]


def test_five_wrong_pins_lock_the_profile_with_a_countdown(qtbot, ctx: Context, tmp_path: Path) -> None:
    learner = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    picker = _picker(qtbot, ctx, count=1)
    chosen = _chosen(picker)
    qtbot.mouseClick(picker.buttons[learner.id], LEFT)
    dialog = picker.pin_dialog
    for left in (4, 3, 2, 1):
        _type_pin(qtbot, dialog, "1111")
        assert dialog.message.text() == f"That PIN is not right. Tries left before a lock-out: {left}."
        assert dialog.pin.text() == ""
    _type_pin(qtbot, dialog, "1111")
    text = dialog.message.text()
    assert text.startswith("Too many wrong PINs. Try again in 1:00") or text.startswith(
        "Too many wrong PINs. Try again in 0:5")
    assert not dialog.pin.isEnabled() and not dialog.open_button.isEnabled()
    assert dialog.countdown.timer.isActive() and dialog.countdown.timer.interval() == 1000
    dialog.grab().save(str(tmp_path / "pin-locked.png"))
    dialog.hide()
    assert not dialog.countdown.timer.isActive()  # counts only while visible
    dialog.show()
    assert dialog.countdown.timer.isActive()
    assert chosen == []
    ctx.worker.wait()
    with pytest.raises(L.LockedOut):
        L.check_pin(ctx.store, learner.id, "2468")


def test_pin_dialog_of_a_locked_profile_shows_the_lock_at_once(qtbot, ctx: Context) -> None:
    learner = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    for _ in range(5):
        with pytest.raises((L.WrongPin, L.LockedOut)):
            L.check_pin(ctx.store, learner.id, "0000")
    picker = _picker(qtbot, ctx, count=1)
    qtbot.mouseClick(picker.buttons[learner.id], LEFT)
    dialog = picker.pin_dialog
    assert dialog.message.text().startswith("Too many wrong PINs. Try again in")
    assert not dialog.pin.isEnabled()


def test_countdown_ends_and_the_pin_opens_again(qtbot, ctx: Context) -> None:
    learner = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    almost = datetime.now(UTC) - timedelta(seconds=58)
    for _ in range(5):
        with pytest.raises((L.WrongPin, L.LockedOut)):
            L.check_pin(ctx.store, learner.id, "0000", now=almost)
    picker = _picker(qtbot, ctx, count=1)
    chosen = _chosen(picker)
    qtbot.mouseClick(picker.buttons[learner.id], LEFT)
    dialog = picker.pin_dialog
    assert dialog.message.text().startswith("Too many wrong PINs")
    qtbot.waitUntil(lambda: dialog.message.text() == "You can try your PIN again now.", timeout=15_000)
    assert dialog.pin.isEnabled() and not dialog.countdown.timer.isActive()
    with qtbot.waitSignal(picker.learner_chosen, timeout=10_000):
        qtbot.keyClicks(dialog.pin, "2468")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert chosen == [learner.id]


# --- the picker with many learners ---------------------------------------------------------------


def _many(store: Store, count: int) -> list[L.Learner]:
    colours = ["#2e7d32", "#1565c0", "#6a1b9a", "#c62828", "#b33c00", "#00695c"]
    names = ["Amani", "Baraka", "Chausiku", "Dalia", "Eshe", "Faraji", "Gathoni", "Hamisi", "Imani", "Jabari"]
    made = []
    for n in range(count):
        name = f"{names[n % len(names)]} {'Wanjiku-Mwangi Kamau' if n == 7 else f'Learner {n:02d}'}"
        made.append(L.create_learner(store, name, colours[n % len(colours)],
                                     picture=L.AVATARS[n % 11] if n % 11 < 10 else None,
                                     pin="1234" if n % 3 == 0 else None))
    return made


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_picker_with_fifty_learners_fits_the_screen_and_scrolls(qtbot, ctx: Context, tmp_path: Path,
                                                                 size: tuple[int, int]) -> None:
    _many(ctx.store, 50)
    picker = _picker(qtbot, ctx, size=size, count=50)
    qtbot.waitUntil(lambda: picker.columns > 1)
    assert picker.filter.isVisible()
    assert picker.columns >= 5
    viewport = picker.scroll.viewport()
    assert picker.tiles.width() <= viewport.width()  # no sideways scrolling, nothing cut at the side
    assert picker.scroll.verticalScrollBar().maximum() > 0
    assert picker.new_button.isVisible() and picker.new_button.geometry().bottom() <= picker.height()
    for label in picker.findChildren(QWidget):
        if label.isVisible() and label is not picker.tiles and label.sizeHint().isValid():
            assert label.height() >= label.minimumSizeHint().height(), label
    picker.grab().save(str(tmp_path / f"picker-50-{size[0]}x{size[1]}.png"))


def test_filter_box_appears_after_twelve_learners_and_narrows_the_list(qtbot, ctx: Context) -> None:
    _many(ctx.store, 12)
    picker = _picker(qtbot, ctx, count=12)
    assert not picker.filter.isVisible()
    ctx.run(lambda _rep: L.create_learner(ctx.store, "Zawadi", "#2e7d32"), changes=(LEARNERS,))
    qtbot.waitUntil(lambda: len(picker.buttons) == 13)
    assert picker.filter.isVisible()
    qtbot.keyClicks(picker.filter, "zaw")
    assert [b.learner.name for b in picker._visible] == ["Zawadi"]
    assert [b.isVisible() for b in picker.buttons.values()].count(True) == 1
    picker.filter.clear()
    assert len(picker._visible) == 13


def test_picker_refreshes_when_learners_change(qtbot, ctx: Context) -> None:
    picker = _picker(qtbot, ctx, count=0)
    ctx.run(lambda _rep: L.create_learner(ctx.store, "Neema", "#2e7d32"), changes=(LEARNERS,))
    qtbot.waitUntil(lambda: [x.name for x in picker.learners] == ["Neema"])
    assert picker.buttons[picker.learners[0].id].accessibleName() == "Neema"


def test_keyboard_moves_between_profiles_and_enter_opens(qtbot, ctx: Context) -> None:
    made = _many(ctx.store, 14)
    picker = _picker(qtbot, ctx, count=14)
    qtbot.waitUntil(lambda: picker.columns > 1)
    order = picker._visible
    order[0].setFocus()
    qtbot.waitUntil(order[0].hasFocus)
    qtbot.keyClick(order[0], Qt.Key.Key_Right)
    assert order[1].hasFocus()
    qtbot.keyClick(order[1], Qt.Key.Key_Down)
    assert order[1 + picker.columns].hasFocus()
    qtbot.keyClick(order[1 + picker.columns], Qt.Key.Key_Up)
    qtbot.keyClick(order[1], Qt.Key.Key_Left)
    assert order[0].hasFocus()
    qtbot.keyClick(order[0], Qt.Key.Key_Tab)
    assert order[1].hasFocus()
    qtbot.keyClick(order[1], Qt.Key.Key_End)
    assert order[-1].hasFocus()
    no_pin = next(b for b in order if not b.learner.has_pin)
    no_pin.setFocus()
    with qtbot.waitSignal(picker.learner_chosen) as signal:
        qtbot.keyClick(no_pin, Qt.Key.Key_Return)
    assert signal.args == [no_pin.learner.id]
    with_pin = next(b for b in order if b.learner.has_pin)
    with_pin.setFocus()
    qtbot.keyClick(with_pin, Qt.Key.Key_Enter)
    assert picker.pin_dialog is not None and picker.pin_dialog.learner.id == with_pin.learner.id
    assert len(made) == 14


def test_a_thick_ring_follows_the_keyboard_focus_and_lets_clicks_through(qtbot, ctx: Context) -> None:
    made = _many(ctx.store, 4)
    picker = _picker(qtbot, ctx, count=4)
    assert picker._ring is None  # made on first focus, never at start
    order = picker._visible
    order[0].setFocus()
    qtbot.waitUntil(order[0].hasFocus)
    ring = picker._ring
    assert ring is not None and ring.isVisible() and ring.lineWidth() == 3
    assert ring.geometry().contains(order[0].geometry()) and not ring.geometry().intersects(order[1].geometry())
    qtbot.keyClick(order[0], Qt.Key.Key_Right)
    assert order[1].hasFocus() and ring.geometry().contains(order[1].geometry())
    picker.new_button.setFocus()
    qtbot.waitUntil(lambda: not ring.isVisible())
    order[1].setFocus()
    qtbot.waitUntil(ring.isVisible)
    no_pin = next(b for b in order if not b.learner.has_pin)
    no_pin.setFocus()
    qtbot.waitUntil(lambda: ring.geometry().contains(no_pin.geometry()))
    # A click through the window where the ring's band lies over the tile reaches the tile.
    edge = no_pin.mapTo(picker, QPoint(1, no_pin.height() // 2))
    assert picker.childAt(edge) is not ring
    with qtbot.waitSignal(picker.learner_chosen) as signal:
        QTest.mouseClick(picker.windowHandle(), LEFT, Qt.KeyboardModifier.NoModifier, edge)
    assert signal.args == [no_pin.learner.id] and len(made) == 4


# --- the technician gate -------------------------------------------------------------------------


def _tech_dialog(qtbot, ctx: Context) -> TechnicianDialog:
    dialog = TechnicianDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.mode != "loading")
    return dialog


def test_first_start_sets_the_technician_passphrase_typed_twice(qtbot, ctx: Context, tmp_path: Path) -> None:
    dialog = _tech_dialog(qtbot, ctx)
    assert dialog.mode == "set" and dialog.again.isVisible()
    qtbot.keyClicks(dialog.passphrase, "short")
    qtbot.keyClicks(dialog.again, "short")
    assert not dialog.ok_button.isEnabled()
    dialog.passphrase.clear()
    dialog.again.clear()
    qtbot.keyClicks(dialog.passphrase, "lab laptop 42")
    qtbot.keyClicks(dialog.again, "lab laptop 24")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "not the same" in dialog.message.text()
    dialog.grab().save(str(tmp_path / "technician-set.png"))
    qtbot.keyClicks(dialog.again, "lab laptop 42")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert ctx.technician
    ctx.worker.wait()
    L.check_technician_passphrase(ctx.store, "lab laptop 42")


def test_wrong_technician_passphrase_five_times_locks_the_gate(qtbot, ctx: Context) -> None:
    L.set_technician_passphrase(ctx.store, "lab laptop 42")
    dialog = _tech_dialog(qtbot, ctx)
    assert dialog.mode == "check" and not dialog.again.isVisible()
    for left in (4, 3, 2, 1):
        dialog.message.setText("")
        qtbot.keyClicks(dialog.passphrase, "guess guess")
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.message.text() != "")
        assert dialog.message.text() == f"That passphrase is not right. Tries left before a lock-out: {left}."
    dialog.message.setText("")
    qtbot.keyClicks(dialog.passphrase, "guess guess")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() != "")
    assert dialog.message.text().startswith("Too many wrong tries. Try again in")
    assert not dialog.passphrase.isEnabled() and not dialog.ok_button.isEnabled()
    assert not ctx.technician and dialog.isVisible()


def test_ask_technician_opens_technician_mode_with_the_right_passphrase(qtbot, ctx: Context) -> None:
    L.set_technician_passphrase(ctx.store, "lab laptop 42")
    driver = QTimer()
    driver.setInterval(20)

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, TechnicianDialog) and dialog.mode == "check" and not dialog.passphrase.text():
            driver.stop()
            qtbot.keyClicks(dialog.passphrase, "lab laptop 42")
            qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    driver.timeout.connect(drive)
    driver.start()
    assert ask_technician(None, ctx) is True
    assert ctx.technician
    assert ask_technician(None, ctx) is True  # already open: no question


def test_ask_technician_cancelled_stays_closed(qtbot, ctx: Context) -> None:
    driver = QTimer()
    driver.setInterval(20)

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, TechnicianDialog) and dialog.mode == "set":
            driver.stop()
            qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Escape)

    driver.timeout.connect(drive)
    driver.start()
    assert ask_technician(None, ctx) is False
    assert not ctx.technician
    ctx.worker.wait()
    assert not L.has_technician_passphrase(ctx.store)


# --- the technician's list of learners -----------------------------------------------------------


def _admin(qtbot, ctx: Context, count: int) -> LearnersAdmin:
    admin = LearnersAdmin(ctx)
    qtbot.addWidget(admin)
    admin.resize(1024, 600)
    admin.show()
    qtbot.waitUntil(lambda: len(admin.learners) == count)
    return admin


def test_admin_resets_a_pin_after_confirmation(qtbot, ctx: Context, tmp_path: Path) -> None:
    amani = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    L.create_learner(ctx.store, "Bo", "#1565c0")
    ctx.technician = True
    admin = _admin(qtbot, ctx, 2)
    admin.select(amani.id)
    assert admin.reset_button.isEnabled()
    admin.grab().save(str(tmp_path / "learners-admin.png"))
    seen: list[str] = []
    timer = _answer_modal("Reset PIN", seen)
    qtbot.mouseClick(admin.reset_button, LEFT)
    timer.stop()
    assert seen and "Reset the PIN of Amani?" in seen[0]
    qtbot.waitUntil(lambda: admin.status.text() == "The PIN of Amani was removed.")
    ctx.worker.wait()
    assert not L.get_learner(ctx.store, amani.id).has_pin
    qtbot.waitUntil(lambda: admin.table.item(0, 1).text() == "No")


def test_admin_removes_a_learner_and_their_progress_after_a_confirmation_naming_them(
        qtbot, ctx: Context, manager: PackManager, make_pack) -> None:
    manager.install(make_pack())
    amani = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    bo = L.create_learner(ctx.store, "Bo", "#1565c0")
    mark_lesson_complete(ctx.store, amani.id, "org.example.test", "lesson-1")
    mark_lesson_complete(ctx.store, bo.id, "org.example.test", "lesson-1")
    ctx.technician = True
    ctx.learner_id = amani.id
    admin = _admin(qtbot, ctx, 2)
    removed: list[int] = []
    admin.learner_removed.connect(removed.append)
    admin.select(amani.id)
    seen: list[str] = []
    timer = _answer_modal("Remove Amani", seen)
    qtbot.mouseClick(admin.remove_button, LEFT)
    timer.stop()
    assert "Remove Amani from this laptop?" in seen[0] and "progress" in seen[0] and "cannot be undone" in seen[0]
    qtbot.waitUntil(lambda: removed == [amani.id])
    qtbot.waitUntil(lambda: [x.name for x in admin.learners] == ["Bo"])
    assert ctx.learner_id is None
    ctx.worker.wait()
    assert [r["learner_id"] for r in ctx.store.query("SELECT learner_id FROM lesson_progress")] == [bo.id]


def test_admin_cancelled_removal_keeps_the_learner(qtbot, ctx: Context) -> None:
    amani = L.create_learner(ctx.store, "Amani", "#2e7d32")
    ctx.technician = True
    admin = _admin(qtbot, ctx, 1)
    admin.select(amani.id)
    seen: list[str] = []
    timer = _answer_modal("Cancel", seen)
    qtbot.mouseClick(admin.remove_button, LEFT)
    timer.stop()
    assert seen
    ctx.worker.wait()
    assert [x.name for x in L.list_learners(ctx.store)] == ["Amani"]


def test_admin_refuses_when_technician_mode_is_closed(qtbot, ctx: Context) -> None:
    amani = L.create_learner(ctx.store, "Amani", "#2e7d32", pin="2468")
    admin = _admin(qtbot, ctx, 1)
    admin.select(amani.id)
    for button in (admin.remove_button, admin.reset_button, admin.save_button):
        admin.status.setText("")
        qtbot.mouseClick(button, LEFT)  # no question box opens: the refusal comes first
        assert "Technician mode is closed" in admin.status.text()
    ctx.worker.wait()
    learner = L.get_learner(ctx.store, amani.id)
    assert learner.has_pin and learner.institution_id is None


def test_admin_edits_the_institution_id_and_shows_refusals(qtbot, ctx: Context) -> None:
    amani = L.create_learner(ctx.store, "Amani", "#2e7d32")
    ctx.technician = True
    admin = _admin(qtbot, ctx, 1)
    admin.select(amani.id)
    admin.institution.setMaxLength(1000)
    qtbot.keyClicks(admin.institution, "x" * 101)
    qtbot.mouseClick(admin.save_button, LEFT)
    qtbot.waitUntil(lambda: "at most 100" in admin.status.text())
    admin.institution.clear()
    qtbot.keyClicks(admin.institution, "UON/2025/0042")
    qtbot.keyClick(admin.institution, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: admin.status.text() == "Institution id of Amani saved.")
    qtbot.waitUntil(lambda: admin.table.item(0, 2).text() == "UON/2025/0042")
    ctx.worker.wait()
    assert L.get_learner(ctx.store, amani.id).institution_id == "UON/2025/0042"


# --- auto-lock -----------------------------------------------------------------------------------


def _press_key(widget: QWidget) -> None:
    """A key press as the keyboard delivers it: to the widget's window first (where the watch listens)."""
    QTest.keyClick(widget.window().windowHandle(), Qt.Key.Key_A)


def _shown_line_edit(qtbot) -> QLineEdit:
    target = QLineEdit()
    qtbot.addWidget(target)
    target.show()
    qtbot.waitExposed(target)
    return target


def test_idle_watcher_fires_after_the_configured_interval(qtbot) -> None:
    watcher = IdleWatcher(timeout_ms=50)
    with qtbot.waitSignal(watcher.idle, timeout=5_000):
        pass
    assert not watcher.timer.isActive()  # one shot, no polling


def test_input_restarts_the_idle_timer(qtbot) -> None:
    target = _shown_line_edit(qtbot)
    watcher = IdleWatcher(timeout_ms=60_000)
    assert target.windowHandle() in watcher.watched_windows()
    qtbot.wait(40)
    before = watcher.timer.remainingTime()
    _press_key(target)
    assert target.text() == "a"  # the key reached the widget: the watch only listens
    assert watcher.timer.remainingTime() > before
    watcher.stop()
    assert watcher.watched_windows() == []
    _press_key(target)
    assert not watcher.timer.isActive()  # paused: input does not re-arm it
    watcher.start()
    assert watcher.timer.isActive()


def test_input_in_a_window_opened_after_the_watch_started_restarts_the_idle_timer(qtbot) -> None:
    watcher = IdleWatcher(timeout_ms=60_000)
    later = _shown_line_edit(qtbot)
    later.activateWindow()  # a dialog takes the focus when it opens
    qtbot.waitUntil(lambda: later.windowHandle() in watcher.watched_windows(), timeout=5_000)
    qtbot.wait(40)
    before = watcher.timer.remainingTime()
    _press_key(later)
    assert watcher.timer.remainingTime() > before
    watcher.stop()


def test_input_restarts_the_idle_timer_without_an_application_wide_filter(qtbot) -> None:
    """The watch filters windows, not the application: an event sent straight to a widget (as no real
    input is) passes it by, and the application gets no filter from it."""
    target = _shown_line_edit(qtbot)
    watcher = IdleWatcher(timeout_ms=60_000)
    qtbot.wait(40)
    before = watcher.timer.remainingTime()
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_B, Qt.KeyboardModifier.NoModifier,
                                             "b"))
    assert target.text() == "b" and watcher.timer.remainingTime() <= before
    watcher.stop()


def test_idle_watcher_follows_the_setting_and_zero_disables_it(qtbot, ctx: Context) -> None:
    L.set_idle_lock_minutes(ctx.store, 3)
    watcher = IdleWatcher(ctx)
    qtbot.waitUntil(lambda: watcher.timeout_ms == 180_000)
    assert watcher.timer.isActive()
    ctx.run(lambda _rep: L.set_idle_lock_minutes(ctx.store, 0), changes=(SETTINGS,))
    qtbot.waitUntil(lambda: watcher.timeout_ms == 0)
    assert not watcher.timer.isActive()
    target = _shown_line_edit(qtbot)
    watcher.start()
    _press_key(target)
    assert not watcher.timer.isActive()


def test_idle_watcher_defaults_to_five_minutes(qtbot, ctx: Context) -> None:
    watcher = IdleWatcher(ctx)
    qtbot.waitUntil(lambda: watcher.timeout_ms == 5 * 60_000)

