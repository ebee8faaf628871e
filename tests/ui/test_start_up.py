"""A quick, small start: what `import mcdesk.ui.app` loads, screens made on first use, ready as soon as
the picker lists the learners, and first-start work only when it is needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication

from mcdesk.home import Home
from mcdesk.learning.learners import create_learner, set_preferences
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.ui.app import SCREENS, MainWindow
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.profiles import ProfileButton
from mcdesk.ui.progress_dialog import OperationProgressDialog
from mcdesk.ui.theme import apply_theme, current_theme

HEAVY = ("cryptography", "markdown", "nh3", "_hashlib", "mcdesk.packs.archive", "mcdesk.packs.manifest",
         "mcdesk.packs.quiz", "mcdesk.packs.signature", "mcdesk.learning.render", "mcdesk.learning.library",
         "mcdesk.ui.reader", "mcdesk.ui.quiz_runner", "mcdesk.ui.library_view", "mcdesk.ui.settings_dialog")


def _loaded_after(code: str, names: tuple[str, ...] = HEAVY) -> set[str]:
    """The ``names`` (HEAVY unless given) that a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          timeout=120)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    return {name for name in names if name in loaded or any(m.startswith(name + ".") for m in loaded)}


def test_importing_the_app_loads_no_cryptography_markdown_or_screens_beyond_the_picker() -> None:
    assert _loaded_after("import mcdesk.cli\nimport mcdesk.ui.app\nimport mcdesk.ui.display") == set()


def test_the_first_screen_loads_the_light_roster_not_the_learners_module_or_dataclasses() -> None:
    """The picker and the laptop's display settings read through mcdesk.learning.roster; learners (PINs,
    scrypt, validation) and the dataclass machinery load later, when someone signs in or changes something."""
    code = "import mcdesk.cli\nimport mcdesk.ui.app\nimport mcdesk.ui.display\nimport mcdesk.ui.profiles"
    light = ("mcdesk.learning.learners", "dataclasses", "mcdesk.learning.roster")
    assert _loaded_after(code, light) == {"mcdesk.learning.roster"}


def test_the_learners_module_still_offers_what_the_roster_holds() -> None:
    from mcdesk.learning import learners, roster

    for name in ("AVATARS", "Learner", "list_learners", "get_setting", "has_technician_passphrase",
                 "idle_lock_minutes", "DEFAULT_IDLE_LOCK_MINUTES", "IDLE_LOCK_MAX", "TECHNICIAN_PASSPHRASE"):
        assert getattr(learners, name) is getattr(roster, name), name


def test_a_learner_and_a_home_are_frozen_and_compared_by_value(tmp_path) -> None:
    import pickle

    from mcdesk.learning.roster import Learner

    amina = Learner(id=1, name="Amina", colour="#1565c0", picture=None, has_pin=False, institution_id=None,
                    locked_until=None, preferences={}, last_active_at=None)
    same = Learner(1, "Amina", "#1565c0", None, False, None, None, {}, None)
    assert amina == same and amina != Learner(2, "Amina", "#1565c0", None, False, None, None, {}, None)
    assert pickle.loads(pickle.dumps(amina)) == amina and "name='Amina'" in repr(amina)
    with pytest.raises(AttributeError):
        amina.name = "B"  # type: ignore[misc]
    home = Home(tmp_path)
    assert home == Home(tmp_path) and hash(home) == hash(Home(tmp_path)) and home != Home(tmp_path / "x")
    assert pickle.loads(pickle.dumps(home)) == home and repr(home) == f"Home(root={tmp_path!r})"
    with pytest.raises(AttributeError):
        home.root = tmp_path  # type: ignore[misc]


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


def test_the_window_retranslates_when_the_language_changes(window: MainWindow) -> None:
    """Through a hidden child (the window itself does not override changeEvent: see mcdesk.ui.qt_enums.ChangeWatch)."""
    window.actions["library"].setText("stale")
    window.setWindowTitle("stale")
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))  # what a new translator sends
    assert window.actions["library"].text() == "Library"
    assert window.windowTitle() == "mcdesk — micro-credentials"


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
        seen["on screen"] = window.picker.shown_once  # the learners' buttons have been painted
        seen["dialogs"] = window.findChildren(OperationProgressDialog)
        seen["idle"] = window._idle_watcher is not None

    window.ready.connect(at_ready)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.start()
    window.ctx.worker.wait()
    # No auto-lock watch on the picker: nobody is signed in, and it would filter every event.
    assert seen == {"learners": ["Amina"], "on screen": True, "dialogs": [], "idle": False}
    assert window._idle_watcher is None


def test_ready_waits_for_the_learners_to_be_painted(qtbot, home: Home, store: Store, manager: PackManager,
                                                    make_pack) -> None:
    manager.install(make_pack())
    create_learner(store, "Amina", "#1565c0")
    ctx = Context(home=home, store=store, manager=manager, worker=Worker())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    painted: list[str] = []
    order: list[str] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and isinstance(watched, ProfileButton):
                painted.append(watched.learner.name)
            return False

    spy = PaintSpy()
    qapp = QApplication.instance()
    qapp.installEventFilter(spy)
    try:
        window.ready.connect(lambda: order.append(f"ready after {sorted(set(painted))}"))
        window.show()
        with qtbot.waitSignal(window.ready, timeout=30_000):
            window.start()
    finally:
        qapp.removeEventFilter(spy)
    ctx.worker.wait()
    assert order == ["ready after ['Amina']"]


