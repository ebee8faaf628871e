"""The desktop app: the main window that holds every screen, and the start-up of the application."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSizePolicy,
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


def prepare_library(ctx: Context, reporter: QtReporter) -> None:
    """First start: install the bundled samples when nothing is installed; index lessons for search."""
    from mcdesk.packs.samples import ensure_samples

    ctx.manager.recover()
    ensure_samples(ctx.home, ctx.manager, reporter)
    ctx.manager.ensure_search_index()


class MainWindow(QMainWindow):
    """Every screen lives in one stack; the toolbar switches between them. Screens never call each
    other: their signals are connected here, and they refresh themselves from the change bus."""

    ready = Signal()  # the first screen is filled in and the app is usable

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        # Screens are imported here, not at module level, so `import mcdesk.ui.app` stays cheap.
        from mcdesk.ui.dashboard import DashboardView
        from mcdesk.ui.idle import IdleWatcher
        from mcdesk.ui.library_view import LibraryView
        from mcdesk.ui.profiles import ProfilePicker
        from mcdesk.ui.quiz_runner import QuizRunner
        from mcdesk.ui.reader import ReaderView
        from mcdesk.ui.search_view import SearchView
        from mcdesk.ui.wallet import WalletView

        self.ctx = ctx
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.picker = ProfilePicker(ctx)
        self.library = LibraryView(ctx)
        self.dashboard = DashboardView(ctx)
        self.wallet = WalletView(ctx)
        self.search = SearchView(ctx)
        self.reader = ReaderView(ctx)
        self.quiz = QuizRunner(ctx)
        self.technician_panel: QWidget | None = None
        self._who_for: int | None = None  # whose name the toolbar shows
        self.first_start_dialog: QWidget | None = None
        for page in (self.picker, self.library, self.dashboard, self.wallet, self.search, self.reader,
                     self.quiz):
            self.stack.addWidget(page)

        self.picker.learner_chosen.connect(self.sign_in)
        self.library.open_lesson.connect(self.open_lesson)
        self.library.open_quiz.connect(self.open_quiz)
        self.reader.open_quiz.connect(self.open_quiz)
        self.search.open_lesson.connect(lambda pack, lesson, text: self.open_lesson(pack, lesson, text))
        self.quiz.closed.connect(lambda: self.show_page(self.library))

        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.who = QLabel()
        self.who.setContentsMargins(8, 0, 12, 0)
        self.actions: dict[str, QAction] = {}
        self._add_action("library", lambda: self.show_page(self.library), "Ctrl+1")
        self._add_action("dashboard", lambda: self.show_page(self.dashboard), "Ctrl+2")
        self._add_action("wallet", lambda: self.show_page(self.wallet), "Ctrl+3")
        self._add_action("search", self.open_search, QKeySequence.StandardKey.Find)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addWidget(self.who)
        self._add_action("settings", self.open_settings)
        self._add_action("technician", self.open_technician)
        self._add_action("leave_technician", self.leave_technician)
        self._add_action("switch", self.sign_out, "Ctrl+L")
        quit_action = QAction(self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

        self.idle = IdleWatcher(ctx, parent=self)
        self.idle.idle.connect(self._idle)
        self.retranslate()
        self._update_session()
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Open at a comfortable size that never exceeds the screen (lab laptops can be 1024x600)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1024, 600)
            return
        room = screen.availableGeometry()
        self.resize(min(1600, room.width()), min(1000, room.height()))

    def _add_action(self, key: str, slot: Callable[[], None],
                    shortcut: str | QKeySequence.StandardKey | None = None) -> None:
        action = self.toolbar.addAction("")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.actions[key] = action

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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- start ------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the picker at once; install the samples and index lessons in the background."""
        from mcdesk.ui.progress_dialog import run_with_progress

        self.show_page(self.picker)

        def finished(_result: object) -> None:
            self.ready.emit()
            self.ctx.run(lambda _rep: _needs_technician_passphrase(self.ctx), on_done=self._first_start_setup)

        run_with_progress(self, self.ctx, self.tr("Preparing the courses"),
                          lambda rep: prepare_library(self.ctx, rep), finished, changes=(PACKS,))

    def _first_start_setup(self, needed: bool) -> None:
        """A new laptop: whoever installs mcdesk sets the technician passphrase before anyone else."""
        if not needed:
            return
        from mcdesk.ui.profiles import TechnicianDialog

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
        from mcdesk.ui.settings_dialog import load_display_settings

        self.ctx.learner_id = learner_id
        self._update_session()
        self.show_page(self.library)
        self.ctx.bus.notify(SESSION, PROGRESS, CREDENTIALS)
        self.idle.start()
        self.ctx.run(lambda _rep: load_display_settings(self.ctx.store, learner_id),
                     on_done=self._apply_display, on_failed=lambda exc, _tb: show_error(self, exc))

    def sign_out(self) -> None:
        """Back to the picker: the next learner needs their own PIN to see anything."""
        self.ctx.learner_id = None
        self.ctx.technician = False
        self.reader.clear()
        self._update_session()
        self.show_page(self.picker)
        self.ctx.bus.notify(SESSION, LEARNERS)
        self.idle.stop()

    def _idle(self) -> None:
        if self.ctx.learner_id is not None or self.ctx.technician:
            self.sign_out()

    def _apply_display(self, display: object) -> None:
        from mcdesk.ui.settings_dialog import apply_display_settings

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_display_settings(app, display)  # type: ignore[arg-type]
        self.reader.set_text_size(display.text_size)  # type: ignore[attr-defined]

    def _update_session(self) -> None:
        """Toolbar for who is here: learner actions only for a signed-in learner."""
        signed_in = self.ctx.learner_id is not None
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
        for key, shown in (("library", self.library), ("dashboard", self.dashboard),
                           ("wallet", self.wallet), ("search", self.search)):
            self.actions[key].setCheckable(True)
            self.actions[key].setChecked(page is shown)

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
        from mcdesk.ui.profiles import LearnersAdmin, ask_technician
        from mcdesk.ui.technician import TechnicianPanel

        if not ask_technician(self, self.ctx):
            return
        if self.technician_panel is None:
            panel = TechnicianPanel(self.ctx)
            admin = LearnersAdmin(self.ctx)
            admin.learner_removed.connect(self._learner_removed)
            panel.add_tab(admin, admin.windowTitle() or self.tr("Learners"))
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
        self.ctx.worker.wait(10_000)
        super().closeEvent(event)


def _needs_technician_passphrase(ctx: Context) -> bool:
    from mcdesk.learning.learners import has_technician_passphrase

    return not has_technician_passphrase(ctx.store)


def _learner_name(ctx: Context) -> str:
    from mcdesk.learning.learners import get_learner

    return get_learner(ctx.store, ctx.learner_id).name if ctx.learner_id is not None else ""


def build_context(home: Home) -> Context:
    from mcdesk.packs.install import PackManager

    store = open_store(home)
    return Context(home=home, store=store, manager=PackManager(home, store), worker=Worker())


def run_app(home: str | None = None, argv: list[str] | None = None,
            on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Open the app on the data folder ``home``; ``on_ready`` (for the benchmark) runs once usable."""
    from mcdesk.ui.settings_dialog import apply_display_settings, load_display_settings

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
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
    ctx.worker.wait()
    ctx.store.close()
    return code
