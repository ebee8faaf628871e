"""The main window: first start, signing in, moving between screens, switching learner."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcdesk.home import Home
from mcdesk.learning.learners import create_learner
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.ui.app import MainWindow
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker

SAMPLE_IDS = {
    "org.mcdesk.samples.digital-literacy",
    "org.mcdesk.samples.analytical-thinking",
    "org.mcdesk.samples.future-skills",
}


@pytest.fixture
def window(qtbot, home: Home, store: Store, manager: PackManager):
    ctx = Context(home=home, store=store, manager=manager, worker=Worker())
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    yield win
    ctx.worker.wait()


def _idle(window: MainWindow) -> None:
    window.ctx.worker.wait()


def test_first_start_installs_the_samples_and_shows_the_profile_picker(qtbot, window: MainWindow) -> None:
    window.show()
    with qtbot.waitSignal(window.ready, timeout=60_000):
        window.start()
    _idle(window)
    assert {p.id for p in window.ctx.manager.list()} == SAMPLE_IDS
    assert window.stack.currentWidget() is window.picker
    assert not window.actions["library"].isVisible()
    assert window.ctx.store.one("SELECT count(*) AS n FROM lesson_search")["n"] >= 13


def test_a_second_start_with_packs_installed_adds_nothing(qtbot, window: MainWindow, make_pack) -> None:
    window.ctx.manager.install(make_pack())
    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.start()
    _idle(window)
    assert [p.id for p in window.ctx.manager.list()] == ["org.example.test"]


def test_sign_in_open_a_lesson_and_switch_learner(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=60_000):
        window.start()
    _idle(window)
    amina = create_learner(window.ctx.store, "Amina", "#1565c0")
    window.picker.learner_chosen.emit(amina.id)
    assert window.stack.currentWidget() is window.library
    assert window.actions["library"].isVisible() and window.actions["switch"].isVisible()
    qtbot.waitUntil(lambda: window.who.text() == "Amina", timeout=10_000)
    # The name sits at the right of the toolbar, just before the actions there, clear of the screens' actions.
    who = window.who.mapTo(window.toolbar, window.who.rect().topRight()).x()
    settings = window.toolbar.widgetForAction(window.actions["settings"]).geometry()
    search = window.toolbar.widgetForAction(window.actions["search"]).geometry()
    assert search.right() < window.toolbar.width() // 2 < who <= settings.left()
    # Nobody can hide the toolbar: the window offers no menu of toolbars to switch off.
    offered = window.createPopupMenu()
    assert window.menuWidget() is window.toolbar and (offered is None or offered.actions() == [])
    assert window.toolbar.geometry().top() == 0 and window.toolbar.isVisible()

    window.library.open_lesson.emit("org.mcdesk.samples.digital-literacy", "what-is-a-computer")
    assert window.stack.currentWidget() is window.reader
    qtbot.waitUntil(lambda: len(window.reader.browser.toPlainText().split()) > 300, timeout=10_000)
    window.grab().save(str(tmp_path / "reader-1366.png"))

    window.actions["switch"].trigger()
    assert window.stack.currentWidget() is window.picker
    assert window.ctx.learner_id is None
    assert window.reader.browser.toPlainText().strip() == ""
    assert not window.actions["wallet"].isVisible()


def test_screens_that_need_a_learner_fall_back_to_the_picker(qtbot, window: MainWindow) -> None:
    window.show_page(window.wallet)
    assert window.stack.currentWidget() is window.picker


def test_idle_time_signs_the_learner_out(qtbot, window: MainWindow) -> None:
    amina = create_learner(window.ctx.store, "Amina", "#1565c0")
    qtbot.waitUntil(lambda: window.idle.timeout_ms == 5 * 60_000)  # the default setting has been read
    window.sign_in(amina.id)
    window.idle.set_timeout_ms(50)
    qtbot.waitUntil(lambda: window.ctx.learner_id is None, timeout=5_000)
    assert window.stack.currentWidget() is window.picker
    assert not window.idle.timer.isActive()  # no watch while the picker is shown


def test_technician_panel_opens_behind_the_passphrase_and_leaving_it_ends_technician_mode(
        qtbot, window: MainWindow) -> None:
    from mcdesk.learning.learners import set_technician_passphrase

    set_technician_passphrase(window.ctx.store, "lab technician 1")
    window.show()
    window.ctx.technician = True  # as ask_technician leaves it after the right passphrase
    window.open_technician()
    assert window.stack.currentWidget() is window.technician_panel
    assert window.actions["leave_technician"].isVisible() and not window.actions["technician"].isVisible()
    titles = [window.technician_panel.tabs.tabText(i) for i in range(window.technician_panel.tabs.count())]
    # packs, publishers, disk, learners, sync, catalog
    assert titles[-2:] == ["S&ync", "C&atalog"] and len(titles) == 6
    window.actions["leave_technician"].trigger()
    assert window.stack.currentWidget() is window.picker
    assert window.ctx.technician is False
    assert window.actions["technician"].isVisible()


def test_first_start_asks_for_a_technician_passphrase_once(qtbot, window: MainWindow) -> None:
    from mcdesk.learning.learners import check_technician_passphrase

    window.show()
    with qtbot.waitSignal(window.ready, timeout=60_000):
        window.start()
    qtbot.waitUntil(lambda: window.first_start_dialog is not None and window.first_start_dialog.isVisible(),
                    timeout=10_000)
    dialog = window.first_start_dialog
    qtbot.waitUntil(lambda: dialog.mode == "set", timeout=10_000)
    dialog.passphrase.setText("lab technician 1")
    dialog.again.setText("lab technician 1")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.first_start_dialog is None, timeout=10_000)
    assert window.ctx.technician is False
    window.ctx.worker.wait()
    check_technician_passphrase(window.ctx.store, "lab technician 1")  # raises if it was not set

    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.start()
    window.ctx.worker.wait()
    qtbot.wait(50)
    assert window.first_start_dialog is None
