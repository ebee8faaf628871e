"""The desktop app: the main window that holds every screen, and the start-up of the application."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mcdesk import __version__
from mcdesk.home import Home
from mcdesk.store.db import open_store
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, SESSION, Context
from mcdesk.ui.errors import install_excepthook, show_error
from mcdesk.ui.ops import QtReporter, Worker
from mcdesk.ui.qt_enums import ChangeWatch, set_enum_property

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QKeySequence

    from mcdesk.ui.dashboard import DashboardView
    from mcdesk.ui.display import DisplaySettings
    from mcdesk.ui.idle import IdleWatcher
    from mcdesk.ui.library_view import LibraryView
    from mcdesk.ui.quiz_runner import QuizRunner
    from mcdesk.ui.reader import ReaderView
    from mcdesk.ui.search_view import SearchView
    from mcdesk.ui.sync_view import SyncController
    from mcdesk.ui.wallet import WalletView

SCREENS = ("library", "dashboard", "wallet", "search", "reader", "quiz")
"""The screens made on first use (the profile picker is made with the window)."""


class StartState(NamedTuple):
    """What the start needs to know from the data folder."""

    packs_installed: bool
    needs_technician_passphrase: bool


def start_state(ctx: Context) -> StartState:
    """On the worker: is anything installed yet (else this is a first start), and is there a
    technician passphrase."""
    from mcdesk.learning.roster import has_technician_passphrase
    from mcdesk.packs.installed import any_installed

    return StartState(packs_installed=any_installed(ctx.store),
                      needs_technician_passphrase=not has_technician_passphrase(ctx.store))


def prepare_library(ctx: Context, reporter: QtReporter) -> bool:
    """Tidy up after an interrupted install, install the bundled samples when nothing is installed,
    and index for search the lessons not indexed yet. Returns whether installed packs or the search
    index changed."""
    ctx.manager.recover()
    installed = False
    if not ctx.manager.list():
        from mcdesk.packs.samples import ensure_samples  # builds packs: cryptography, only when needed

        installed = bool(ensure_samples(ctx.home, ctx.manager, reporter))
    indexed = ctx.manager.ensure_search_index()
    return installed or indexed > 0


class MainWindow(QMainWindow):
    """Every screen lives in one stack; the toolbar switches between them. Screens never call each
    other: their signals are connected here, and they refresh themselves from the change bus.

    Only the profile picker is made with the window; the other screens (``library``, ``dashboard``,
    ``wallet``, ``search``, ``reader``, ``quiz``) are made, connected and added to the stack the first
    time they are used, so the window opens quickly and holds only the screens someone opened."""

    ready = Signal()  # the picker shows the learners (painted) and the app is usable

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        # Screens are imported where they are made, not at module level, so `import mcdesk.ui.app`
        # and the window's start stay cheap.
        from mcdesk.ui.profiles import ProfilePicker

        self.ctx = ctx
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        # Made in the stack: adding a parentless widget would reparent it (events to every child).
        self.picker = ProfilePicker(ctx, self.stack)
        self._screens: dict[str, QWidget] = {}
        self._text_size: int | None = None  # the lesson text size in force, for a reader made later
        self.technician_panel: QWidget | None = None
        self.sync: SyncController | None = None  # made after ready (see sync_controller)
        self.sync_indicator: QWidget | None = None
        self._who_for: int | None = None  # whose name the toolbar shows
        self.first_start_dialog: QWidget | None = None
        self.stack.addWidget(self.picker)
        self.picker.learner_chosen.connect(self.sign_in)

        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        set_enum_property(self.toolbar, "toolButtonStyle", "ToolButtonTextOnly")
        # At the top, in the menu bar's place rather than a toolbar area: a learner cannot hide it by accident
        # (a toolbar area's right-click menu can, and nothing would bring it back), and the style draws it
        # without the translucent bevel lines it puts under a toolbar area, which Qt blends on helper threads
        # (some 70 hand-offs to another thread at each start).
        self.setMenuWidget(self.toolbar)
        self.actions: dict[str, QAction] = {}
        self._add_action("library", lambda: self.show_page(self.library))
        self._add_action("dashboard", lambda: self.show_page(self.dashboard))
        self._add_action("wallet", lambda: self.show_page(self.wallet))
        self._add_action("search", self.open_search)
        # Who is in, pushed to the right by a stretch: a box whose layout stretches takes the toolbar's spare
        # width (no QSizePolicy on the start: its Python type and enums cost a third of a millisecond).
        pushed = QWidget()
        row = QHBoxLayout(pushed)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        self.who = QLabel()
        self.who.setContentsMargins(8, 0, 12, 0)
        row.addWidget(self.who)
        self.toolbar.addWidget(pushed)
        self._add_action("settings", self.open_settings)
        self._add_action("technician", self.open_technician)
        self._add_action("leave_technician", self.leave_technician)
        self._add_action("switch", self.sign_out)
        self._shortcuts_set = False  # see set_shortcuts: after ready

        self._idle_watcher: IdleWatcher | None = None  # made on first sign-in: see ``idle``
        self._start_state: StartState | None = None  # what start() found, until the picker is on screen
        self.picker.learners_shown.connect(self._learners_shown)
        # The window itself does not override changeEvent: its first change event (the window title, set
        # while it is made) would make PySide6 build every QEvent subclass (see mcdesk.ui.qt_enums).
        self._language_watch = ChangeWatch(self, lambda _kind: self.retranslate())
        self.retranslate()
        self._update_session()
        self.fit_to_screen()

    @property
    def idle(self) -> IdleWatcher:
        """The auto-lock watch, made when someone first signs in or opens technician mode. It filters every
        event of the application while it watches, so it runs only while a learner is signed in or the
        technician panel is open (see ``_update_session``), never on the picker alone."""
        if self._idle_watcher is None:
            from mcdesk.ui.idle import IdleWatcher

            self._idle_watcher = IdleWatcher(self.ctx, parent=self)
            self._idle_watcher.idle.connect(self._idle)
            if self.ctx.learner_id is None and not self.ctx.technician:
                self._idle_watcher.stop()
        return self._idle_watcher

    # --- screens, made on first use ---------------------------------------------------------------

    @property
    def library(self) -> LibraryView:
        return self.screen_named("library")  # type: ignore[return-value]

    @property
    def dashboard(self) -> DashboardView:
        return self.screen_named("dashboard")  # type: ignore[return-value]

    @property
    def wallet(self) -> WalletView:
        return self.screen_named("wallet")  # type: ignore[return-value]

    @property
    def search(self) -> SearchView:
        return self.screen_named("search")  # type: ignore[return-value]

    @property
    def reader(self) -> ReaderView:
        return self.screen_named("reader")  # type: ignore[return-value]

    @property
    def quiz(self) -> QuizRunner:
        return self.screen_named("quiz")  # type: ignore[return-value]

    def made_screens(self) -> list[str]:
        """The names (of SCREENS) of the screens made so far."""
        return [name for name in SCREENS if name in self._screens]

    def screen_named(self, name: str) -> QWidget:
        """The screen ``name`` (one of SCREENS), made, connected and added to the stack if it was not yet."""
        page = self._screens.get(name)
        if page is None:
            page = self._make_screen(name)
            self._screens[name] = page
            self.stack.addWidget(page)
        return page

    def _make_screen(self, name: str) -> QWidget:
        # Each is made a child of the stack (or status bar) at once: adding a parentless widget would
        # reparent it, which sends a style-change event to its children (see mcdesk.ui.qt_enums).
        if name == "library":
            from mcdesk.ui.library_view import LibraryView

            library = LibraryView(self.ctx, self.stack)
            library.open_lesson.connect(self.open_lesson)
            library.open_quiz.connect(self.open_quiz)
            return library
        if name == "dashboard":
            from mcdesk.ui.dashboard import DashboardView

            return DashboardView(self.ctx, self.stack)
        if name == "wallet":
            from mcdesk.ui.wallet import WalletView

            return WalletView(self.ctx, self.stack)
        if name == "search":
            from mcdesk.ui.search_view import SearchView

            search = SearchView(self.ctx, self.stack)
            search.open_lesson.connect(lambda pack, lesson, text: self.open_lesson(pack, lesson, text))
            return search
        if name == "reader":
            from mcdesk.ui.reader import ReaderView

            reader = ReaderView(self.ctx, self.stack)
            reader.open_quiz.connect(self.open_quiz)
            if self._text_size is not None:
                reader.set_text_size(self._text_size)
            return reader
        if name == "quiz":
            from mcdesk.ui.quiz_runner import QuizRunner

            quiz = QuizRunner(self.ctx, self.stack)
            quiz.closed.connect(lambda: self.show_page(self.library))
            return quiz
        raise ValueError(f"No screen is called {name!r}; the screens are {', '.join(SCREENS)}.")

    def fit_to_screen(self) -> None:
        """Open at a comfortable size that never exceeds the screen (lab laptops can be 1024x600)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1024, 600)
            return
        room = screen.availableGeometry()
        self.resize(min(1600, room.width()), min(1000, room.height()))

    def _add_action(self, key: str, slot: Callable[[], None]) -> None:
        # QAction(parent): toolbar.addAction(str) makes PySide6 look at overloads taking Qt.Key, which makes
        # the whole Qt namespace (see mcdesk.ui.qt_enums).
        action = QAction(self.toolbar)
        self.toolbar.addAction(action)
        action.triggered.connect(slot)
        self.actions[key] = action

    def set_shortcuts(self) -> None:
        """The keyboard shortcuts, set once, right after ``ready``: none of them does anything on the picker
        alone, and QKeySequence (its enum types) stays off the start."""
        if self._shortcuts_set:
            return
        self._shortcuts_set = True
        from PySide6.QtGui import QKeySequence

        # setShortcuts, not setShortcut: its overloads take Qt.Key (the whole Qt namespace: see qt_enums).
        keys: dict[str, str | QKeySequence.StandardKey] = {
            "library": "Ctrl+1", "dashboard": "Ctrl+2", "wallet": "Ctrl+3", "search": QKeySequence.StandardKey.Find,
            "switch": "Ctrl+L"}
        for key, shortcut in keys.items():
            if isinstance(shortcut, QKeySequence.StandardKey):
                self.actions[key].setShortcuts(shortcut)  # every binding the platform has for it
            else:
                self.actions[key].setShortcuts([QKeySequence(shortcut)])
        quit_action = QAction(self)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("mcdesk — micro-credentials"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        labels = {
            "library": self.tr("Library"), "dashboard": self.tr("My progress"), "wallet": self.tr("Wallet"),
            "search": self.tr("Search"), "settings": self.tr("Settings"), "technician": self.tr("Technician"),
            "switch": self.tr("Switch learner"), "leave_technician": self.tr("Close the technician panel"),
        }
        for key, text in labels.items():
            self.actions[key].setText(text)
            self.actions[key].setToolTip(text)
        self._update_session()

    # --- start ------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the picker at once; ``ready`` once it shows the learners on screen. Usually packs are
        installed: tidying up and indexing then run in the background after ``ready``. On a first start
        (nothing installed) the samples are installed behind a progress dialog first."""
        self.show_page(self.picker)
        # Queued after the picker's own load (the worker runs jobs in order).
        self.ctx.run(lambda _rep: start_state(self.ctx), on_done=self._state_known,
                     on_failed=lambda exc, _tb: show_error(self, exc))

    def _state_known(self, state: StartState) -> None:
        self._start_state = state
        if self.picker.shown_once:
            self._start_state = None
            self._started(state)

    def _learners_shown(self) -> None:
        state, self._start_state = self._start_state, None
        if state is not None:
            self._started(state)

    def _started(self, state: StartState) -> None:
        ctx = self.ctx
        if state.packs_installed:
            self._ready()

            def tidied(changed: bool) -> None:
                if changed:
                    ctx.bus.notify(PACKS)

            # Queued before the first-start dialog's own job, and before anything the person does next.
            ctx.run(lambda rep: prepare_library(ctx, rep), on_done=tidied,
                    on_failed=lambda exc, _tb: show_error(self, exc))
            self._first_start_setup(state.needs_technician_passphrase)
            return
        from mcdesk.ui.progress_dialog import run_with_progress

        def finished(_result: object) -> None:
            self._ready()
            self._first_start_setup(state.needs_technician_passphrase)

        run_with_progress(self, ctx, self.tr("Preparing the courses"), lambda rep: prepare_library(ctx, rep),
                          finished, changes=(PACKS,))

    def _ready(self) -> None:
        self.ready.emit()
        # Sync and the shortcuts are never on the start path: they come right after.
        QTimer.singleShot(0, self.set_shortcuts)
        QTimer.singleShot(0, self.sync_controller)

    def sync_controller(self) -> SyncController:
        """The sync controller and its status-bar indicator, made once (after ``ready``)."""
        if self.sync is None:
            from mcdesk.ui.sync_view import SyncController, SyncIndicator

            self.sync = SyncController(self.ctx, self)
            self.sync_indicator = SyncIndicator(self.sync, self.statusBar())
            self.statusBar().addPermanentWidget(self.sync_indicator)
            self.statusBar().setSizeGripEnabled(False)
            self.sync.start()
        return self.sync

    def _first_start_setup(self, needed: bool) -> None:
        """A new laptop: whoever installs mcdesk sets the technician passphrase before anyone else."""
        if not needed:
            return
        from mcdesk.ui.learner_dialogs import TechnicianDialog

        dialog = TechnicianDialog(self.ctx, self)
        self.first_start_dialog = dialog

        def closed(_code: int) -> None:
            self.ctx.technician = False  # setting the passphrase does not open technician mode
            self._update_session()
            dialog.deleteLater()
            self.first_start_dialog = None

        dialog.finished.connect(closed)
        dialog.open()

    # --- learners ---------------------------------------------------------------------------

    def sign_in(self, learner_id: int) -> None:
        from mcdesk.ui.display import load_display_settings

        self.ctx.learner_id = learner_id
        self._update_session()
        # Announced before the library is shown: it loads once, as it appears, for this learner (announced
        # after, the load its showing had started would be followed by a second, identical one).
        self.ctx.bus.notify(SESSION, PROGRESS, CREDENTIALS)
        self.show_page(self.library)
        self.ctx.run(lambda _rep: load_display_settings(self.ctx.store, learner_id),
                     on_done=self._apply_display, on_failed=lambda exc, _tb: show_error(self, exc))

    def sign_out(self) -> None:
        """Back to the picker: the next learner needs their own PIN to see anything."""
        self.ctx.learner_id = None
        self.ctx.technician = False
        if "reader" in self._screens:
            self.reader.clear()
        self._update_session()
        self.show_page(self.picker)
        self.ctx.bus.notify(SESSION, LEARNERS)

    def _idle(self) -> None:
        if self.ctx.learner_id is not None or self.ctx.technician:
            self.sign_out()

    def _apply_display(self, display: DisplaySettings) -> None:
        from mcdesk.ui.display import apply_display_settings

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_display_settings(app, display)
        self._text_size = display.text_size
        if "reader" in self._screens:
            self.reader.set_text_size(display.text_size)

    def _update_session(self) -> None:
        """Toolbar for who is here: learner actions only for a signed-in learner. The auto-lock watches
        while a learner is signed in or technician mode is open."""
        signed_in = self.ctx.learner_id is not None
        if signed_in or self.ctx.technician:
            self.idle.start()
        elif self._idle_watcher is not None:
            self._idle_watcher.stop()
        for key in ("library", "dashboard", "wallet", "search", "switch"):
            self.actions[key].setVisible(signed_in)
        if signed_in and self._who_for != self.ctx.learner_id:
            self._who_for = self.ctx.learner_id
            self.who.setText("")
            self.ctx.run(lambda _rep: _learner_name(self.ctx), on_done=self.who.setText)
        elif not signed_in:
            self._who_for = None
            self.who.setText(self.tr("Technician mode") if self.ctx.technician else "")

    # --- screens ----------------------------------------------------------------------------

    def show_page(self, page: QWidget) -> None:
        needs_learner = page not in (self.picker, self.technician_panel)
        if needs_learner and self.ctx.learner_id is None:
            page = self.picker
        if page is not self.technician_panel and self.ctx.technician:
            self.ctx.technician = False  # leaving the panel ends technician mode
            self.ctx.bus.notify(SESSION)
        self.stack.setCurrentWidget(page)
        in_panel = page is self.technician_panel
        self.actions["leave_technician"].setVisible(in_panel)
        self.actions["technician"].setVisible(not in_panel)
        self._update_session()
        for key in ("library", "dashboard", "wallet", "search"):
            self.actions[key].setCheckable(True)
            self.actions[key].setChecked(page is self._screens.get(key))
        if page is self.picker:
            self.picker.focus_first()

    def open_lesson(self, pack_id: str, lesson_id: str, find: str = "") -> None:
        self.reader.show_lesson(pack_id, lesson_id, find=find)
        self.show_page(self.reader)

    def open_quiz(self, pack_id: str, quiz_id: str) -> None:
        self.quiz.open_quiz(pack_id, quiz_id)
        self.show_page(self.quiz)

    def open_search(self) -> None:
        self.show_page(self.search)
        self.search.setFocus()

    def open_settings(self) -> None:
        from mcdesk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.applied.connect(self._apply_display)
        dialog.exec()
        dialog.deleteLater()

    def open_technician(self) -> None:
        from mcdesk.ui.learner_dialogs import LearnersAdmin, ask_technician
        from mcdesk.ui.technician import TechnicianPanel

        if not ask_technician(self, self.ctx):
            return
        if self.technician_panel is None:
            panel = TechnicianPanel(self.ctx)
            admin = LearnersAdmin(self.ctx)
            admin.learner_removed.connect(self._learner_removed)
            panel.add_tab(admin, admin.windowTitle())
            from mcdesk.ui.sync_view import SyncTab

            sync_tab = SyncTab(self.ctx, self.sync_controller())
            panel.add_tab(sync_tab, sync_tab.windowTitle())
            from mcdesk.ui.catalog_view import add_catalog_tab
            add_catalog_tab(panel, self.ctx, self.sync_controller())
            self.technician_panel = panel
            self.stack.addWidget(panel)
        self.show_page(self.technician_panel)

    def leave_technician(self) -> None:
        self.show_page(self.library if self.ctx.learner_id is not None else self.picker)

    def _learner_removed(self, learner_id: int) -> None:
        if self.ctx.learner_id == learner_id:
            self.ctx.learner_id = None
            self._update_session()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.finish_work(10_000)
        super().closeEvent(event)

    def finish_work(self, msecs: int = -1) -> None:
        """Stop a sync in flight (at its next safe point; what was acknowledged stays) and let the
        database worker finish its jobs, so no job outlives the application."""
        if self.sync is not None:
            self.sync.stop()
        self.ctx.worker.wait(msecs)


def _learner_name(ctx: Context) -> str:
    from mcdesk.learning.learners import get_learner

    return get_learner(ctx.store, ctx.learner_id).name if ctx.learner_id is not None else ""


def build_context(home: Home) -> Context:
    """The context of the app on ``home``; its pack manager is made on first use (see Context)."""
    return Context(home=home, store=open_store(home), manager=None, worker=Worker())


def run_app(home: str | None = None, argv: list[str] | None = None,
            on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Open the app on the data folder ``home``; ``on_ready`` (for the benchmark) runs once usable."""
    from mcdesk.ui.display import apply_display_settings, load_display_settings

    app = QApplication.instance()
    if app is None:
        from mcdesk.ui.theme import STYLE, STYLE_PROPERTY, style_arguments

        app = QApplication(style_arguments(list(argv if argv is not None else sys.argv)))
        app.setProperty(STYLE_PROPERTY, STYLE)
    app.setApplicationName("mcdesk")
    app.setApplicationVersion(__version__)
    data = Home.open(home)
    install_excepthook(data.logs)
    ctx = build_context(data)
    # The laptop's language and theme must be in force before the first widget is made.
    apply_display_settings(app, load_display_settings(ctx.store, None))
    window = MainWindow(ctx)
    if on_ready is not None:
        window.ready.connect(lambda: on_ready(window))
    window.show()
    window.start()
    code = app.exec()
    window.finish_work()  # also when the application was quit without closing the window
    ctx.store.close()
    return code