def test_the_auto_lock_watches_only_while_a_learner_or_the_technician_is_in(qtbot, window: MainWindow) -> None:
    amina = create_learner(window.ctx.store, "Amina", "#1565c0")
    window.sign_in(amina.id)
    assert window.idle.active and window.idle._filtering
    window.sign_out()
    assert not window.idle.active and not window.idle._filtering  # no filter on the picker
    window.ctx.technician = True  # as ask_technician leaves it
    window.show_page(window.picker)  # leaving for anywhere but the panel ends technician mode
    assert not window.ctx.technician and not window.idle._filtering
    window.ctx.technician = True
    window._update_session()
    assert window.idle.active and window.idle._filtering


def test_a_first_start_installs_the_samples_behind_a_progress_dialog_before_ready(
        qtbot, window: MainWindow) -> None:
    dialogs: list[int] = []
    window.ready.connect(lambda: dialogs.append(len(window.findChildren(OperationProgressDialog))))
    window.show()
    with qtbot.waitSignal(window.ready, timeout=60_000):
        window.start()
    assert dialogs == [1]  # the dialog it installed behind, not yet deleted
    assert len(window.ctx.manager.list()) == 3


def test_enum_properties_are_set_by_name_and_a_wrong_name_is_refused(qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLabel

    from mcdesk.ui.qt_enums import set_enum_property, solid_brush

    label = QLabel("x")
    qtbot.addWidget(label)
    set_enum_property(label, "alignment", "AlignTop|AlignHCenter")
    assert label.alignment() == Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter
    with pytest.raises(ValueError, match="no enum property 'alignment' that takes 'Middle'"):
        set_enum_property(label, "alignment", "Middle")
    brush = solid_brush(QColor("#1565c0"))
    assert brush.color().name() == "#1565c0" and brush.style() == Qt.BrushStyle.SolidPattern


def test_pysides_import_hook_gets_the_same_answers_without_reading_sources_through_inspect() -> None:
    """mcdesk.ui answers PySide6's "does this module mention PySide6?" itself (see check_module_sources_quickly)."""
    import inspect
    import json
    import sys

    import shibokensupport.feature as feature  # PySide6's support module, loaded with PySide6

    import mcdesk.home
    import mcdesk.ui.app

    assert getattr(feature._mod_uses_pyside, "mcdesk_bytes", False)
    for module in (json, inspect, mcdesk.home, mcdesk.ui.app, sys):
        expected = "PySide6" in inspect.getsource(module) if hasattr(module, "__file__") else False
        assert feature._mod_uses_pyside(module) is expected, module.__name__


def test_viewport_of_finds_the_viewport_itself(qtbot) -> None:
    from PySide6.QtWidgets import QTextBrowser, QTreeWidget

    from mcdesk.ui.qt_enums import viewport_of

    for area in (QTreeWidget(), QTextBrowser()):
        qtbot.addWidget(area)
        assert viewport_of(area) is area.viewport()


def test_a_change_watch_calls_back_for_the_kinds_it_was_given_and_no_others(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from mcdesk.ui.qt_enums import ChangeWatch

    owner = QWidget()
    qtbot.addWidget(owner)
    heard: list[str] = []
    watch = ChangeWatch(owner, lambda kind: heard.append(kind.name), ("LanguageChange", "PaletteChange"))
    assert watch.isHidden() and watch.parent() is owner
    QCoreApplication.sendEvent(owner, QEvent(QEvent.Type.LanguageChange))  # passed on to every child
    QCoreApplication.sendEvent(watch, QEvent(QEvent.Type.FontChange))
    QCoreApplication.sendEvent(watch, QEvent(QEvent.Type.PaletteChange))
    assert heard == ["LanguageChange", "PaletteChange"]


def _window_actions(window: MainWindow) -> list:
    """The actions added to the window itself (the quit action), not the toolbar's."""
    from PySide6.QtWidgets import QWidget

    return QWidget.actions(window)


def test_the_keyboard_shortcuts_are_set_right_after_ready_and_only_once(
        qtbot, home: Home, store: Store, manager: PackManager, make_pack) -> None:
    """QKeySequence stays off the start: the shortcuts (none of which does anything on the picker alone)
    come just after ``ready``."""
    from PySide6.QtGui import QKeySequence

    manager.install(make_pack())
    ctx = Context(home=home, store=store, manager=manager, worker=Worker())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert all(not action.shortcuts() for action in window.actions.values()) and not _window_actions(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.start()
    qtbot.waitUntil(lambda: bool(window.actions["library"].shortcuts()), timeout=10_000)
    ctx.worker.wait()
    shortcuts = {key: [s.toString() for s in action.shortcuts()] for key, action in window.actions.items()}
    assert shortcuts["library"] == ["Ctrl+1"] and shortcuts["dashboard"] == ["Ctrl+2"]
    assert shortcuts["wallet"] == ["Ctrl+3"] and shortcuts["switch"] == ["Ctrl+L"]
    assert shortcuts["search"] == [s.toString() for s in QKeySequence.keyBindings(QKeySequence.StandardKey.Find)]
    quits = _window_actions(window)
    assert len(quits) == 1 and quits[0].shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
    window.set_shortcuts()  # a second call adds nothing
    assert len(_window_actions(window)) == 1
    quits[0].trigger()  # quits: closes the window
    assert not window.isVisible()
