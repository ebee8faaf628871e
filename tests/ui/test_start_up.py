"""A quick, small start: what `import mcdesk.ui.app` loads, screens made on first use, ready as soon as
the picker lists the learners, and first-start work only when it is needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

from mcdesk.home import Home
from mcdesk.learning.learners import create_learner, set_preferences
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.ui.app import SCREENS, MainWindow
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.progress_dialog import OperationProgressDialog
from mcdesk.ui.theme import apply_theme, current_theme

HEAVY = ("cryptography", "markdown", "nh3", "_hashlib", "mcdesk.packs.archive", "mcdesk.packs.manifest",
         "mcdesk.packs.quiz", "mcdesk.packs.signature", "mcdesk.learning.render", "mcdesk.learning.library",
         "mcdesk.ui.reader", "mcdesk.ui.quiz_runner", "mcdesk.ui.library_view", "mcdesk.ui.settings_dialog")


def _loaded_after(code: str) -> set[str]:
    """The names of HEAVY that a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          timeout=120)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    return {name for name in HEAVY if name in loaded or any(m.startswith(name + ".") for m in loaded)}


def test_importing_the_app_loads_no_cryptography_markdown_or_screens_beyond_the_picker() -> None:
    assert _loaded_after("import mcdesk.cli\nimport mcdesk.ui.app\nimport mcdesk.ui.display") == set()


def test_importing_the_pack_installer_and_the_trust_store_loads_no_cryptography() -> None:
    loaded = _loaded_after("import mcdesk.packs.install, mcdesk.packs.trust, mcdesk.packs.signature, mcdesk.keys")
    assert "cryptography" not in loaded and "_hashlib" not in loaded


def test_the_settings_names_are_still_importable_from_the_settings_dialog_and_the_reader() -> None:
    from mcdesk.ui import display, reader, settings_dialog

    assert settings_dialog.DisplaySettings is display.DisplaySettings
    assert settings_dialog.load_display_settings is display.load_display_settings
    assert settings_dialog.apply_display_settings is display.apply_display_settings
    assert reader.TEXT_SIZES is display.TEXT_SIZES and reader.DEFAULT_TEXT_SIZE == display.DEFAULT_TEXT_SIZE


@pytest.fixture
def window(qtbot, home: Home, store: Store, manager: PackManager):
    ctx = Context(home=home, store=store, manager=manager, worker=Worker())
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    yield win
    ctx.worker.wait()


def test_the_window_makes_only_the_picker_until_another_screen_is_used(window: MainWindow) -> None:
    assert window.made_screens() == []
    assert window.stack.count() == 1 and window.stack.currentWidget() is window.picker
    wallet = window.wallet
    assert window.made_screens() == ["wallet"] and window.stack.indexOf(wallet) >= 0
    assert window.wallet is wallet  # made once
    for name in SCREENS:
        window.screen_named(name)
    assert window.made_screens() == list(SCREENS) and window.stack.count() == 1 + len(SCREENS)


def test_a_screen_made_on_first_use_is_connected_to_the_window(qtbot, window: MainWindow, make_pack) -> None:
    window.ctx.manager.install(make_pack())
    amina = create_learner(window.ctx.store, "Amina", "#1565c0")
    window.sign_in(amina.id)
    assert window.made_screens() == ["library"]
    window.search.open_lesson.emit("org.example.test", "lesson-1", "")  # search → window → reader
    assert window.stack.currentWidget() is window.reader
    qtbot.waitUntil(lambda: "Lesson 1" in window.reader.browser.toPlainText(), timeout=10_000)
    window.quiz.closed.emit()  # quiz → window → library
    assert window.stack.currentWidget() is window.library


def test_the_text_size_read_at_sign_in_reaches_a_reader_made_later(qtbot, window: MainWindow) -> None:
    amina = create_learner(window.ctx.store, "Amina", "#1565c0")
    set_preferences(window.ctx.store, amina.id, {"text_size": 20, "theme": "dark"})
    try:
        window.sign_in(amina.id)
        qtbot.waitUntil(lambda: current_theme().name == "dark", timeout=10_000)  # the settings were applied
        assert "reader" not in window.made_screens()
        assert window.reader.text_size == 20
    finally:
        apply_theme(QApplication.instance(), "light")


def test_ready_comes_once_the_picker_lists_the_learners_and_a_later_start_shows_no_progress_dialog(
        qtbot, home: Home, store: Store, manager: PackManager, make_pack) -> None:
    manager.install(make_pack())
    create_learner(store, "Amina", "#1565c0")
    ctx = Context(home=home, store=store, manager=manager, worker=Worker())
    window = MainWindow(ctx)  # on a laptop already in use
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def at_ready() -> None:
        seen["learners"] = [learner.name for learner in window.picker.learners]
        seen["dialogs"] = window.findChildren(OperationProgressDialog)
        seen["idle"] = window._idle_watcher is not None

    window.ready.connect(at_ready)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.start()
    window.ctx.worker.wait()
    assert seen == {"learners": ["Amina"], "dialogs": [], "idle": False}
    assert window._idle_watcher is not None  # the auto-lock watch is made right after ready


def test_a_first_start_installs_the_samples_behind_a_progress_dialog_before_ready(
        qtbot, window: MainWindow) -> None:
    dialogs: list[int] = []
    window.ready.connect(lambda: dialogs.append(len(window.findChildren(OperationProgressDialog))))
    window.show()
    with qtbot.waitSignal(window.ready, timeout=60_000):
        window.start()
    assert dialogs == [1]  # the dialog it installed behind, not yet deleted
    assert len(window.ctx.manager.list()) == 3
