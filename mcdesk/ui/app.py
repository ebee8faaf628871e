"""The desktop app's start: the main window with the library and the lesson reader."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from mcdesk import __version__
from mcdesk.home import Home
from mcdesk.learning.library import LessonPage, LibraryPack, load_library, open_lesson
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import ensure_samples
from mcdesk.store.db import open_store
from mcdesk.ui.errors import install_excepthook, show_error
from mcdesk.ui.ops import QtReporter, Worker, is_cancel

ROLE_KEY = Qt.ItemDataRole.UserRole


class LessonView(QTextBrowser):
    """Shows one lesson. Resources load only from the pack's own folder; nothing from the network."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName(self.tr("Lesson"))
        self._folder: Path | None = None

    def show_page(self, page: LessonPage) -> None:
        self._folder = Path(page.base_folder)
        self.setHtml(page.html)

    def loadResource(self, kind: int, url: QUrl) -> object:  # noqa: N802 - Qt's name
        if self._folder is None or url.scheme() not in ("", "file"):
            return None
        target = (self._folder / url.path()).resolve()
        if not target.is_relative_to(self._folder.resolve()) or not target.is_file():
            return None
        return super().loadResource(kind, QUrl.fromLocalFile(str(target)))


class MainWindow(QMainWindow):
    def __init__(self, manager: PackManager, worker: Worker) -> None:
        super().__init__()
        self.manager, self.worker = manager, worker
        self.setWindowTitle(self.tr("mcdesk — micro-credentials"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabel(self.tr("Library"))
        self.tree.setAccessibleName(self.tr("Library of installed courses"))
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.reader = LessonView()
        self.reader.setHtml(self.tr("<p>Choose a lesson from the library.</p>"))
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(self.reader)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 700])
        self.setCentralWidget(split)
        self.status = QLabel()
        self.statusBar().addWidget(self.status)
        quit_action = self.menuBar().addMenu(self.tr("&File")).addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.resize(1024, 640)

    def start(self) -> None:
        """First start: install the samples when nothing is installed, then show the library."""
        dialog = QProgressDialog(self.tr("Preparing the sample courses…"), self.tr("Cancel"), 0, 0, self)
        dialog.setWindowTitle(self.tr("mcdesk"))
        dialog.setMinimumDuration(400)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        totals: dict[str, int] = {"total": 0}

        def progress(text: str, total: int | None, done: int) -> None:
            if text:
                dialog.setLabelText(text)
                totals["total"] = int(total or 0)
                dialog.setMaximum(min(totals["total"], 2**31 - 1))
            if totals["total"]:
                dialog.setValue(min(done, totals["total"]))

        def finished(_result: object) -> None:
            dialog.reset()
            self.refresh()

        def failed(exc: BaseException, _tb: str) -> None:
            dialog.reset()
            if not is_cancel(exc):
                show_error(self, exc)
            self.refresh()

        reporter: QtReporter = self.worker.run(
            lambda rep: ensure_samples(self.manager.home, self.manager, rep),
            on_done=finished, on_failed=failed, on_progress=progress)
        dialog.canceled.connect(reporter.cancel)

    def refresh(self) -> None:
        self.worker.run(lambda _rep: load_library(self.manager), on_done=self._show_library,
                        on_failed=lambda exc, _tb: show_error(self, exc))

    def _show_library(self, packs: list[LibraryPack]) -> None:
        self.tree.clear()
        for pack in packs:
            top = QTreeWidgetItem([f"{pack.title}  ({pack.display_version})"])
            modules: dict[str, QTreeWidgetItem] = {}
            for item in pack.items:
                if item.kind == "module":
                    modules[item.id] = QTreeWidgetItem(top, [item.title])
                else:
                    label = item.title if item.kind == "lesson" else self.tr("Quiz: {0}").format(item.title)
                    node = QTreeWidgetItem(modules.get(item.module_id or "", top), [label])
                    node.setData(0, ROLE_KEY, (item.kind, pack.id, item.id))
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        count = len(packs)
        self.status.setText(self.tr("%n course(s) installed", "", count))

    def _activated(self, node: QTreeWidgetItem, _column: int = 0) -> None:
        key = node.data(0, ROLE_KEY)
        if not key or key[0] != "lesson":
            return
        _kind, pack_id, lesson_id = key
        self.worker.run(lambda _rep: open_lesson(self.manager, pack_id, lesson_id),
                        on_done=self.reader.show_page, on_failed=lambda exc, _tb: show_error(self, exc))

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        self.worker.wait(5000)
        super().closeEvent(event)


def run_app(home: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("mcdesk")
    app.setApplicationVersion(__version__)
    data = Home.open(home)
    install_excepthook(data.logs)
    store = open_store(data)
    window = MainWindow(PackManager(data, store), Worker())
    window.show()
    window.start()
    code = app.exec()
    window.worker.wait()
    store.close()
    return code
